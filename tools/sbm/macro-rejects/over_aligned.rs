// SPDX-License-Identifier: GPL-2.0
// expect: cannot be zero-sized or aligned to more than a page
use kernel::prelude::*;
use zerocopy_derive::Immutable;

/// Page-aligned copies would misalign it.
#[repr(C, align(8192))]
#[derive(FromBytes, IntoBytes, Immutable)]
struct Big([u8; 8192]);

#[sandboxed]
fn f(x: &[Big]) -> Result {
    let _ = x;
    Ok(())
}

/// Calls it, so that the check does not rest on how rustc treats unused functions.
pub fn use_it(sandbox: &kernel::sbm::Sandbox, x: &[Big]) {
    let _ = f::call(sandbox, x);
}
