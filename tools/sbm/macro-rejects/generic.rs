// SPDX-License-Identifier: GPL-2.0
// expect: cannot be generic
use kernel::prelude::*;

#[sandboxed]
fn f<T>(x: &u8) -> Result {
    let _ = x;
    Ok(())
}
