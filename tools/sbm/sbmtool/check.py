# SPDX-License-Identifier: GPL-2.0-only
"""`sbm check`: the series is consistent, applies, and is clean."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

from . import deps, isolation, paths, patchbuild, series, surface, tree
from .progress import Failure, phase, run

DEBIAN_CHANGED = paths.TOOL_DIR / "debian-changed-files.txt"
_FINDING = re.compile(r"^(ERROR|WARNING|CHECK):")
# CamelCase names that are not ours to choose: zstd's own, which the series
# must spell as zstd does to replace its allocation functions
# (lib/zstd/zstd_sbm_copy.c) and to set its compression parameters (the
# KUnit suite and the benchmark), as every kernel user of zstd does.
# checkpatch knows only the names of include/ prototypes and typedefs.
FOREIGN_CAMELCASE = frozenset(("ZSTD_customMalloc", "ZSTD_customCalloc",
                               "ZSTD_customFree", "cParams", "fParams"))
_CAMELCASE = re.compile(r"^CHECK: Avoid CamelCase: <(\w+)>")
# checkpatch runs scripts/spdxcheck.py, which needs Debian's python3-ply.
SYSTEM_PYTHON_ENV = dict(os.environ,
                         PATH="/usr/bin:" + os.environ.get("PATH", ""))


# The configuration with strong isolation, whose objects the executable-
# surface proof reads.
SURFACE_CONFIG = "strong"


def check_agreement(patches) -> list:
    return series.disagreements(series.series_files_in_repo(),
                                series.series_files_in_patches(patches))


def check_debian_files(patches) -> list:
    """Debian changed these upstream files: touching them would make the
    series apply to one base and not to the other."""
    debian = {line.strip() for line in DEBIAN_CHANGED.read_text().splitlines()
              if line.strip() and not line.startswith("#")}
    problems = []
    for p in patches:
        for line in p.read_text().splitlines():
            m = series._DIFF.match(line)
            if m and m.group(1) in debian:
                problems.append(f"{p.name}: touches {m.group(1)}, which "
                                "Debian changed")
    return problems


def check_applies(patches) -> list:
    """git am's view without a checkout: apply each patch to an index that
    starts at the base commit."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, GIT_INDEX_FILE=os.path.join(tmp, "index"))
        tree.git("read-tree", tree.BASE_TAG, env=env)
        for p in patches:
            out = tree.git("apply", "--cached", str(p), env=env, check=False)
            if out.returncode:
                return [f"{p.name} does not apply to the base: "
                        f"{out.stderr.strip()}"]
    return []


def _checkpatch(patch) -> list:
    out = run(["perl", "scripts/checkpatch.pl", "--strict", "--terse",
               "--no-summary", str(patch)], cwd=paths.tree_dir(),
              check=False, env=SYSTEM_PYTHON_ENV)
    return [f"{patch.name}: {line}" for line in out.stdout.splitlines()
            if is_finding(line.split(": ", 1)[-1])]


def is_finding(message: str) -> bool:
    """Whether a line of checkpatch's terse output is a finding that
    counts: all of them, but CamelCase in FOREIGN_CAMELCASE."""
    camel = _CAMELCASE.search(message)
    return bool(_FINDING.search(message)) and \
        not (camel and camel.group(1) in FOREIGN_CAMELCASE)


def check_checkpatch(patches) -> list:
    # One checkpatch per core: it is the slowest of the quick checks.
    with ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
        return [line for found in pool.map(_checkpatch, patches)
                for line in found]


def kernel_doc_files() -> list:
    """The series' headers and every C file of it that exports a symbol:
    what kernel-doc must find documented."""
    files = sorted((paths.REPO / "include" / "linux").glob("sbm*.h"))
    for folder in paths.KERNEL_FOLDERS:
        for c in sorted((paths.REPO / folder).rglob("*.c")):
            if "EXPORT_SYMBOL" in c.read_text(errors="replace"):
                files.append(c)
    return files


def check_kernel_doc() -> list:
    out = run([sys.executable, "scripts/kernel-doc", "-none", "-Wall",
               *map(str, kernel_doc_files())], cwd=paths.tree_dir(),
              check=False)
    return [line for line in (out.stdout + out.stderr).splitlines()
            if line.strip()]


def check_rustfmt() -> list:
    out = run(["make", "-s", "-C", str(paths.tree_dir()), *deps.make_vars(),
               "rustfmtcheck"], env=deps.build_env(), check=False)
    return [line for line in (out.stdout + out.stderr).splitlines()
            if line.startswith("Diff in")] or \
        ([] if out.returncode == 0 else [out.stderr[-2000:]])


def _rust_findings(log_text: str) -> list:
    """Warnings and errors that point into our Rust files."""
    ours = [f for f in series.series_files_in_repo() if f.endswith(".rs")]
    found, current = [], None
    for line in log_text.splitlines():
        if line.startswith(("warning", "error")):
            current = line
        elif current and line.strip().startswith("-->") and \
                any(f in line for f in ours):
            found.append(f"{current} {line.strip()}")
            current = None
    return found


def check_clippy_rustdoc() -> list:
    """CLIPPY=1 build and rustdoc of the kernel crate, in the weak build."""
    out = paths.build_dir("weak")
    if not (out / "vmlinux").exists():
        return ["no weak build: run `sbm build --config weak` first"]
    make = ["make", "-C", str(paths.tree_dir()), f"O={out}", *deps.make_vars(),
            f"-j{os.cpu_count()}"]
    problems = []
    for extra in (["CLIPPY=1", "rust/", "samples/rust/"], ["rustdoc"]):
        res = run(make + extra, env=deps.build_env(), check=False)
        text = res.stdout + res.stderr
        problems += _rust_findings(text)
        if res.returncode:
            problems.append(f"make {' '.join(extra)} failed:\n{text[-1500:]}")
    return problems


MACRO_REJECTS = paths.TOOL_DIR / "macro-rejects"


def errors_of(text: str, name: str) -> list:
    """The compiler's error messages, each with its notes, that point into
    the file @name: each file's rejection must be its own, not another's."""
    blocks = re.split(r"\n(?=error)", text)
    return [b for b in blocks if re.search(rf"[/ ]{re.escape(name)}:\d", b)]


def check_macro_rejects() -> list:
    """Every signature in tools/sbm/macro-rejects must fail to compile,
    with the message its "expect:" line names."""
    out = paths.build_dir("weak")
    if not (out / "vmlinux").exists():
        return ["no weak build: run `sbm build --config weak` first"]
    with tempfile.TemporaryDirectory(dir=paths.cache_dir()) as tmp:
        shutil.copytree(MACRO_REJECTS, tmp, dirs_exist_ok=True)
        res = run(["make", "-k", "-C", str(paths.tree_dir()), f"O={out}",
                   *deps.make_vars(), f"M={tmp}", "modules"],
                  env=deps.build_env(), check=False)
        text = res.stdout + res.stderr
        problems = []
        for src in sorted(MACRO_REJECTS.glob("*.rs")):
            expect = next(line.split("expect:", 1)[1].strip()
                          for line in src.read_text().splitlines()
                          if "expect:" in line)
            if os.path.exists(os.path.join(tmp, src.stem + ".o")):
                problems.append(f"{src.name}: compiled, but must be rejected")
            elif not any(expect in block
                         for block in errors_of(text, src.name)):
                problems.append(f"{src.name}: rejected without the message "
                                f"'{expect}'")
    return problems


def check_surface() -> list:
    """The executable-surface proof (surface.py) on the strong build."""
    out = paths.build_dir(SURFACE_CONFIG)
    if not (out / "vmlinux").exists():
        return [f"no {SURFACE_CONFIG} build: run `sbm build --config "
                f"{SURFACE_CONFIG}` first"]
    return surface.check(out)


def check_tool_tests() -> list:
    out = subprocess.run([sys.executable, "-m", "unittest", "discover",
                          "-s", str(paths.TOOL_DIR / "tests"), "-q"],
                         cwd=paths.TOOL_DIR, capture_output=True, text=True)
    return [] if out.returncode == 0 else [out.stderr[-2000:]]


def cmd_check(args) -> int:
    patches = tree.series_patches()
    if not patches:
        raise Failure("patches/ is empty")
    if not (paths.tree_dir() / ".git").exists():
        raise Failure("no base tree: run `sbm tree` first")
    steps = [
        ("folders and patches/ agree", lambda: check_agreement(patches)),
        ("no file Debian changed is touched",
         lambda: check_debian_files(patches)),
        ("series applies to the base", lambda: check_applies(patches)),
        ("checkpatch.pl --strict", lambda: check_checkpatch(patches)),
        ("kernel-doc -Wall on headers and exporting files", check_kernel_doc),
        ("make rustfmtcheck", check_rustfmt),
        ("tools/sbm unit tests", check_tool_tests),
    ]
    if not args.quick:
        steps.append(("#[sandboxed] rejects what cannot be sandboxed",
                      check_macro_rejects))
        steps.append(("CLIPPY=1 build and rustdoc of kernel::sbm",
                      check_clippy_rustdoc))
        steps.append(("sandboxed code refers only to what a sandbox maps",
                      check_surface))
        steps.append(("with SANDBOX_MODE=n, entry/trap/fault objects are "
                      "the unpatched ones", lambda: isolation.check(patches)))
    if args.bisect:
        steps.append(("every patch builds on its own", patchbuild.check))
    failed = 0
    for name, step in steps:
        problems = step()
        phase(f"check: {name}: {'ok' if not problems else 'FAILED'}")
        for p in problems:
            print(f"    {p}")
        failed += bool(problems)
    return 1 if failed else 0
