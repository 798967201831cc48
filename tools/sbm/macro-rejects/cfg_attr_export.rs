// SPDX-License-Identifier: GPL-2.0
// expect: takes only documentation
use kernel::prelude::*;

// rustc expands `cfg_attr` before `#[sandboxed]` sees the function.
#[sandboxed]
#[cfg_attr(CONFIG_SANDBOX_MODE, unsafe(export_name = "sbm_reject_cfg_exported"))]
fn f(x: &u8) -> Result {
    let _ = x;
    Ok(())
}
