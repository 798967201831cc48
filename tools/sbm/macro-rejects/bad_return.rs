// SPDX-License-Identifier: GPL-2.0
// expect: returns `Result`, `Result<()>` or `Result<u32>`
use kernel::prelude::*;

#[sandboxed]
fn f(x: &u8) -> i32 {
    i32::from(*x)
}
