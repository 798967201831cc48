// SPDX-License-Identifier: GPL-2.0
// expect: kernel::sbm::private::Sealed
use kernel::prelude::*;
use kernel::sbm::{
    Plain,
    __private::RawBuf, //
};

/// Holds a pointer: a `Plain` of its own would let it cross into a sandbox.
struct Raw(*const u8);

// SAFETY: None: the impl is what must be refused.
unsafe impl Plain for Raw {
    const FITS: () = ();

    unsafe fn from_raw<'a>(_raw: RawBuf) -> &'a Self {
        unreachable!()
    }

    unsafe fn from_raw_mut<'a>(_raw: RawBuf) -> &'a mut Self {
        unreachable!()
    }
}

#[sandboxed]
fn f(x: &Raw) -> Result {
    let _ = x;
    Ok(())
}

/// Calls it, so that the check does not rest on how rustc treats unused functions.
pub fn use_it(sandbox: &kernel::sbm::Sandbox, x: &Raw) {
    let _ = f::call(sandbox, x);
}
