// SPDX-License-Identifier: GPL-2.0
// expect: cannot cross into a sandbox
use core::sync::atomic::AtomicU32;
use kernel::prelude::*;

/// Bytes that may change behind a shared reference: copying them in would race with their
/// owner, so plain data must be `Immutable` too.
#[repr(C)]
#[derive(FromBytes, IntoBytes)]
struct Counter(AtomicU32);

#[sandboxed]
fn f(x: &Counter) -> Result {
    let _ = x;
    Ok(())
}

/// Calls it, so that the check does not rest on how rustc treats unused functions.
pub fn use_it(sandbox: &kernel::sbm::Sandbox, x: &Counter) {
    let _ = f::call(sandbox, x);
}
