// SPDX-License-Identifier: GPL-2.0
// expect: cannot name a lifetime
use kernel::prelude::*;

// The copy would outlive the call: a weak sandbox could stash it.
#[sandboxed]
fn f(x: &'static [u8]) -> Result {
    let _ = x;
    Ok(())
}
