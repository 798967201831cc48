// SPDX-License-Identifier: GPL-2.0

//! Lists the entries of a cpio "newc" archive, parsed in a sandbox.
//!
//! The newc format is what initramfs images and early microcode archives use, and it is parsed by
//! the kernel from data that the kernel did not produce. This sample shows how such a parser runs
//! under SandBox Mode: user space writes an archive to `/dev/sbm-cpio` and reads back one line per
//! entry (`mode size name`), or `error: rejected|aborted <errno>` if the parser rejected the
//! archive or the sandbox stopped it. Whatever the archive holds, the parser can only write its
//! own output table.
//!
//! The device is a stream, and the file position plays no part: writes append to the archive, the
//! first read parses it, reads go on through the listing until end of file, and a write after a
//! read starts a new archive. Reading before anything was written is end of file at once. The
//! offset of `pread(2)` and `pwrite(2)` is ignored, as the position is.

use kernel::{
    fs::{
        File,
        Kiocb, //
    },
    iov::{
        IovIterDest,
        IovIterSource, //
    },
    miscdevice::{
        MiscDevice,
        MiscDeviceOptions,
        MiscDeviceRegistration, //
    },
    new_mutex,
    prelude::*,
    sbm::{
        sandboxed,
        Immutable,
        Sandbox,
        SandboxError, //
    },
    str::CString,
    sync::Mutex, //
};
use zerocopy::FromZeros;

module! {
    type: CpioInspectModule,
    name: "rust_sbm_cpio_inspect",
    authors: ["SBM Developers"],
    description: "Rust SandBox Mode sample: lists cpio archives parsed in a sandbox",
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

/// One archive entry as the parser reports it: plain data, which the derives check (no padding,
/// any bytes valid), so no `unsafe` is needed to hand it to a sandbox.
#[repr(C)]
#[derive(Clone, Copy, FromBytes, IntoBytes, Immutable)]
struct Entry {
    mode: u32,
    size: u32,
    name_len: u32,
    name: [u8; NAME_LEN],
}

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
fn parse_newc(archive: &[u8], #[out] entries: &mut [Entry]) -> Result<u32> {
    let mut pos = 0usize;
    let mut count = 0usize;
    loop {
        let header_end = pos.checked_add(HEADER_LEN).ok_or(EOVERFLOW)?;
        let header = archive.get(pos..header_end).ok_or(EBADMSG)?;
        if !header.starts_with(MAGIC) {
            return Err(EBADMSG);
        }
        let mode = field(header, 1)?;
        let size = field(header, 6)?;
        let namesize = usize::try_from(field(header, 11)?).map_err(|_| EOVERFLOW)?;
        let name_start = header_end;
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
    // 2 KiB: off the stack.
    let mut entries = KVec::from_elem(Entry::new_zeroed(), MAX_ENTRIES, GFP_KERNEL)?;
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
            // User space can write archives at will: no log line of its own per archive.
            pr_debug!("archive {}: {:?}\n", what, e);
            let line = CString::try_from_fmt(fmt!("error: {} {}\n", what, e.to_errno()))?;
            report.extend_from_slice(line.to_bytes(), GFP_KERNEL)?;
        }
    }
    Ok(report)
}

/// What one open file holds: the archive written so far, or the listing being read.
///
/// # Invariants
///
/// If `report` is `Some((listing, read))`, `read <= listing.len()`.
struct Session {
    archive: KVVec<u8>,
    report: Option<(KVVec<u8>, usize)>,
}

impl Session {
    fn new() -> Self {
        Self {
            archive: KVVec::new(),
            report: None,
        }
    }

    /// Appends `len` bytes to the archive with `fill`, which returns how many it appended; starts
    /// a new archive if the listing of the last one was read. A write of nothing, or one that is
    /// refused, changes nothing; one of which nothing could be copied fails with `EFAULT`.
    fn write(
        &mut self,
        len: usize,
        fill: impl FnOnce(&mut KVVec<u8>) -> Result<usize>,
    ) -> Result<usize> {
        if len == 0 {
            return Ok(0);
        }
        let kept = if self.report.is_some() {
            0
        } else {
            self.archive.len()
        };
        if kept.saturating_add(len) > MAX_ARCHIVE {
            return Err(EFBIG);
        }
        if self.report.is_none() {
            return match fill(&mut self.archive)? {
                0 => Err(EFAULT),
                n => Ok(n),
            };
        }
        // A new archive: the listing of the last one stays until the write succeeded.
        let mut archive = KVVec::new();
        match fill(&mut archive)? {
            0 => Err(EFAULT),
            n => {
                self.archive = archive;
                self.report = None;
                Ok(n)
            }
        }
    }

    /// The part of the listing not read yet, made on the first read; empty at end of file, and
    /// when nothing was written.
    fn unread(&mut self) -> Result<&[u8]> {
        if self.report.is_none() {
            let listing = if self.archive.is_empty() {
                KVVec::new()
            } else {
                inspect(&self.archive)?
            };
            // INVARIANT: Nothing of the listing is read yet.
            self.report = Some((listing, 0));
        }
        Ok(match &self.report {
            Some((listing, read)) => &listing[*read..],
            None => &[],
        })
    }

    /// Records that `n` more bytes of the listing were read.
    fn consume(&mut self, n: usize) {
        if let Some((listing, read)) = &mut self.report {
            // INVARIANT: Kept at most the listing's length.
            *read = read.saturating_add(n).min(listing.len());
        }
    }
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

/// One open file.
#[pin_data]
struct CpioInspect {
    #[pin]
    session: Mutex<Session>,
}

#[vtable]
impl MiscDevice for CpioInspect {
    type Ptr = Pin<KBox<Self>>;

    fn open(_file: &File, _misc: &MiscDeviceRegistration<Self>) -> Result<Pin<KBox<Self>>> {
        KBox::try_pin_init(
            try_pin_init!(CpioInspect {
                session <- new_mutex!(Session::new()),
            }),
            GFP_KERNEL,
        )
    }

    fn write_iter(kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterSource<'_>) -> Result<usize> {
        let me = kiocb.file();
        let mut session = me.session.lock();
        session.write(iov.len(), |archive| {
            iov.copy_from_iter_vec(archive, GFP_KERNEL)
        })
    }

    fn read_iter(kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterDest<'_>) -> Result<usize> {
        // A read of nothing must not parse a half-written archive. A read that faults has parsed
        // it: the listing stays for the next read.
        if iov.is_empty() {
            return Ok(0);
        }
        let me = kiocb.file();
        let mut session = me.session.lock();
        let unread = session.unread()?;
        let n = iov.copy_to_iter(unread);
        if n == 0 && !unread.is_empty() {
            // Nothing could be copied: a fault, not the end of the listing.
            return Err(EFAULT);
        }
        session.consume(n);
        Ok(n)
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
        assert_eq!(&report[..], rejected(EBADMSG)?.to_bytes());
        Ok(())
    }

    #[test]
    fn rejects_a_lying_name_size() -> Result {
        let mut a = archive()?;
        // namesize of the first entry: far beyond the archive.
        a[94..102].copy_from_slice(b"7fffffff");
        let report = inspect(&a)?;
        assert_eq!(&report[..], rejected(EBADMSG)?.to_bytes());
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
        assert_eq!(&report[..], rejected(E2BIG)?.to_bytes());
        Ok(())
    }

    /// The line a rejected archive is listed as: error numbers differ between architectures.
    fn rejected(err: Error) -> Result<CString> {
        CString::try_from_fmt(fmt!("error: rejected {}\n", err.to_errno()))
    }

    /// Writes `data` to `session` as `write_iter` would.
    fn write(session: &mut Session, data: &[u8]) -> Result<usize> {
        session.write(data.len(), |archive| {
            archive.extend_from_slice(data, GFP_KERNEL)?;
            Ok(data.len())
        })
    }

    #[test]
    fn reading_before_writing_is_end_of_file() -> Result {
        let mut session = Session::new();
        assert!(session.unread()?.is_empty());
        Ok(())
    }

    #[test]
    fn reads_the_listing_as_a_stream() -> Result {
        let mut session = Session::new();
        let a = archive()?;
        let (first, rest) = a.split_at(50);
        write(&mut session, first)?;
        write(&mut session, rest)?;
        assert_eq!(session.unread()?, &b"100755 10 init\n040755 0 etc\n"[..]);
        session.consume(7);
        assert_eq!(session.unread()?, &b"10 init\n040755 0 etc\n"[..]);
        session.consume(100);
        assert!(session.unread()?.is_empty());
        // A write after a read starts a new archive.
        write(&mut session, &a[..a.len() - 20])?;
        assert_eq!(session.unread()?, rejected(EBADMSG)?.to_bytes());
        Ok(())
    }

    #[test]
    fn refuses_an_archive_too_large() -> Result {
        let mut session = Session::new();
        assert_eq!(write(&mut session, &[0; 4096]), Ok(4096));
        assert_eq!(session.write(MAX_ARCHIVE, |_| Ok(0)), Err(EFBIG));
        assert_eq!(session.archive.len(), 4096);
        Ok(())
    }

    #[test]
    fn empty_and_refused_writes_keep_the_listing() -> Result {
        let mut session = Session::new();
        write(&mut session, &archive()?)?;
        let listed = session.unread()?.len();
        assert_ne!(listed, 0);
        // None of them starts a new archive.
        assert_eq!(write(&mut session, &[]), Ok(0));
        assert_eq!(session.write(MAX_ARCHIVE + 1, |_| Ok(0)), Err(EFBIG));
        assert_eq!(session.write(10, |_| Ok(0)), Err(EFAULT));
        assert_eq!(session.write(10, |_| Err(ENOMEM)), Err(ENOMEM));
        assert_eq!(session.unread()?.len(), listed);
        Ok(())
    }

    #[test]
    fn a_write_that_copies_nothing_is_a_fault() -> Result {
        let mut session = Session::new();
        assert_eq!(session.write(10, |_| Ok(0)), Err(EFAULT));
        assert!(session.unread()?.is_empty());
        Ok(())
    }

    #[test]
    fn parser_rejects_an_empty_archive() -> Result {
        // The device never parses an empty archive, but the parser must reject one (EBADMSG): it
        // is a truncated archive.
        let report = inspect(&[])?;
        assert_eq!(&report[..], rejected(EBADMSG)?.to_bytes());
        Ok(())
    }
}
