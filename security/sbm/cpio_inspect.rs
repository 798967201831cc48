// SPDX-License-Identifier: GPL-2.0

//! Lists the entries of a cpio "newc" archive, parsed in a sandbox.
//!
//! The newc format is what initramfs images and early microcode archives use, and it is parsed by
//! the kernel from data that the kernel did not produce. This driver shows how such a parser runs
//! under SandBox Mode: user space writes an archive to `/dev/sbm-cpio` and reads back one line per
//! entry (`mode size name`), or `error: <errno>` if the parser rejected the archive or the sandbox
//! stopped it. Whatever the archive holds, the parser can only write its own output table.

use kernel::{
    fs::{File, Kiocb},
    iov::{IovIterDest, IovIterSource},
    miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration},
    new_mutex,
    prelude::*,
    sbm::{sandboxed, Sandbox, SandboxError},
    str::CString,
    sync::Mutex,
    transmute::{AsBytes, FromBytes},
};

module! {
    type: CpioInspectModule,
    name: "sbm_cpio_inspect",
    authors: ["SBM Developers"],
    description: "Lists cpio archives parsed in a SandBox Mode sandbox",
    license: "GPL",
}

/// Entries reported per archive; the parser stops with `E2BIG` beyond this.
const MAX_ENTRIES: usize = 32;
/// Bytes of a name kept in the report.
const NAME_LEN: usize = 52;
/// Largest archive accepted from user space.
const MAX_ARCHIVE: usize = 1 << 20;

const HEADER_LEN: usize = 110;
const MAGIC: &[u8; 6] = b"070701";
const TRAILER: &[u8] = b"TRAILER!!!";

/// One archive entry as the parser reports it: plain data, no padding.
#[repr(C)]
#[derive(Clone, Copy)]
struct Entry {
    mode: u32,
    size: u32,
    name_len: u32,
    name: [u8; NAME_LEN],
}

// SAFETY: `Entry` is made of integers and a byte array, laid out without padding (3 * 4 + 52
// bytes, alignment 4): any bytes form a valid `Entry`.
unsafe impl FromBytes for Entry {}
// SAFETY: `Entry` has no padding, so all its bytes are initialized.
unsafe impl AsBytes for Entry {}

/// Reads the 8 hex digits of header field `index`.
///
/// Like every function `parse_newc` calls, it is inlined into it: strong isolation executes only
/// the code of sandboxed functions.
#[inline(always)]
fn field(header: &[u8], index: usize) -> Result<u32> {
    let start = MAGIC.len() + 8 * index;
    let digits = header.get(start..start + 8).ok_or(EBADMSG)?;
    digits.iter().try_fold(0u32, |acc, &c| {
        let digit = char::from(c).to_digit(16).ok_or(EBADMSG)?;
        Ok((acc << 4) | digit)
    })
}

#[inline(always)]
fn align4(n: usize) -> Result<usize> {
    n.checked_add(3).map(|v| v & !3).ok_or(EOVERFLOW)
}

/// Parses a newc archive into `entries`; runs in the sandbox.
///
/// Returns the number of entries before the trailer.
#[sandboxed]
fn parse_newc(archive: &[u8], #[out] entries: &mut [Entry; MAX_ENTRIES]) -> Result<u32> {
    let mut pos = 0usize;
    let mut count = 0usize;
    loop {
        let header = archive.get(pos..pos + HEADER_LEN).ok_or(EBADMSG)?;
        if !header.starts_with(MAGIC) {
            return Err(EBADMSG);
        }
        let mode = field(header, 1)?;
        let size = field(header, 6)?;
        let namesize = usize::try_from(field(header, 11)?).map_err(|_| EOVERFLOW)?;
        let name_start = pos + HEADER_LEN;
        let name_end = name_start.checked_add(namesize).ok_or(EOVERFLOW)?;
        // The name ends with a NUL that is counted in namesize.
        let name = archive.get(name_start..name_end).ok_or(EBADMSG)?;
        let (nul, name) = name.split_last().ok_or(EBADMSG)?;
        if *nul != 0 {
            return Err(EBADMSG);
        }
        if name == TRAILER {
            return u32::try_from(count).map_err(|_| EOVERFLOW);
        }
        let entry = entries.get_mut(count).ok_or(E2BIG)?;
        let kept = name.len().min(NAME_LEN);
        entry.mode = mode;
        entry.size = size;
        entry.name_len = u32::try_from(kept).map_err(|_| EOVERFLOW)?;
        entry.name[..kept].copy_from_slice(&name[..kept]);
        count += 1;

        let data_start = align4(name_end)?;
        let data_end = data_start
            .checked_add(usize::try_from(size).map_err(|_| EOVERFLOW)?)
            .ok_or(EOVERFLOW)?;
        if data_end > archive.len() {
            return Err(EBADMSG);
        }
        pos = align4(data_end)?;
    }
}

/// Parses `archive` in a fresh sandbox and renders the report.
fn inspect(archive: &[u8]) -> Result<KVVec<u8>> {
    let sandbox = KBox::pin_init(Sandbox::new(), GFP_KERNEL)?;
    let mut entries = [Entry {
        mode: 0,
        size: 0,
        name_len: 0,
        name: [0; NAME_LEN],
    }; MAX_ENTRIES];
    let mut report = KVVec::new();
    match parse_newc::call(&sandbox, archive, &mut entries) {
        Ok(count) => {
            // Never trust the parser's output further than its shape allows.
            let count = usize::try_from(count)
                .unwrap_or(MAX_ENTRIES)
                .min(MAX_ENTRIES);
            for entry in &entries[..count] {
                let len = usize::try_from(entry.name_len)
                    .unwrap_or(NAME_LEN)
                    .min(NAME_LEN);
                let line = CString::try_from_fmt(fmt!("{:06o} {} ", entry.mode, entry.size))?;
                report.extend_from_slice(line.to_bytes(), GFP_KERNEL)?;
                for &c in &entry.name[..len] {
                    let c = if c.is_ascii_graphic() { c } else { b'?' };
                    report.push(c, GFP_KERNEL)?;
                }
                report.push(b'\n', GFP_KERNEL)?;
            }
        }
        Err(err) => {
            let (what, e) = match err {
                SandboxError::Function(e) => ("rejected", e),
                SandboxError::Aborted(e) => ("aborted", e),
            };
            pr_info!("archive {}: {:?}\n", what, e);
            let line = CString::try_from_fmt(fmt!("error: {} {}\n", what, e.to_errno()))?;
            report.extend_from_slice(line.to_bytes(), GFP_KERNEL)?;
        }
    }
    Ok(report)
}

#[pin_data]
struct CpioInspectModule {
    #[pin]
    _miscdev: MiscDeviceRegistration<CpioInspect>,
}

impl kernel::InPlaceModule for CpioInspectModule {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            _miscdev <- MiscDeviceRegistration::register(MiscDeviceOptions {
                name: c"sbm-cpio",
            }),
        })
    }
}

struct Inner {
    archive: KVVec<u8>,
    report: Option<KVVec<u8>>,
}

/// One open file: the archive written so far and, once read, its report.
#[pin_data]
struct CpioInspect {
    #[pin]
    inner: Mutex<Inner>,
}

#[vtable]
impl MiscDevice for CpioInspect {
    type Ptr = Pin<KBox<Self>>;

    fn open(_file: &File, _misc: &MiscDeviceRegistration<Self>) -> Result<Pin<KBox<Self>>> {
        KBox::try_pin_init(
            try_pin_init!(CpioInspect {
                inner <- new_mutex!(Inner {
                    archive: KVVec::new(),
                    report: None,
                }),
            }),
            GFP_KERNEL,
        )
    }

    fn write_iter(mut kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterSource<'_>) -> Result<usize> {
        let me = kiocb.file();
        let mut inner = me.inner.lock();
        if inner.archive.len() + iov.len() > MAX_ARCHIVE {
            return Err(EFBIG);
        }
        inner.report = None;
        let len = iov.copy_from_iter_vec(&mut inner.archive, GFP_KERNEL)?;
        *kiocb.ki_pos_mut() += i64::try_from(len).map_err(|_| EOVERFLOW)?;
        Ok(len)
    }

    fn read_iter(mut kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterDest<'_>) -> Result<usize> {
        let me = kiocb.file();
        let mut inner = me.inner.lock();
        if inner.report.is_none() {
            let report = inspect(&inner.archive)?;
            inner.report = Some(report);
            *kiocb.ki_pos_mut() = 0;
        }
        let report = inner.report.as_deref().unwrap_or_default();
        iov.simple_read_from_buffer(kiocb.ki_pos_mut(), report)
    }
}

#[kunit_tests(sbm_cpio_inspect)]
mod tests {
    use super::*;

    /// Appends a newc entry to `out`.
    fn push_entry(out: &mut KVVec<u8>, name: &[u8], mode: u32, data: &[u8]) -> Result {
        let namesize = name.len() + 1;
        let header = CString::try_from_fmt(fmt!(
            "070701{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}",
            1,
            mode,
            0,
            0,
            1,
            0,
            data.len(),
            0,
            0,
            0,
            0,
            namesize,
            0
        ))?;
        out.extend_from_slice(header.to_bytes(), GFP_KERNEL)?;
        out.extend_from_slice(name, GFP_KERNEL)?;
        out.push(0, GFP_KERNEL)?;
        while out.len() % 4 != 0 {
            out.push(0, GFP_KERNEL)?;
        }
        out.extend_from_slice(data, GFP_KERNEL)?;
        while out.len() % 4 != 0 {
            out.push(0, GFP_KERNEL)?;
        }
        Ok(())
    }

    fn archive() -> Result<KVVec<u8>> {
        let mut a = KVVec::new();
        push_entry(&mut a, b"init", 0o100755, b"#!/bin/sh\n")?;
        push_entry(&mut a, b"etc", 0o40755, b"")?;
        push_entry(&mut a, b"TRAILER!!!", 0, b"")?;
        Ok(a)
    }

    #[test]
    fn lists_a_valid_archive() -> Result {
        let report = inspect(&archive()?)?;
        assert_eq!(&report[..], &b"100755 10 init\n040755 0 etc\n"[..]);
        Ok(())
    }

    #[test]
    fn rejects_a_truncated_archive() -> Result {
        let a = archive()?;
        let report = inspect(&a[..a.len() - 20])?;
        assert_eq!(&report[..], &b"error: rejected -74\n"[..]);
        Ok(())
    }

    #[test]
    fn rejects_a_lying_name_size() -> Result {
        let mut a = archive()?;
        // namesize of the first entry: far beyond the archive.
        a[94..102].copy_from_slice(b"7fffffff");
        let report = inspect(&a)?;
        assert_eq!(&report[..], &b"error: rejected -74\n"[..]);
        Ok(())
    }

    #[test]
    fn rejects_too_many_entries() -> Result {
        let mut a = KVVec::new();
        for _ in 0..MAX_ENTRIES + 1 {
            push_entry(&mut a, b"f", 0o100644, b"x")?;
        }
        push_entry(&mut a, b"TRAILER!!!", 0, b"")?;
        let report = inspect(&a)?;
        assert_eq!(&report[..], &b"error: rejected -7\n"[..]);
        Ok(())
    }

    #[test]
    fn rejects_an_empty_archive() -> Result {
        // An empty archive is a truncated one: the parser runs and rejects it (EBADMSG).
        let report = inspect(&[])?;
        assert_eq!(&report[..], &b"error: rejected -74\n"[..]);
        Ok(())
    }
}
