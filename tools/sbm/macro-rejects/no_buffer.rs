// SPDX-License-Identifier: GPL-2.0
// expect: takes at least one buffer
use kernel::prelude::*;

#[sandboxed]
fn f() -> Result {
    Ok(())
}
