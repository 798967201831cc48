// SPDX-License-Identifier: GPL-2.0
// expect: kernel::sbm::private::SealedSuccess
use kernel::prelude::*;
use kernel::sbm::{
    Immutable,
    Success, //
};

/// A result that would encode a negative value as a success. Plain data, so that only the seal
/// of `Success` itself can refuse it.
#[repr(C)]
#[derive(FromBytes, IntoBytes, Immutable)]
struct Minus(i32);

impl Success for Minus {
    fn into_ret(self) -> Result<core::ffi::c_int> {
        Ok(self.0)
    }

    fn from_ret(ret: core::ffi::c_int) -> Self {
        Minus(ret)
    }
}

#[sandboxed]
fn f(x: &u8) -> Result<Minus> {
    Ok(Minus(-i32::from(*x)))
}

/// Calls it, so that the check does not rest on how rustc treats unused functions.
pub fn use_it(sandbox: &kernel::sbm::Sandbox, x: &u8) {
    let _ = f::call(sandbox, x);
}
