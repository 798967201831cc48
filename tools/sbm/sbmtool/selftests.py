# SPDX-License-Identifier: GPL-2.0-only
"""The kernel's x86 entry selftests (tools/testing/selftests/x86), built
with the kernel's own Makefile, for `sbm test` to run in the guest."""
from pathlib import Path

from . import paths, tree
from .progress import phase, run

# The 64-bit entry tests the issue names, and their neighbours, that pass
# under QEMU's TCG on an unpatched kernel of our configuration. Left out,
# with the same result with and without the series: mov_ss_trap_64
# (SIGSEGV after setting a watchpoint: TCG), int_signal_64 (ptrace
# single-step cases fail: TCG), syscall_numbering_64 (expects the x32
# ABI), sysret_ss_attrs_64 (takes minutes under TCG), ldt_gdt_64 (needs a
# 32-bit toolchain).
TESTS = (
    "sigreturn_64", "single_step_syscall_64", "syscall_nt_64",
    "sysret_rip_64", "test_vsyscall_64", "fsgsbase_64",
    "fsgsbase_restore_64", "check_initial_reg_state_64",
    "syscall_arg_fault_64", "sigaltstack_64", "iopl_64", "ioperm_64",
    "test_mremap_vdso_64",
)
# Configurations that run them: the one whose entry paths the series
# could have changed.
CONFIGS = ("strong",)
GUEST_SCRIPT = paths.TOOL_DIR / "guest" / "x86-selftests.sh"


def out_dir() -> Path:
    return paths.cache_dir() / "selftests" / "x86"


def check_names() -> tuple:
    return tuple(f"selftest-{t}" for t in TESTS)


def build() -> Path:
    """Install the UAPI headers once, then build the tests (seconds)."""
    src = tree.ensure()
    headers = paths.cache_dir() / "headers"
    if not (headers / "usr" / "include" / "linux").exists():
        phase("selftests: installing UAPI headers (~30 s)")
        run(["make", "-C", str(src), f"O={headers}", "headers"],
            log=paths.cache_dir() / "headers.log")
    out = out_dir()
    out.mkdir(parents=True, exist_ok=True)
    phase("selftests: building tools/testing/selftests/x86")
    run(["make", "-C", str(src / "tools" / "testing" / "selftests" / "x86"),
         f"OUTPUT={out}", "CC=gcc",
         f"KHDR_INCLUDES=-isystem {headers / 'usr' / 'include'}",
         *[str(out / t) for t in TESTS]],
        log=paths.cache_dir() / "selftests.log")
    return out


def guest_command() -> str:
    return f"sh {GUEST_SCRIPT} {out_dir()} {' '.join(TESTS)}"
