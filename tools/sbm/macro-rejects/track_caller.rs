// SPDX-License-Identifier: GPL-2.0
// expect: takes only documentation
use kernel::prelude::*;

// The caller is the thunk, and the location data is kernel data.
#[sandboxed]
#[track_caller]
fn f(x: &u8) -> Result {
    let _ = x;
    Ok(())
}
