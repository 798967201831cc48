# SPDX-License-Identifier: GPL-2.0-only
"""Where things live: the repository, the cache outside it, and the pins."""
import os
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
                  "security", "tools")
KERNEL_FILES = ("Kconfig.sbm",)
NOT_IN_SERIES = ("tools/sbm/",)

# Configurations under test, each a list of fragments from CONFIG_DIR.
CONFIGS = {
    "none": ["base.config", "none.config"],
    "weak": ["base.config", "weak.config"],
    "strong": ["base.config", "strong.config"],
}

# The configuration `demo`, `vng` and `env` use by default.
DEMO_CONFIG = "strong"

# KUnit suites every configuration must report.
EXPECTED_SUITES = ("sbm_api", "sbm_copy", "sbm_errors", "sbm_guard", "rust_sbm",
                   "sbm_cpio_inspect", "rust_doctests_kernel")
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
