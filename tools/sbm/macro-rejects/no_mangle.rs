// SPDX-License-Identifier: GPL-2.0
// expect: takes only documentation
use kernel::prelude::*;

// Would export the function, for calls outside a sandbox.
#[sandboxed]
#[unsafe(no_mangle)]
fn sbm_reject_exported(x: &u8) -> Result {
    let _ = x;
    Ok(())
}
