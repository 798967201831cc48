// SPDX-License-Identifier: GPL-2.0
// expect: take only `#[out]` or `#[inout]`
use kernel::prelude::*;

// The buffers would change after the macro counted them.
#[sandboxed]
fn f(#[cfg(CONFIG_SANDBOX_MODE)] x: &u8, y: &u8) -> Result {
    let _ = y;
    Ok(())
}
