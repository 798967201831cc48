// SPDX-License-Identifier: GPL-2.0

//! SandBox Mode demonstration in Rust, built as an external module by `sbm demo`. The parser is
//! the example of Documentation/security/sandbox-mode.rst, unchanged (the demo also imports
//! `Level`).

use kernel::prelude::*;
use kernel::sbm::{
    sandboxed,
    Level,
    Sandbox,
    SandboxError, //
};

module! {
    type: SbmRustDemo,
    name: "sbm_rust_demo",
    authors: ["SBM Developers"],
    description: "SandBox Mode demonstration in Rust",
    license: "GPL",
}

/// Parses a big-endian length-prefixed record: runs in the sandbox.
#[sandboxed]
fn record_len(data: &[u8], #[out] len: &mut u32) -> Result {
    let prefix = data.get(..2).ok_or(EINVAL)?;
    let n = u16::from_be_bytes([prefix[0], prefix[1]]);
    if usize::from(n) > data.len() - 2 {
        return Err(EOVERFLOW);
    }
    *len = u32::from(n);
    Ok(())
}

fn check_record(data: &[u8]) -> Result<u32> {
    let sandbox = KBox::pin_init(Sandbox::new(), GFP_KERNEL)?;
    let mut len = 0;
    match record_len::call(&sandbox, data, &mut len) {
        Ok(()) => Ok(len),
        Err(SandboxError::Function(e)) => Err(e),
        Err(SandboxError::Aborted(e)) => {
            pr_warn!("record parser stopped: {:?}\n", e);
            Err(e)
        }
    }
}

struct SbmRustDemo;

impl kernel::Module for SbmRustDemo {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("isolation level in effect: {:?}\n", Level::current());
        pr_info!(
            "record 00 03 'abc': {:?}\n",
            check_record(&[0, 3, b'a', b'b', b'c'])
        );
        pr_info!("record 00 09 'a' (length lies): {:?}\n", check_record(&[0, 9, b'a']));
        pr_info!("empty record (refused): {:?}\n", check_record(&[]));
        Ok(SbmRustDemo)
    }
}
