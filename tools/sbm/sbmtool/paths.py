# SPDX-License-Identifier: GPL-2.0-only
"""Where things live: the repository, the cache outside it, and the pins."""
import os
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
TOOL_DIR = REPO / "tools" / "sbm"
CONFIG_DIR = TOOL_DIR / "configs"
PATCH_DIR = REPO / "patches"

# The base tree: Debian's linux-source-7.3 from trixie-backports.
BASE_PACKAGE = "linux-source-7.3"
BASE_VERSION = "7.3.4-1~bpo13+1"
BASE_SUITE = "deb http://deb.debian.org/debian trixie-backports main"

# Kernel-path folders of the repository: they hold the files the series
# adds. Everything else in them (tools/sbm) is ours and not in the series.
KERNEL_FOLDERS = ("rust", "arch", "include", "Documentation", "mm", "kernel",
                  "lib", "samples", "tools")
KERNEL_FILES = ("Kconfig.sbm",)
NOT_IN_SERIES = ("tools/sbm/",)

# Configurations under test, each a list of fragments from CONFIG_DIR.
CONFIGS = {
    "none": ["base.config", "none.config"],
    "weak": ["base.config", "weak.config"],
    "strong": ["base.config", "strong.config"],
}

@dataclass(frozen=True)
class MitigationRow:
    """A boot of the mitigation matrix.

    name: the row's name; params: kernel parameters that force the
    mitigations; proofs: kernel log lines that show each took effect
    (or that strong isolation refused it);
    unavailable: (proof, the line with which the kernel says the CPU
    cannot do it) pairs (QEMU's TCG lacks some features): that part of the row is
    reported as not shown instead of failing, and the line is expected.
    """
    name: str
    params: tuple
    proofs: tuple
    unavailable: tuple = ()
    # QEMU options of the boot, the isolation level it must run at, and
    # whether it checks that sbm.strict then refuses sandboxes.
    qemu_opts: tuple = ()
    level: str = "strong"
    strict: bool = False


# The mitigation matrix: after its own boot, a configuration is booted again
# once per row with mitigations forced that QEMU's CPU does not get by
# default, and every suite must pass again. A row whose mitigation did not
# take effect fails: it would prove nothing.
MITIGATION_MATRIX = {
    "strong": (
        # AMD Zen 1/2's default: every RET through the untraining thunk,
        # UNTRAIN_RET on every entry.
        MitigationRow("unret", ("retbleed=force,unret",),
                      ("RETBleed: Mitigation: untrained return thunk",)),
        # Retpolines: indirect calls and jumps through thunks.
        MitigationRow("retpoline", ("spectre_v2=retpoline,generic",),
                      ("Spectre V2 : Mitigation: Retpolines",)),
        # IBPB on every kernel entry, with kernel page tables of its own.
        MitigationRow(
            "ibpb-pti", ("retbleed=force,ibpb", "pti=on"),
            ("Kernel/User page tables isolation: enabled",
             "RETBleed: Mitigation: IBPB"),
            (("RETBleed: Mitigation: IBPB",
              "RETBleed: WARNING: CPU does not support IBPB."),)),
        # Page-table isolation as an Intel CPU without PCID gets it by
        # default (pti=auto): kernel text cloned into the user page tables
        # with global entries, which decides what a sandbox entry must
        # flush (sbm_test_entry_flushes_no_page). TCG's CPU is AMD unless
        # told, and AMD gets no page-table isolation.
        MitigationRow("pti-auto", ("pti=auto",),
                      ("Kernel/User page tables isolation: enabled",),
                      qemu_opts=("-cpu max,vendor=GenuineIntel",)),
        # Intel Skylake's call depth tracking, which strong isolation
        # refuses: the kernel must say so, fall back to weak isolation and
        # pass every suite there (strong-only cases skip), and sbm.strict
        # must then refuse sandboxes. TCG's CPU is AMD unless told.
        MitigationRow(
            "stuff-fallback", ("retbleed=force,stuff", "spectre_v2=retpoline"),
            ("RETBleed: Mitigation: Stuffing",
             "sbm: strong isolation refused: call depth tracking"),
            qemu_opts=("-cpu max,vendor=GenuineIntel",),
            level="weak", strict=True),
    ),
}

# Real machine checks (sbmtool/mce.py), in a boot of their own that runs
# only the tests which wait for them (one that needs no action, then
# poison a sandbox consumes): injected into the other suites, they would
# hit the KUnit stand-ins of the kernel's handler. QEMU's AMD CPU model
# lacks MCA recovery (SUCCOR), on which the kernel panics at any
# uncorrected error, so the boot uses its Intel model.
MCE_INJECTION = {
    "strong": MitigationRow(
        "mce", ("kunit.filter_glob=sbm_x86_hostile.sbm_test_injected_*",),
        (), qemu_opts=("-cpu max,vendor=GenuineIntel",)),
}

# The configuration `demo`, `vng` and `env` use by default.
DEMO_CONFIG = "strong"

# KUnit suites every configuration must report.
EXPECTED_SUITES = ("sbm_api", "sbm_copy", "sbm_errors", "sbm_guard", "sbm_lend",
                   "rust_sbm",
                   "sbm_cpio_inspect", "rust_doctests_kernel",
                   "sbm_user_lz4", "sbm_user_zlib", "sbm_user_zstd")
# Suites only some configurations have.
EXTRA_SUITES = {"strong": ("sbm_x86_hostile", "rust_sbm_strong")}


# KUnit suites built as modules, which the guest loads after boot: module
# (relative to the build directory) -> the suites it must report.
KUNIT_MODULES = {
    "strong": {"arch/x86/kernel/sbm/sbm_module_kunit.ko": ("sbm_x86_module",)},
}


def expected_suites(config: str) -> tuple:
    return EXPECTED_SUITES + EXTRA_SUITES.get(config, ())


# Cases that must be among the results too: the examples of kernel::sbm,
# which run in the kernel crate's doctest suite.
EXPECTED_CASES = ("rust_doctest_kernel_sbm_rs_",)


def cache_dir() -> Path:
    """Cache for the toolchain, the tree and the builds (outside the repo)."""
    return Path(os.environ.get("SBM_CACHE",
                               Path.home() / ".cache" / "sbm")).resolve()


def tree_dir() -> Path:
    return cache_dir() / "src" / "linux"


def build_dir(config: str) -> Path:
    return cache_dir() / "build" / config


def venv_dir() -> Path:
    return cache_dir() / "venv"


def bindgen_dir() -> Path:
    return cache_dir() / "bindgen"
