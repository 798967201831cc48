// SPDX-License-Identifier: GPL-2.0
// expect: takes only documentation
use kernel::prelude::*;

// Would take the function out of .sbm.text: every strong call would abort.
#[sandboxed]
#[link_section = ".text.elsewhere"]
fn f(x: &u8) -> Result {
    let _ = x;
    Ok(())
}
