// SPDX-License-Identifier: GPL-2.0
// expect: cannot name `Self`
use kernel::prelude::*;

#[repr(C)]
#[derive(FromBytes, IntoBytes)]
struct Header(u32);

impl Header {
    #[sandboxed]
    fn check(x: &Self) -> Result {
        let _ = x;
        Ok(())
    }
}
