// SPDX-License-Identifier: GPL-2.0

//! SandBox Mode: run a function so that it reaches only the buffers handed to it.
//!
//! A sandboxed function is an ordinary Rust function marked with [`sandboxed`]. Its parameters
//! are references to plain data: `&T` for an input, `#[out] &mut T` for an output and
//! `#[inout] &mut T` for a buffer that goes both ways. The attribute generates a type of the same
//! name whose `call` function runs it in a [`Sandbox`]:
//!
//! * inputs are copied into the sandbox and never copied back;
//! * outputs start zero-filled in the sandbox (with isolation) and reach the caller's memory only
//!   if the function returns [`Ok`];
//! * if the sandbox cannot run the function, or stops it, the caller gets
//!   [`SandboxError::Aborted`], and the [`Sandbox`] stays in error until it is dropped: a
//!   sandbox that was stopped may hold the state of a function that misbehaved, so the way to
//!   go on is a new [`Sandbox`].
//!
//! How much protection that gives depends on the kernel configuration; see [`Level`]. At
//! [`Level::None`] the function runs on the caller's own buffers, as a plain call: an output is
//! not zeroed first, and what the function wrote stays even if it fails.
//!
//! A panic in a sandboxed function takes the kernel's panic path in the caller's context at
//! [`Level::None`] and [`Level::Weak`]; at [`Level::Strong`] the panic code is out of the
//! sandbox's reach, so the sandbox is stopped and the caller gets [`SandboxError::Aborted`] with
//! [`EFAULT`]; the kernel log says that the function panicked.
//!
//! C header: [`include/linux/sbm.h`](srctree/include/linux/sbm.h)
//!
//! Documentation:
//! [`Documentation/security/sandbox-mode.rst`](srctree/Documentation/security/sandbox-mode.rst)
//!
//! # Examples
//!
//! ```
//! use kernel::sbm::{sandboxed, Sandbox};
//!
//! /// Adds up the bytes of `data`: runs in the sandbox.
//! #[sandboxed]
//! fn checksum(data: &[u8], #[out] sum: &mut u32) -> Result {
//!     *sum = data.iter().map(|&b| u32::from(b)).sum();
//!     Ok(())
//! }
//!
//! let sandbox = KBox::pin_init(Sandbox::new(), GFP_KERNEL)?;
//! let mut sum = 0;
//! checksum::call(&sandbox, b"\x01\x02\x03", &mut sum)?;
//! assert_eq!(sum, 6);
//!
//! // An empty slice needs no copy: the function gets an empty slice.
//! checksum::call(&sandbox, &[], &mut sum)?;
//! assert_eq!(sum, 0);
//! # Ok::<(), Error>(())
//! ```

use crate::{
    bindings,
    error::{
        code::{
            EOVERFLOW,
            EPROTO, //
        },
        to_result,
        Error,
        Result, //
    },
    page::PAGE_SIZE,
    prelude::*,
    types::Opaque, //
};
use core::mem::size_of;
use ffi::{
    c_int,
    c_void, //
};
use zerocopy::{
    FromBytes,
    IntoBytes, //
};

pub use macros::sandboxed;
/// The zerocopy trait that, with [`FromBytes`] and [`IntoBytes`], makes a type [`Plain`], and its
/// derive, which the kernel prelude does not bring.
#[doc(no_inline)]
pub use zerocopy::Immutable;
#[doc(hidden)]
pub use zerocopy_derive::Immutable;

/// Isolation level of SandBox Mode in the running kernel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// `CONFIG_SANDBOX_MODE` is off: the function runs on the caller's own buffers.
    None,
    /// Buffers are copied into guarded areas, but the function runs with kernel privileges.
    Weak,
    /// The function runs deprivileged in an address space of its own; violations abort it.
    Strong,
}

impl Level {
    /// Returns the level in effect.
    pub fn current() -> Self {
        // SAFETY: `sbm_level` has no preconditions.
        match unsafe { bindings::sbm_level() } {
            bindings::sbm_level_SBM_LEVEL_STRONG => Level::Strong,
            bindings::sbm_level_SBM_LEVEL_WEAK => Level::Weak,
            _ => Level::None,
        }
    }
}

/// Why a sandboxed call failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SandboxError {
    /// The function ran and returned this error. The [`Sandbox`] can be used again.
    ///
    /// A return value that is no error code, or one of the kernel's internal codes such as
    /// `ERESTARTSYS` (a broken or hostile function can return anything), is reported as
    /// [`EPROTO`].
    Function(Error),
    /// The sandbox could not run the function (a bad buffer: [`EINVAL`], [`E2BIG`]; no memory:
    /// [`ENOMEM`]) or stopped it ([`EFAULT`] for a memory access violation or a panic, [`ETIME`]
    /// past its time limit, [`EINTR`] for a task with a fatal signal pending). The [`Sandbox`]
    /// keeps failing with this error until it is dropped.
    Aborted(Error),
}

impl From<SandboxError> for Error {
    fn from(err: SandboxError) -> Self {
        match err {
            SandboxError::Function(e) | SandboxError::Aborted(e) => e,
        }
    }
}

/// A SandBox Mode instance.
///
/// Calls on one instance are made one at a time: the type is not [`Sync`]. Calls and dropping
/// may sleep.
///
/// # Invariants
///
/// `inner` holds a `struct sbm` that `sbm_init` set up and `sbm_destroy` has not released.
#[pin_data(PinnedDrop)]
pub struct Sandbox {
    #[pin]
    inner: Opaque<bindings::sbm>,
}

// SAFETY: A `struct sbm` is not tied to the thread that set it up: it may be used and destroyed
// from any thread, one at a time.
unsafe impl Send for Sandbox {}

impl Sandbox {
    /// Creates an initializer for a new sandbox.
    ///
    /// Initializing it may sleep: it allocates the sandbox's memory. It fails with `EOPNOTSUPP`
    /// where strong isolation is required (`sbm.strict`) but the kernel refused it.
    pub fn new() -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            inner <- Opaque::try_ffi_init(|slot: *mut bindings::sbm| {
                // SAFETY: `slot` is valid for writing a `struct sbm`, which `sbm_init` sets up.
                let ret = unsafe { bindings::sbm_init(slot) };
                if ret < 0 {
                    // SAFETY: `sbm_init` ran on `slot`; `sbm_destroy` releases what it set up.
                    unsafe { bindings::sbm_destroy(slot) };
                    return Err(Error::from_errno(ret));
                }
                // INVARIANT: `sbm_init` succeeded, so `*slot` is set up until `drop` destroys it.
                Ok(())
            }),
        }? Error)
    }

    fn as_raw(&self) -> *mut bindings::sbm {
        self.inner.get()
    }

    /// Returns the error this sandbox is stuck with, if any.
    pub fn error(&self) -> Option<Error> {
        // SAFETY: By the type invariant, `self.as_raw()` points to a set-up `struct sbm`.
        let err = unsafe { bindings::sbm_error(self.as_raw()) };
        (err != 0).then(|| Error::from_errno(err))
    }

    /// Sets how long one call may run, in milliseconds (one second by default).
    ///
    /// With strong isolation a function that runs longer, counting only its time in the sandbox,
    /// is aborted with `ETIME`; other levels cannot stop a running function and ignore the limit.
    /// Fails with `EINVAL` if `msecs` is zero or more than an hour.
    pub fn set_time_limit(&self, msecs: u32) -> Result {
        // SAFETY: By the type invariant, `self.as_raw()` points to a set-up `struct sbm`, and no
        // other thread uses it meanwhile: `Sandbox` is not `Sync`.
        to_result(unsafe { bindings::sbm_set_time_limit(self.as_raw(), msecs) })
    }
}

/// The error a function's negative return value stands for: [`EPROTO`] if it is no error code, or
/// one of the kernel's internal codes (`ERESTARTSYS` and up), which would change what the caller's
/// caller does (restart a system call, defer a probe) on the word of the sandbox.
fn function_error(ret: c_int) -> Error {
    if ret <= -(bindings::ERESTARTSYS as c_int) {
        return EPROTO;
    }
    Error::from_errno(ret)
}

#[pinned_drop]
impl PinnedDrop for Sandbox {
    fn drop(self: Pin<&mut Self>) {
        // SAFETY: By the type invariant `self.as_raw()` is set up; it is not used after this.
        unsafe { bindings::sbm_destroy(self.as_raw()) };
    }
}

/// Data that can cross into a sandbox: no pointers, no references, no padding, no interior
/// mutability, and any bytes the sandbox writes form a valid value.
///
/// It is implemented for every type that is [`FromBytes`], [`IntoBytes`] and [`Immutable`] (the
/// kernel's zerocopy traits, which a driver derives for its own structs), and for slices of them.
/// No other crate can implement it.
///
/// # Examples
///
/// A driver's own header type needs no `unsafe`: the derives check that it has no padding and
/// that any bytes are valid for it.
///
/// ```
/// use kernel::sbm::{
///     sandboxed,
///     Immutable,
///     Sandbox, //
/// };
///
/// #[repr(C)]
/// #[derive(FromBytes, IntoBytes, Immutable)]
/// struct Header {
///     magic: u32,
///     len: u32,
/// }
///
/// /// Checks a header against the data that follows it: runs in the sandbox.
/// #[sandboxed]
/// fn payload_len(header: &Header, data: &[u8]) -> Result<u32> {
///     let len = usize::try_from(header.len).map_err(|_| EOVERFLOW)?;
///     if header.magic != 0x4d42_5321 || len > data.len() {
///         return Err(EBADMSG);
///     }
///     Ok(header.len)
/// }
///
/// let sandbox = KBox::pin_init(Sandbox::new(), GFP_KERNEL)?;
/// let header = Header { magic: 0x4d42_5321, len: 3 };
/// assert_eq!(payload_len::call(&sandbox, &header, b"abcd")?, 3);
/// let bad = Header { magic: 0, len: 3 };
/// assert!(payload_len::call(&sandbox, &bad, b"abcd").is_err());
/// # Ok::<(), Error>(())
/// ```
///
/// # Safety
///
/// The `size_of_val()` bytes of a `Self` are all initialized and do not change behind a shared
/// reference, so they can be copied into a sandbox while it is borrowed; any bytes of that size
/// are a valid `Self`, so what the sandbox leaves can be copied back.
///
/// `from_raw`/`from_raw_mut` rebuild a reference of the shape of `Self` from the bytes of a
/// sandbox copy of a `Self`. `FITS` fails to evaluate unless the type (the element type of a
/// slice) has a non-zero size and an alignment of at most a page, which is all a sandbox copy
/// guarantees.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot cross into a sandbox",
    label = "not plain data",
    note = "sandbox buffers are plain data: sized types that are `FromBytes + IntoBytes + \
            Immutable` (derive them), or slices of them"
)]
pub unsafe trait Plain: private::Sealed {
    /// Evaluates, and fails to compile, for a type no sandbox copy can hold: a zero-sized one,
    /// which has no bytes to copy, or one aligned to more than a page, which is as much
    /// alignment as a copy has. [`sandboxed`] uses it for every parameter.
    #[doc(hidden)]
    const FITS: ();

    /// Rebuilds a shared reference in the sandbox.
    ///
    /// # Safety
    ///
    /// `raw` describes a sandbox copy of a `Self`, live and not written for `'a`, or is
    /// [`RawBuf::EMPTY`] for an empty slice.
    #[doc(hidden)]
    unsafe fn from_raw<'a>(raw: RawBuf) -> &'a Self;

    /// Rebuilds a mutable reference in the sandbox.
    ///
    /// # Safety
    ///
    /// `raw` describes a sandbox copy of a `Self`, live and not otherwise accessed for `'a`, or is
    /// [`RawBuf::EMPTY`] for an empty slice.
    #[doc(hidden)]
    unsafe fn from_raw_mut<'a>(raw: RawBuf) -> &'a mut Self;
}

// SAFETY: `T` is plain data: its bytes are all initialized (`IntoBytes`), any bytes form a valid
// `T` (`FromBytes`), and no byte changes behind a shared reference (`Immutable`). A sandbox copy
// keeps the caller's size and is page aligned (or is the caller's own buffer), so it is aligned
// for `T`, whose alignment `FITS` limits to a page.
unsafe impl<T: FromBytes + IntoBytes + Immutable> Plain for T {
    const FITS: () = assert!(
        size_of::<T>() != 0 && align_of::<T>() <= PAGE_SIZE,
        "a sandbox buffer cannot be zero-sized or aligned to more than a page"
    );

    #[inline(always)]
    unsafe fn from_raw<'a>(raw: RawBuf) -> &'a Self {
        // SAFETY: The caller guarantees `raw` describes a live copy of a `T`.
        unsafe { &*raw.ptr.cast::<T>() }
    }

    #[inline(always)]
    unsafe fn from_raw_mut<'a>(raw: RawBuf) -> &'a mut Self {
        // SAFETY: The caller guarantees `raw` describes a live copy of a `T`, not aliased.
        unsafe { &mut *raw.ptr.cast::<T>() }
    }
}

// SAFETY: As for `T`, element by element; the length is the caller's byte length divided by the
// element size, which `FITS` keeps from being zero, as the copy functions computed it.
unsafe impl<T: FromBytes + IntoBytes + Immutable> Plain for [T] {
    const FITS: () = <T as Plain>::FITS;

    #[inline(always)]
    unsafe fn from_raw<'a>(raw: RawBuf) -> &'a Self {
        // SAFETY: The caller guarantees `raw` describes a live copy of a `[T]`, or is `EMPTY`,
        // whose pointer is non-null and aligned for `T` and whose length is zero.
        unsafe { core::slice::from_raw_parts(raw.ptr.cast::<T>(), raw.len / size_of::<T>()) }
    }

    #[inline(always)]
    unsafe fn from_raw_mut<'a>(raw: RawBuf) -> &'a mut Self {
        // SAFETY: The caller guarantees `raw` describes a live copy of a `[T]`, not aliased, or is
        // `EMPTY`, whose pointer is non-null and aligned for `T` and whose length is zero.
        unsafe { core::slice::from_raw_parts_mut(raw.ptr.cast::<T>(), raw.len / size_of::<T>()) }
    }
}

/// The types [`Plain`] and [`Success`] are for: no other crate can add one. A `Plain` of its own
/// could give `FITS` a value that lets a zero-sized or over-aligned type through, or rebuild
/// references of another shape; a `Success` of its own could encode values that read as errors.
mod private {
    use zerocopy::{
        FromBytes,
        Immutable,
        IntoBytes, //
    };

    pub trait Sealed {}

    impl<T: FromBytes + IntoBytes + Immutable> Sealed for T {}
    impl<T: FromBytes + IntoBytes + Immutable> Sealed for [T] {}

    pub trait SealedSuccess {}

    impl SealedSuccess for () {}
    impl SealedSuccess for u32 {}
}

/// What a sandboxed function may return on success.
#[diagnostic::on_unimplemented(
    message = "a sandboxed function returns `Result`, `Result<()>` or `Result<u32>`"
)]
pub trait Success: Sized + private::SealedSuccess {
    /// Encodes `self` as the non-negative C return value.
    #[doc(hidden)]
    fn into_ret(self) -> Result<c_int>;

    /// Decodes the C return value of a successful call.
    #[doc(hidden)]
    fn from_ret(ret: c_int) -> Self;
}

impl Success for () {
    #[inline(always)]
    fn into_ret(self) -> Result<c_int> {
        Ok(0)
    }

    fn from_ret(_ret: c_int) -> Self {}
}

impl Success for u32 {
    #[inline(always)]
    fn into_ret(self) -> Result<c_int> {
        c_int::try_from(self).map_err(|_| EOVERFLOW)
    }

    fn from_ret(ret: c_int) -> Self {
        // `exec` returns only non-negative values on success.
        ret.unsigned_abs()
    }
}

/// What code generated by [`sandboxed`] uses: not an API, and not for any other caller.
#[doc(hidden)]
pub mod __private {
    use super::*;

    /// Where the sandbox copy of one buffer is, or `RawBuf::EMPTY` for an empty slice.
    #[repr(C)]
    #[derive(Clone, Copy)]
    pub struct RawBuf {
        pub(super) ptr: *mut c_void,
        pub(super) len: usize,
    }

    impl RawBuf {
        /// An empty slice, handed over without a copy: the C side refuses empty buffers, and there
        /// is nothing to copy. Its address is a constant, not the caller's, so that no kernel
        /// address reaches the sandbox: non-null and aligned to a page, which is as much as `FITS`
        /// lets any element type need, as a slice of length zero requires. Nothing dereferences
        /// it.
        pub(super) const EMPTY: Self = Self {
            ptr: core::ptr::without_provenance_mut(PAGE_SIZE),
            len: 0,
        };
    }

    /// Hands an input buffer to the next call on `sandbox`.
    ///
    /// # Safety
    ///
    /// `buf` must stay borrowed until the next [`exec`] on `sandbox` returns: without isolation,
    /// and where strong isolation lends its pages, the function reads it in place.
    pub unsafe fn copy_in<T: Plain + ?Sized>(sandbox: &Sandbox, buf: &T) -> RawBuf {
        let len = core::mem::size_of_val(buf);
        if len == 0 {
            return RawBuf::EMPTY;
        }
        let src = core::ptr::from_ref(buf).cast::<c_void>();
        // SAFETY: By the type invariant of `Sandbox`, `sandbox.as_raw()` is set up; `src` is
        // readable for `len` bytes, all initialized and unchanging (`T: Plain`), for as long as
        // the C side reads them: it copies them now, or the function reads them during `exec`
        // (without isolation, or through pages strong isolation lends read-only), while the
        // caller keeps `buf` borrowed.
        let ptr = unsafe { bindings::sbm_copy_in(sandbox.as_raw(), src, len) };
        RawBuf { ptr, len }
    }

    /// Hands an output buffer to the next call on `sandbox`.
    ///
    /// # Safety
    ///
    /// `buf` must stay borrowed until the next [`exec`] on `sandbox` returns, since it may write
    /// to it.
    pub unsafe fn copy_out<T: Plain + ?Sized>(sandbox: &Sandbox, buf: &mut T) -> RawBuf {
        let len = core::mem::size_of_val(buf);
        if len == 0 {
            return RawBuf::EMPTY;
        }
        let dst = core::ptr::from_mut(buf).cast::<c_void>();
        // SAFETY: As for `copy_in`; the caller keeps `buf` borrowed until `exec` has written it,
        // and whatever bytes `exec` writes there are a valid `T` (`T: Plain`).
        let ptr = unsafe { bindings::sbm_copy_out(sandbox.as_raw(), dst, len) };
        RawBuf { ptr, len }
    }

    /// Hands an in/out buffer to the next call on `sandbox`.
    ///
    /// # Safety
    ///
    /// As for [`copy_out`].
    pub unsafe fn copy_inout<T: Plain + ?Sized>(sandbox: &Sandbox, buf: &mut T) -> RawBuf {
        let len = core::mem::size_of_val(buf);
        if len == 0 {
            return RawBuf::EMPTY;
        }
        let dst = core::ptr::from_mut(buf).cast::<c_void>();
        // SAFETY: As for `copy_out`.
        let ptr = unsafe { bindings::sbm_copy_inout(sandbox.as_raw(), dst, len) };
        RawBuf { ptr, len }
    }

    /// Runs `thunk` in `sandbox` on the buffers handed over since the last call.
    ///
    /// May sleep: the C side does (it may allocate, and waits for the sandbox).
    ///
    /// # Safety
    ///
    /// Each entry of `bufs` comes from a `copy_*` call on `sandbox` since its last `exec`, in
    /// order, and each of those buffers is still borrowed. `thunk` may read its argument only as
    /// `[RawBuf; N]`, and may rebuild from each entry only a reference of the type and kind (input
    /// or output) the entry was prepared for, that does not outlive the call.
    pub unsafe fn exec<const N: usize>(
        sandbox: &Sandbox,
        thunk: unsafe extern "C" fn(*mut c_void) -> c_int,
        bufs: &[RawBuf; N],
    ) -> Result<c_int, SandboxError> {
        // SAFETY: By the type invariant of `Sandbox`, `sandbox.as_raw()` is set up; `bufs` is
        // readable for its size, and the C side copies it when the sandbox cannot read the
        // caller's stack.
        let data = unsafe {
            bindings::sbm_pass_args(
                sandbox.as_raw(),
                bufs.as_ptr().cast_mut().cast(),
                core::mem::size_of_val(bufs),
            )
        };
        // SAFETY: By the type invariant of `Sandbox`, `sandbox.as_raw()` is set up; `data` is
        // `bufs` or its copy, which outlives the call, and the caller guarantees that `thunk`
        // interprets it correctly.
        let ret = unsafe { bindings::sbm_exec(sandbox.as_raw(), Some(thunk), data) };
        if ret >= 0 {
            return Ok(ret);
        }
        Err(match sandbox.error() {
            Some(err) => SandboxError::Aborted(err),
            None => SandboxError::Function(function_error(ret)),
        })
    }

    /// Encodes a sandboxed function's result as its thunk's return value.
    ///
    /// It runs in the sandbox, so it must be inlined into the thunk.
    #[inline(always)]
    pub fn thunk_ret<T: Success>(result: Result<T>) -> c_int {
        match result.and_then(Success::into_ret) {
            Ok(ret) => ret,
            Err(err) => err.to_errno(),
        }
    }
}

use __private::RawBuf;

#[cfg(CONFIG_RUST_SBM_KUNIT_TEST)]
#[macros::kunit_tests(rust_sbm)]
mod tests {
    use super::*;
    use crate::{
        error::code::{
            EBADMSG,
            EINVAL, //
        },
        sync::{
            Arc,
            Completion, //
        },
        task::Task,
        workqueue, //
    };
    use core::sync::atomic::{
        AtomicU32,
        AtomicUsize,
        Ordering, //
    };

    /// Counts entries into the sandboxed functions below, to prove whether one ran. Strong
    /// isolation keeps sandboxed code away from kernel data, this counter included: there a run
    /// shows only in what the function returns or writes, which every case checks too.
    static RUNS: AtomicUsize = AtomicUsize::new(0);

    #[inline(always)]
    fn count_run() {
        if !cfg!(CONFIG_SANDBOX_MODE_STRONG) {
            RUNS.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn runs() -> usize {
        RUNS.load(Ordering::Relaxed)
    }

    /// Checks that `n` runs happened since `before`, where runs can be counted.
    fn expect_runs(before: usize, n: usize) {
        if !cfg!(CONFIG_SANDBOX_MODE_STRONG) {
            assert_eq!(runs(), before + n);
        }
    }

    fn isolated() -> bool {
        Level::current() != Level::None
    }

    fn new_sandbox() -> Result<Pin<KBox<Sandbox>>> {
        KBox::pin_init(Sandbox::new(), GFP_KERNEL)
    }

    #[sandboxed]
    fn sum(data: &[u8], #[out] total: &mut u32) -> Result {
        count_run();
        *total = data.iter().map(|&b| u32::from(b)).sum();
        Ok(())
    }

    #[sandboxed]
    fn increment(#[inout] data: &mut [u32]) -> Result<u32> {
        count_run();
        for v in data.iter_mut() {
            *v += 1;
        }
        u32::try_from(data.len()).map_err(|_| EINVAL)
    }

    /// Reports what it found in its output buffer, then fills it.
    #[sandboxed]
    fn peek_fill(#[out] buf: &mut [u8], #[out] first: &mut u8) -> Result {
        count_run();
        *first = buf[0];
        buf.fill(0x5a);
        Ok(())
    }

    /// Writes its output, then fails: the output must not reach the caller.
    #[sandboxed]
    fn fill_then_fail(#[out] buf: &mut [u8; 16]) -> Result {
        count_run();
        buf.fill(0xee);
        Err(EBADMSG)
    }

    /// A constant table of sandboxed code: with strong isolation, only `.sbm.rodata` is mapped.
    #[cfg_attr(CONFIG_SANDBOX_MODE_STRONG, link_section = ".sbm.rodata")]
    static SQUARES: [u16; 16] = [
        0, 1, 4, 9, 16, 25, 36, 49, 64, 81, 100, 121, 144, 169, 196, 225,
    ];

    #[sandboxed]
    fn squares(data: &[u8; 4], #[out] out: &mut [u16; 4]) -> Result {
        count_run();
        for (o, &x) in out.iter_mut().zip(data.iter()) {
            *o = SQUARES[usize::from(x & 15)];
        }
        Ok(())
    }

    #[sandboxed]
    fn six(
        a: &u8,
        b: &u16,
        c: &u32,
        d: &u64,
        #[inout] e: &mut [u8; 3],
        #[out] f: &mut u64,
    ) -> Result<u32> {
        count_run();
        *f = u64::from(*a) + u64::from(*b) + u64::from(*c) + *d;
        e.reverse();
        Ok(6)
    }

    /// Plain data of our own, with no `unsafe` needed: the derives check the layout.
    #[repr(C)]
    #[derive(Clone, Copy, Debug, PartialEq, Eq, FromBytes, IntoBytes, Immutable)]
    struct Pair {
        a: u32,
        b: u32,
    }

    #[sandboxed]
    fn swap(input: &Pair, #[out] output: &mut Pair) -> Result {
        count_run();
        *output = Pair {
            a: input.b,
            b: input.a,
        };
        Ok(())
    }

    /// More buffers than the C macros take: the Rust side has no limit.
    #[sandboxed]
    #[expect(clippy::too_many_arguments)]
    fn sum_ten(
        a: &u32,
        b: &u32,
        c: &u32,
        d: &u32,
        e: &u32,
        f: &u32,
        g: &u32,
        h: &u32,
        i: &u32,
        #[out] total: &mut u32,
    ) -> Result {
        count_run();
        *total = a + b + c + d + e + f + g + h + i;
        Ok(())
    }

    #[sandboxed]
    fn too_big(#[out] out: &mut u8) -> Result<u32> {
        count_run();
        *out = 1;
        Ok(u32::MAX)
    }

    /// Parameters named like the variables of the generated code: hygiene keeps them apart.
    #[sandboxed]
    fn same_names(
        sandbox: &[u8],
        bufs: &u32,
        #[out] data: &mut u32,
        #[inout] ret: &mut u32,
    ) -> Result<u32> {
        count_run();
        *data = sandbox.iter().map(|&b| u32::from(b)).sum::<u32>() + *bufs;
        *ret += 1;
        Ok(3)
    }

    /// Never built: what `#[sandboxed]` generates goes with the function (rustc evaluates `#[cfg]`
    /// before other attributes, wherever it is), or the build would fail on the call to a
    /// function that does not exist.
    #[sandboxed]
    #[cfg(CONFIG_SBM_NO_SUCH_OPTION)]
    fn never_built(data: &[u8]) -> Result {
        no_such_function(data)
    }

    /// Built: a `#[cfg]` that holds keeps all of it.
    #[sandboxed]
    #[cfg(CONFIG_RUST_SBM_KUNIT_TEST)]
    fn built(#[out] out: &mut u8) -> Result {
        count_run();
        *out = 42;
        Ok(())
    }

    #[test]
    fn generated_names_do_not_clash() -> Result {
        let sandbox = new_sandbox()?;
        let before = runs();
        let (mut data, mut ret) = (0, 10);
        assert_eq!(
            same_names::call(&sandbox, &[1, 2], &5, &mut data, &mut ret)?,
            3
        );
        assert_eq!((data, ret), (8, 11));
        let mut out = 0;
        built::call(&sandbox, &mut out)?;
        assert_eq!(out, 42);
        expect_runs(before, 2);
        Ok(())
    }

    #[test]
    fn reads_its_own_constants() -> Result {
        let sandbox = new_sandbox()?;
        let before = runs();
        let mut out = [0u16; 4];
        squares::call(&sandbox, &[3, 15, 0, 7], &mut out)?;
        assert_eq!(out, [9, 225, 0, 49]);
        expect_runs(before, 1);
        Ok(())
    }

    #[test]
    fn level_matches_config() {
        let level = Level::current();
        if cfg!(CONFIG_SANDBOX_MODE_STRONG) {
            // Strong unless this CPU or platform made the kernel fall back at boot.
            assert!(level == Level::Strong || level == Level::Weak);
        } else if cfg!(CONFIG_SANDBOX_MODE) {
            assert_eq!(level, Level::Weak);
        } else {
            assert_eq!(level, Level::None);
        }
    }

    #[test]
    fn input_slice_and_output_value() -> Result {
        let sandbox = new_sandbox()?;
        let before = runs();
        let mut total = 0;
        sum::call(&sandbox, &[1, 2, 3, 250], &mut total)?;
        assert_eq!(total, 256);
        expect_runs(before, 1);
        Ok(())
    }

    #[test]
    fn inout_slice_and_return_value() -> Result {
        let sandbox = new_sandbox()?;
        let mut data = [1u32, 2, 3, 4, 5];
        assert_eq!(increment::call(&sandbox, &mut data)?, 5);
        assert_eq!(data, [2, 3, 4, 5, 6]);
        Ok(())
    }

    #[test]
    fn buffers_larger_than_a_page() -> Result {
        let sandbox = new_sandbox()?;
        let mut data = KVec::from_elem(7u32, 3000, GFP_KERNEL)?;
        assert_eq!(increment::call(&sandbox, &mut data)?, 3000);
        assert!(data.iter().all(|&v| v == 8));
        Ok(())
    }

    #[test]
    fn six_buffers_of_every_kind() -> Result {
        let sandbox = new_sandbox()?;
        let (mut e, mut f) = ([1u8, 2, 3], 0u64);
        let ret = six::call(&sandbox, &1, &20, &300, &4000, &mut e, &mut f)?;
        assert_eq!(ret, 6);
        assert_eq!(f, 4321);
        assert_eq!(e, [3, 2, 1]);
        Ok(())
    }

    #[test]
    fn ten_buffers() -> Result {
        let sandbox = new_sandbox()?;
        let mut total = 0;
        sum_ten::call(&sandbox, &1, &2, &3, &4, &5, &6, &7, &8, &9, &mut total)?;
        assert_eq!(total, 45);
        Ok(())
    }

    #[test]
    fn output_starts_zeroed() -> Result {
        let sandbox = new_sandbox()?;
        let (mut buf, mut first) = ([0x77u8; 32], 0xffu8);
        peek_fill::call(&sandbox, &mut buf, &mut first)?;
        // With isolation the function never sees the caller's old data.
        assert_eq!(first, if isolated() { 0 } else { 0x77 });
        assert!(buf.iter().all(|&b| b == 0x5a));
        Ok(())
    }

    #[test]
    fn function_error_keeps_output_and_sandbox() -> Result {
        let sandbox = new_sandbox()?;
        let mut buf = [0x11u8; 16];
        let err = fill_then_fail::call(&sandbox, &mut buf);
        assert_eq!(err, Err(SandboxError::Function(EBADMSG)));
        assert_eq!(buf[0], if isolated() { 0x11 } else { 0xee });
        // The function failed, not the sandbox: it stays usable.
        assert_eq!(sandbox.error(), None);
        let mut total = 0;
        sum::call(&sandbox, &[5], &mut total)?;
        assert_eq!(total, 5);
        Ok(())
    }

    #[test]
    fn empty_slices_need_no_copy() -> Result {
        let sandbox = new_sandbox()?;
        let before = runs();
        let mut total = 99;
        sum::call(&sandbox, &[], &mut total)?;
        assert_eq!(total, 0);
        assert_eq!(increment::call(&sandbox, &mut [])?, 0);
        expect_runs(before, 2);
        // Nothing stuck: the sandbox goes on with non-empty buffers.
        assert_eq!(sandbox.error(), None);
        sum::call(&sandbox, &[3, 4], &mut total)?;
        assert_eq!(total, 7);
        Ok(())
    }

    #[test]
    fn abort_is_sticky_until_drop() -> Result {
        let sandbox = new_sandbox()?;
        let mut total = 0;
        // SAFETY: The sandbox is set up; `sbm_copy_in` refuses a null buffer, reading nothing, and
        // the refusal sticks.
        let ptr = unsafe { bindings::sbm_copy_in(sandbox.as_raw(), core::ptr::null(), 1) };
        assert!(ptr.is_null());
        assert_eq!(sandbox.error(), Some(EINVAL));
        let err = sum::call(&sandbox, &[1], &mut total);
        assert_eq!(err, Err(SandboxError::Aborted(EINVAL)));
        drop(sandbox);
        // A new sandbox starts clean.
        let sandbox = new_sandbox()?;
        sum::call(&sandbox, &[1], &mut total)?;
        assert_eq!(total, 1);
        Ok(())
    }

    #[test]
    fn return_value_out_of_range() -> Result {
        let sandbox = new_sandbox()?;
        let mut out = 0;
        let err = too_big::call(&sandbox, &mut out);
        assert_eq!(err, Err(SandboxError::Function(EOVERFLOW)));
        assert_eq!(out, if isolated() { 0 } else { 1 });
        Ok(())
    }

    #[test]
    fn struct_of_plain_data() -> Result {
        let sandbox = new_sandbox()?;
        let mut out = Pair { a: 0, b: 0 };
        swap::call(&sandbox, &Pair { a: 1, b: 2 }, &mut out)?;
        assert_eq!(out, Pair { a: 2, b: 1 });
        Ok(())
    }

    /// Returns what no Rust function can: a negative value that is no error code.
    #[cfg_attr(CONFIG_SANDBOX_MODE_STRONG, link_section = ".sbm.text")]
    extern "C" fn no_errno_thunk(_data: *mut c_void) -> c_int {
        -5000
    }

    /// Returns a kernel-internal error code: -ERESTARTSYS.
    #[cfg_attr(CONFIG_SANDBOX_MODE_STRONG, link_section = ".sbm.text")]
    extern "C" fn restart_thunk(_data: *mut c_void) -> c_int {
        -512
    }

    #[test]
    fn out_of_range_error_is_eproto() -> Result {
        for thunk in [no_errno_thunk, restart_thunk] {
            let sandbox = new_sandbox()?;
            let byte = 0u8;
            // SAFETY: `exec` runs below, while `byte` is still borrowed.
            let bufs = [unsafe { __private::copy_in(&sandbox, &byte) }];
            // SAFETY: `bufs` was just built by `copy_in` on `sandbox`, from `byte`, which is still
            // borrowed; the thunk does not read its argument.
            let res = unsafe { __private::exec(&sandbox, thunk, &bufs) };
            assert_eq!(res, Err(SandboxError::Function(EPROTO)));
            assert_eq!(sandbox.error(), None);
        }
        Ok(())
    }

    #[test]
    fn errors_convert() {
        assert_eq!(Error::from(SandboxError::Function(EBADMSG)), EBADMSG);
        assert_eq!(Error::from(SandboxError::Aborted(EINVAL)), EINVAL);
    }

    #[test]
    fn many_sandboxes_do_not_leak() -> Result {
        // Counts every sandbox's pages: built in, this runs at boot, before anything else (a
        // mounted squashfs, /dev/sbm-cpio) can hold a sandbox.
        // SAFETY: `sbm_pages` only reads counters.
        let pages = || unsafe { bindings::sbm_pages() };
        let data = KVec::from_elem(1u8, 4 * 4096, GFP_KERNEL)?;
        let start = pages();
        for _ in 0..200 {
            let sandbox = new_sandbox()?;
            let mut total = 0;
            sum::call(&sandbox, &data, &mut total)?;
            assert_eq!(total, 4 * 4096);
            // The copies of the call are kept for the next one: the count sees them.
            if isolated() {
                assert!(pages() >= start + 4);
            }
        }
        // Every page of every sandbox, copies, page tables and stacks, was given back.
        assert_eq!(pages(), start);
        Ok(())
    }

    #[pin_data]
    struct Handover {
        #[pin]
        done: Completion,
        total: AtomicU32,
        worker: AtomicUsize,
    }

    #[test]
    fn sandbox_moves_to_another_thread() -> Result {
        // `Sandbox` is `Send`: one used here is used, then dropped, by a workqueue worker.
        let shared = Arc::pin_init(
            pin_init!(Handover {
                done <- Completion::new(),
                total: AtomicU32::new(0),
                worker: AtomicUsize::new(0),
            }),
            GFP_KERNEL,
        )?;
        let sandbox = new_sandbox()?;
        let mut total = 0;
        sum::call(&sandbox, &[1, 2], &mut total)?;
        assert_eq!(total, 3);
        let theirs = shared.clone();
        workqueue::system_unbound().try_spawn(GFP_KERNEL, move || {
            let mut total = 0;
            if sum::call(&sandbox, &[40, 2], &mut total).is_ok() {
                theirs.total.store(total, Ordering::Relaxed);
            }
            drop(sandbox);
            theirs
                .worker
                .store(Task::current_raw() as usize, Ordering::Relaxed);
            theirs.done.complete_all();
        })?;
        shared.done.wait_for_completion();
        assert_eq!(shared.total.load(Ordering::Relaxed), 42);
        assert_ne!(
            shared.worker.load(Ordering::Relaxed),
            Task::current_raw() as usize
        );
        Ok(())
    }
}

/// What strong isolation adds: code that would corrupt memory or crash the kernel ends in an
/// aborted sandbox instead. Only built with strong isolation, where it can run.
#[cfg(all(CONFIG_RUST_SBM_KUNIT_TEST, CONFIG_SANDBOX_MODE_STRONG))]
#[macros::kunit_tests(rust_sbm_strong)]
mod strong_tests {
    use super::*;
    use crate::{
        error::code::{
            EFAULT,
            EINVAL,
            ETIME, //
        },
        page::PAGE_SIZE, //
    };
    use core::sync::atomic::{
        AtomicU32,
        Ordering, //
    };

    /// Kernel data the sandboxed functions below must not reach.
    static KERNEL_DATA: AtomicU32 = AtomicU32::new(0x5b5b_5b5b);

    fn new_sandbox() -> Result<Pin<KBox<Sandbox>>> {
        KBox::pin_init(Sandbox::new(), GFP_KERNEL)
    }

    #[sandboxed]
    fn double(x: &u32, #[out] y: &mut u32) -> Result {
        *y = x.wrapping_mul(2);
        Ok(())
    }

    /// Indexes past its input: the panic path is kernel code the sandbox cannot run.
    #[sandboxed]
    fn index_past_end(data: &[u8], #[out] out: &mut u8) -> Result {
        *out = 1;
        *out = data[data.len()];
        Ok(())
    }

    /// Writes a page past the end of its output.
    #[sandboxed]
    fn write_past_end(#[out] out: &mut [u8]) -> Result {
        out[0] = 1;
        // SAFETY: Not sound, on purpose: the out-of-bounds write is the bug under test, and
        // strong isolation aborts the sandbox before it can land anywhere.
        unsafe { out.as_mut_ptr().add(PAGE_SIZE).write_volatile(1) };
        Ok(())
    }

    /// Reads and writes a kernel static.
    #[sandboxed]
    fn touch_kernel_data(#[out] out: &mut u32) -> Result {
        *out = KERNEL_DATA.load(Ordering::Relaxed);
        KERNEL_DATA.store(0, Ordering::Relaxed);
        Ok(())
    }

    /// Never returns.
    #[sandboxed]
    fn spin(#[out] out: &mut u32) -> Result {
        loop {
            *out = out.wrapping_add(1);
            core::hint::spin_loop();
        }
    }

    /// Whether strong isolation is in effect. A kernel built for it may have fallen back to
    /// weak isolation at boot (the boot log says why), where these functions would corrupt
    /// memory or never return: then the running test is marked skipped, as
    /// `kunit_mark_skipped()` does, and must not go on. Whether a boot that should run strong
    /// isolation does is for whoever runs the tests to check, from
    /// `/sys/module/sbm/parameters/level`.
    fn skip_unless_strong() -> bool {
        if Level::current() == Level::Strong {
            return false;
        }
        // SAFETY: `kunit_get_current_test()` has no preconditions.
        let test = unsafe { bindings::kunit_get_current_test() };
        if !test.is_null() {
            // SAFETY: A non-null `test` is the `struct kunit` of the case running on this thread,
            // valid until the case returns; no Rust reference to it exists (the KUnit wrapper
            // holds a raw pointer), and the runner writes `status` concurrently only after a
            // timeout, which is why this is a volatile write, as `WRITE_ONCE()` is in C.
            unsafe {
                core::ptr::addr_of_mut!((*test).status)
                    .write_volatile(bindings::kunit_status_KUNIT_SKIPPED)
            };
        }
        true
    }

    /// Checks that the call was aborted with `err`, and that a new sandbox works.
    fn expect_aborted(sandbox: &Sandbox, res: Result<(), SandboxError>, err: Error) -> Result {
        assert_eq!(res, Err(SandboxError::Aborted(err)));
        assert_eq!(sandbox.error(), Some(err));
        let fresh = new_sandbox()?;
        let mut y = 0;
        double::call(&fresh, &21, &mut y)?;
        assert_eq!(y, 42);
        Ok(())
    }

    #[test]
    fn panic_aborts_the_sandbox() -> Result {
        if skip_unless_strong() {
            return Ok(());
        }
        let sandbox = new_sandbox()?;
        let mut out = 0x11u8;
        let res = index_past_end::call(&sandbox, &[1, 2, 3], &mut out);
        assert_eq!(out, 0x11);
        expect_aborted(&sandbox, res, EFAULT)
    }

    #[test]
    fn out_of_bounds_write_aborts_the_sandbox() -> Result {
        if skip_unless_strong() {
            return Ok(());
        }
        let sandbox = new_sandbox()?;
        let mut out = [0x11u8; 16];
        let res = write_past_end::call(&sandbox, &mut out);
        assert_eq!(out, [0x11u8; 16]);
        expect_aborted(&sandbox, res, EFAULT)
    }

    #[test]
    fn kernel_data_is_out_of_reach() -> Result {
        if skip_unless_strong() {
            return Ok(());
        }
        let sandbox = new_sandbox()?;
        let mut out = 0x11;
        let res = touch_kernel_data::call(&sandbox, &mut out);
        assert_eq!(out, 0x11);
        assert_eq!(KERNEL_DATA.load(Ordering::Relaxed), 0x5b5b_5b5b);
        expect_aborted(&sandbox, res, EFAULT)
    }

    #[test]
    fn runaway_is_stopped() -> Result {
        if skip_unless_strong() {
            return Ok(());
        }
        let sandbox = new_sandbox()?;
        sandbox.set_time_limit(50)?;
        let mut out = 0x11;
        let res = spin::call(&sandbox, &mut out);
        assert_eq!(out, 0x11);
        expect_aborted(&sandbox, res, ETIME)
    }

    #[test]
    fn time_limit_is_checked() -> Result {
        let sandbox = new_sandbox()?;
        assert_eq!(sandbox.set_time_limit(0), Err(EINVAL));
        assert_eq!(sandbox.set_time_limit(3_600_001), Err(EINVAL));
        sandbox.set_time_limit(3_600_000)?;
        Ok(())
    }
}
