// SPDX-License-Identifier: GPL-2.0
// expect: mark a `&mut` parameter `#[out]`
use kernel::prelude::*;

#[sandboxed]
fn f(x: &mut u32) -> Result {
    *x = 1;
    Ok(())
}
