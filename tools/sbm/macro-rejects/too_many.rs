// SPDX-License-Identifier: GPL-2.0
// expect: takes 1 to 6 buffers
use kernel::prelude::*;

#[sandboxed]
fn f(a: &u8, b: &u8, c: &u8, d: &u8, e: &u8, f: &u8, g: &u8) -> Result {
    let _ = (a, b, c, d, e, f, g);
    Ok(())
}
