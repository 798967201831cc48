# SPDX-License-Identifier: GPL-2.0-only
"""The kernel's x86 entry selftests (tools/testing/selftests/x86), built
with the kernel's own Makefile, for `sbm test` to run in the guest."""
from pathlib import Path

from . import paths, tree
from .progress import phase, run

# The 64-bit entry tests the issue names, and their neighbours, that pass
# under QEMU's TCG on a kernel of our configuration without the series.
# ldt_gdt and ptrace_syscall run 32-bit code: gcc-multilib and
# CONFIG_IA32_EMULATION. Left out: syscall_numbering_64 (expects the x32
# ABI), sysret_ss_attrs_64 (takes minutes under TCG).
TESTS = (
    "sigreturn_64", "single_step_syscall_64", "syscall_nt_64",
    "sysret_rip_64", "test_vsyscall_64", "fsgsbase_64",
    "fsgsbase_restore_64", "check_initial_reg_state_64",
    "syscall_arg_fault_64", "sigaltstack_64", "iopl_64", "ioperm_64",
    "test_mremap_vdso_64", "ldt_gdt_64", "ptrace_syscall_64",
    "sigtrap_loop_64", "nx_stack_64",
)
# Tests that fail under TCG whatever the kernel: mov_ss_trap_64 (the
# process gets SIGSEGV at "MOV SS; SYSCALL" with a data breakpoint on SS),
# int_signal_64 (single-step cases). They must do on strong exactly what
# they do on none, whose entry code `sbm check` proves to be the
# unpatched kernel's: same verdict lines, same exit status.
SAME_AS_NONE = ("mov_ss_trap_64", "int_signal_64")
# Configurations that run them: the one whose entry paths the series
# could have changed, and the baseline it is compared with.
CONFIGS = ("none", "strong")
BASELINE = "none"
GUEST_SCRIPT = paths.TOOL_DIR / "guest" / "x86-selftests.sh"


def out_dir() -> Path:
    return paths.cache_dir() / "selftests" / "x86"


def check_names() -> tuple:
    return tuple(f"selftest-{t}" for t in TESTS)


def build() -> Path:
    """Install the UAPI headers once, then build the tests (seconds)."""
    src = tree.ensure()
    headers = tree.uapi_headers()
    out = out_dir()
    out.mkdir(parents=True, exist_ok=True)
    phase("selftests: building tools/testing/selftests/x86")
    run(["make", "-C", str(src / "tools" / "testing" / "selftests" / "x86"),
         f"OUTPUT={out}", "CC=gcc",
         f"KHDR_INCLUDES=-isystem {headers / 'usr' / 'include'}",
         *[str(out / t) for t in TESTS + SAME_AS_NONE]],
        log=paths.cache_dir() / "selftests.log")
    return out


def guest_command() -> str:
    return (f"sh {GUEST_SCRIPT} {out_dir()} {' '.join(TESTS)} -- "
            f"{' '.join(SAME_AS_NONE)}")


def outcomes(output: str) -> dict:
    """Each test's verdict lines and exit status, from the guest script's
    "SELFTEST NAME | line" lines."""
    found = {}
    for line in output.splitlines():
        words = line.split(" | ", 1)
        head = words[0].split()
        if len(words) == 2 and len(head) == 2 and head[0] == "SELFTEST":
            found.setdefault(head[1], []).append(words[1].rstrip())
    return found


def same_as_baseline(output: str, baseline: str) -> list:
    """(name, passed, details) per SAME_AS_NONE test: did it do here what
    it did on the baseline configuration?"""
    here, there = outcomes(output), outcomes(baseline)
    result = []
    for name in SAME_AS_NONE:
        check = f"selftest-{name}-as-on-{BASELINE}"
        mine, theirs = here.get(name), there.get(name)
        if not mine or not theirs:
            result.append((check, False, ["no output to compare"]))
            continue
        details = [f"{BASELINE}: {t!r}, here: {m!r}"
                   for t, m in zip(theirs, mine) if t != m]
        if len(mine) != len(theirs):
            details.append(f"{len(theirs)} lines on {BASELINE}, "
                           f"{len(mine)} here")
        result.append((check, not details, details[:10]))
    return result
