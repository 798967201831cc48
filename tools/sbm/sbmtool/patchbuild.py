# SPDX-License-Identifier: GPL-2.0-only
"""`sbm check --bisect`: every patch of the series builds on its own.
(Not named bisect.py: scripts run from this directory, such as plot.py,
would import it instead of the standard library's bisect.)

Each patch is checked out in turn, in a worktree of the tree of its own,
and what it can break is built in a build directory of its own with the
strong configuration (strong isolation, Rust, every test, every user):
the objects of the C and assembly files it changes; the objects of every
C file the series has touched so far (Kbuild's dependency records rebuild
only those that the patch affects), the Rust crates once there are any,
the linker scripts it changes. Objects, not vmlinux: linking once per
patch would take longer than the rest together, and what a later patch
adds, which is what bisection trips on, shows when compiling.
"""
import os
import shutil
from pathlib import Path

from . import deps, paths, tree
from .progress import Failure, phase, run

CONFIG = "strong"
# Linker scripts and the targets that build them (the module one is
# built by modules_prepare, it has no target of its own).
LDS = {"include/asm-generic/vmlinux.lds.h": "arch/x86/kernel/vmlinux.lds",
       "arch/x86/kernel/vmlinux.lds.S": "arch/x86/kernel/vmlinux.lds",
       "scripts/module.lds.S": "modules_prepare"}
# Rust code the build compiles as directories: the kernel crates, and the
# sample driver in samples/rust.
RUST_DIRS = ("rust/", "samples/rust/")


def bisect_dir() -> Path:
    return paths.cache_dir() / "bisect"


def _git(*args, cwd=None) -> str:
    return tree.git(*args, cwd=cwd).stdout.strip()


def commits() -> list:
    """(sha, subject) of the series, oldest first."""
    out = _git("log", "--reverse", "--format=%H %s",
               f"{tree.BASE_TAG}..HEAD", cwd=paths.tree_dir())
    return [tuple(line.split(" ", 1)) for line in out.splitlines()]


def sources(changed: list) -> list:
    """The C and assembly files among @changed that build objects."""
    # rust/helpers/*.c are #included by rust/helpers/helpers.c.
    return [f for f in changed if f.endswith((".c", ".S")) and
            f not in LDS and
            not f.startswith(("tools/", "scripts/", "rust/"))]


def targets(changed: list, touched: list, rust: bool) -> list:
    """Make targets for the patch that changes @changed: the object of
    every C or assembly file the series has touched so far (@touched;
    Kbuild's dependency records rebuild only those that what changed
    affects), the Rust code once there is some (@rust), the linker
    scripts it changes."""
    out = [f[:-2] + ".o" for f in touched]
    out += [LDS[f] for f in changed if f in LDS]
    if rust:
        out += list(RUST_DIRS)
    # Never no target at all: make would build the whole kernel.
    return sorted(set(out)) or ["prepare"]


def _prepare(src: Path, out: Path, sha: str) -> None:
    """The worktree at @sha, configured as the strong build is."""
    if not (src / ".git").exists():
        shutil.rmtree(src, ignore_errors=True)
        tree.git("worktree", "prune", cwd=paths.tree_dir())
        tree.git("worktree", "add", "--detach", str(src), sha,
                 cwd=paths.tree_dir())
    tree.git("checkout", "-q", "--detach", sha, cwd=src)
    out.mkdir(parents=True, exist_ok=True)
    # Fresh each time: an option a later patch adds must not have been
    # dropped by an earlier patch's olddefconfig.
    shutil.copy(paths.build_dir(CONFIG) / ".config", out / ".config")
    run(["make", "-C", str(src), f"O={out}", *deps.make_vars(),
         "olddefconfig"], env=deps.build_env(),
        log=bisect_dir() / "olddefconfig.log")


def check() -> list:
    if not (paths.build_dir(CONFIG) / ".config").exists():
        return [f"no {CONFIG} build: run `sbm build --config {CONFIG}` first"]
    src, out = bisect_dir() / "src", bisect_dir() / "build"
    bisect_dir().mkdir(parents=True, exist_ok=True)
    problems, touched, rust = [], [], False
    series = commits()
    for n, (sha, subject) in enumerate(series, 1):
        changed = _git("diff-tree", "--no-commit-id", "--name-only", "-r",
                       "--diff-filter=AMR", sha,
                       cwd=paths.tree_dir()).splitlines()
        _prepare(src, out, sha)
        # Files a later patch removed or renamed are gone from the list.
        touched = sorted(f for f in set(touched) | set(sources(changed))
                         if (src / f).exists())
        rust = rust or any(f.endswith(".rs") for f in changed)
        goals = targets(changed, touched, rust)
        phase(f"bisect: {n}/{len(series)} {subject}: "
              f"{len(goals)} targets")
        log = bisect_dir() / f"{n:04d}.log"
        res = run(["make", "-C", str(src), f"O={out}", *deps.make_vars(),
                   f"-j{os.cpu_count()}", *goals], env=deps.build_env(),
                  log=log, check=False)
        if res.returncode:
            problems.append(f"patch {n} ({subject}) does not build: "
                            f"see {log}")
    return problems

