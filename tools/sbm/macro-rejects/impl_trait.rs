// SPDX-License-Identifier: GPL-2.0
// expect: cannot be generic: name the plain data type
use kernel::prelude::*;

#[sandboxed]
fn f(x: &impl Copy) -> Result {
    let _ = x;
    Ok(())
}
