// SPDX-License-Identifier: GPL-2.0
// expect: take no arguments
use kernel::prelude::*;

#[sandboxed]
fn f(#[out(zeroed)] x: &mut u8) -> Result {
    *x = 1;
    Ok(())
}
