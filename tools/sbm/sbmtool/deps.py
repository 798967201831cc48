# SPDX-License-Identifier: GPL-2.0-only
"""`sbm deps`: install the toolchain, skipping whatever is already there."""
import os
import shutil
import subprocess

from . import paths
from .progress import Failure, phase, run

APT_PACKAGES = (
    "rustc-web", "rust-web-src", "clang-22", "lld-22", "llvm-22",
    "libclang-22-dev", "flex", "bison", "bc", "libelf-dev", "libssl-dev",
    "cpio", "kmod", "dwarves", "make", "gcc", "libc6-dev", "python3",
    # The x86 selftests that run 32-bit code (ldt_gdt, ptrace_syscall).
    "gcc-multilib",
    "python3-venv", "rsync", "xz-utils", "zstd", "qemu-system-x86", "udev",
    "perl", "python3-ply", "python3-git", "rust-web-clippy", "rustfmt-web",
    # The squashfs images the guest mounts (guest/squashfs-check.sh).
    "squashfs-tools",
)
LLVM_BIN = "/usr/lib/llvm-22/bin"
BINDGEN_MIN = (0, 71, 1)


def build_env() -> dict:
    """Environment in which Kbuild, kunit.py and vng find our toolchain."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(paths.venv_dir() / "bin"),
                                   str(paths.bindgen_dir() / "bin"),
                                   LLVM_BIN, env.get("PATH", "")])
    return env


def make_vars() -> list:
    """Make variables for every kernel build: LLVM, Debian's rustc."""
    return ["LLVM=1", "RUSTC=/usr/bin/rustc", "RUSTDOC=/usr/bin/rustdoc",
            "RUSTFMT=/usr/bin/rustfmt", "CLIPPY_DRIVER=/usr/bin/clippy-driver",
            f"BINDGEN={paths.bindgen_dir() / 'bin' / 'bindgen'}"]


def _missing_packages() -> list:
    missing = []
    for pkg in APT_PACKAGES:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg],
                             capture_output=True, text=True).stdout
        if "install ok installed" not in out:
            missing.append(pkg)
    return missing


def _apt() -> None:
    missing = _missing_packages()
    if not missing:
        phase("deps: Debian packages present")
        return
    phase(f"deps: installing {len(missing)} Debian packages: "
          f"{' '.join(missing)}")
    log = paths.cache_dir() / "apt.log"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "update", "-q"], env=env, log=log)
    run(["apt-get", "install", "-y", "-q", "--no-install-recommends",
         *missing], env=env, log=log)


def _version_tuple(text: str) -> tuple:
    for word in text.split():
        parts = word.split(".")
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            return tuple(int(p) for p in parts)
    return ()


def _bindgen() -> None:
    exe = paths.bindgen_dir() / "bin" / "bindgen"
    if exe.exists():
        out = run([str(exe), "--version"], check=False).stdout
        if _version_tuple(out) >= BINDGEN_MIN:
            phase(f"deps: {out.strip()} present")
            return
    cargo = shutil.which("cargo") or shutil.which(
        "cargo", path=os.path.expanduser("~/.cargo/bin"))
    if not cargo:
        raise Failure("cargo not found: install Rust's cargo (rustup) "
                      "to build bindgen-cli")
    phase("deps: cargo install bindgen-cli (about 2 minutes)")
    env = dict(os.environ, LIBCLANG_PATH=f"{LLVM_BIN}/../lib")
    run([cargo, "install", "bindgen-cli", "--locked", "--root",
         str(paths.bindgen_dir())], env=env,
        log=paths.cache_dir() / "bindgen.log")


def _virtme_ng() -> None:
    venv = paths.venv_dir()
    if (venv / "bin" / "vng").exists():
        phase("deps: virtme-ng present")
        return
    phase("deps: virtme-ng into a venv")
    log = paths.cache_dir() / "venv.log"
    run(["/usr/bin/python3", "-m", "venv", str(venv)], log=log)
    run([str(venv / "bin" / "pip"), "install", "-q", "virtme-ng"], log=log)


def _matplotlib() -> None:
    """For the plot of `sbm bench`, in the same venv."""
    python = paths.venv_dir() / "bin" / "python"
    if subprocess.run([str(python), "-c", "import matplotlib"],
                      capture_output=True).returncode == 0:
        phase("deps: matplotlib present")
        return
    phase("deps: matplotlib into the venv")
    run([str(paths.venv_dir() / "bin" / "pip"), "install", "-q",
         "matplotlib"], log=paths.cache_dir() / "venv.log")


def ensure() -> None:
    paths.cache_dir().mkdir(parents=True, exist_ok=True)
    _apt()
    _bindgen()
    _virtme_ng()
    _matplotlib()


def report() -> None:
    env = build_env()
    for cmd in (["/usr/bin/rustc", "--version"], ["clang", "--version"],
                ["bindgen", "--version"], ["vng", "--version"],
                ["qemu-system-x86_64", "--version"]):
        out = run(cmd, env=env, check=False)
        first = (out.stdout or out.stderr).splitlines()[:1]
        print(f"  {cmd[0]}: {first[0] if first else 'not found'}")


def cmd_deps(args) -> int:
    ensure()
    report()
    return 0
