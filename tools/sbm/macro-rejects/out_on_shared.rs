// SPDX-License-Identifier: GPL-2.0
// expect: need a `&mut` reference
use kernel::prelude::*;

#[sandboxed]
fn f(#[out] x: &u8) -> Result {
    let _ = x;
    Ok(())
}
