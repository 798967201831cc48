// SPDX-License-Identifier: GPL-2.0
// expect: cannot be zero-sized or aligned to more than a page
use kernel::prelude::*;

#[sandboxed]
fn f(x: &[u8; 0]) -> Result {
    let _ = x;
    Ok(())
}

/// Calls it, so that the check does not rest on how rustc treats unused functions.
pub fn use_it(sandbox: &kernel::sbm::Sandbox) {
    let _ = f::call(sandbox, &[]);
}
