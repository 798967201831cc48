// SPDX-License-Identifier: GPL-2.0
// expect: cannot cross into a sandbox
use kernel::prelude::*;

#[sandboxed]
fn f(x: &&u8) -> Result {
    let _ = x;
    Ok(())
}
