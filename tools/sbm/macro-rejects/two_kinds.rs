// SPDX-License-Identifier: GPL-2.0
// expect: either `#[out]` or `#[inout]`, named once
use kernel::prelude::*;

#[sandboxed]
fn f(#[out] #[inout] x: &mut u8) -> Result {
    *x = 1;
    Ok(())
}
