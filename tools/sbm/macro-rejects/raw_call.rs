// SPDX-License-Identifier: GPL-2.0
// expect: found struct `f`
use kernel::prelude::*;

#[sandboxed]
fn f(x: &u8) -> Result {
    let _ = x;
    Ok(())
}

/// Runs it without a sandbox: the function is reachable only through `f::call`.
pub fn bypass() -> Result {
    f(&1)
}
