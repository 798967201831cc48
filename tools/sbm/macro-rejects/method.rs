// SPDX-License-Identifier: GPL-2.0
// expect: cannot be a method
use kernel::prelude::*;

struct Parser;

impl Parser {
    #[sandboxed]
    fn f(&self, x: &u8) -> Result {
        let _ = x;
        Ok(())
    }
}
