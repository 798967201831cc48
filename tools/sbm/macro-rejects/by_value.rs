// SPDX-License-Identifier: GPL-2.0
// expect: takes only references to plain data
use kernel::prelude::*;

#[sandboxed]
fn f(x: u32) -> Result {
    let _ = x;
    Ok(())
}
