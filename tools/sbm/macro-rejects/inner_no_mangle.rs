// SPDX-License-Identifier: GPL-2.0
// expect: takes only documentation
use kernel::prelude::*;

// An inner attribute of the body applies to the function as well.
#[sandboxed]
fn sbm_reject_inner_exported(x: &u8) -> Result {
    #![unsafe(no_mangle)]
    let _ = x;
    Ok(())
}
