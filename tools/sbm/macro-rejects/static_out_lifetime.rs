// SPDX-License-Identifier: GPL-2.0
// expect: cannot name a lifetime
use kernel::prelude::*;

#[sandboxed]
fn f(#[out] x: &'static mut [u8; 4]) -> Result {
    x[0] = 1;
    Ok(())
}
