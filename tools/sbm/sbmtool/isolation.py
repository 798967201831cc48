# SPDX-License-Identifier: GPL-2.0-only
"""With CONFIG_SANDBOX_MODE=n, the kernel's entry, trap and fault-handling
objects are byte-identical to an unpatched build's.

Kbuild records, in each object's .cmd file, every file the object was
built from and every CONFIG_ option it depends on (fixdep). An object is
built from the unpatched inputs when, for each of those files the series
changes, the file reduces to its unpatched text once the series' own
options are resolved as the build has them: i.e. every change is inside
#ifdef blocks of options that are off. The kernel's scripts/unifdef (what
headers_install uses) does the resolving. Options of the series an object
depends on can then only come from those blocks. This proves it from the
`none` build, without a second, unpatched build of the whole kernel."""
import re
import subprocess
from pathlib import Path

from . import kconfig, paths, series, tree

# The objects of the entry, exception and fault paths, and what they share.
OBJECTS = (
    "arch/x86/entry/entry.o",
    "arch/x86/entry/entry_64.o",
    "arch/x86/entry/syscall_64.o",
    "arch/x86/entry/common.o",
    "arch/x86/kernel/traps.o",
    "arch/x86/kernel/idt.o",
    "arch/x86/kernel/nmi.o",
    "arch/x86/kernel/irq.o",
    "arch/x86/kernel/process_64.o",
    "arch/x86/mm/fault.o",
    "arch/x86/mm/tlb.o",
)

_CONFIG_DEP = re.compile(r"include/config/([A-Za-z0-9_]+)")
_KCONFIG_SYMBOL = re.compile(r"^config\s+([A-Za-z0-9_]+)", re.M)


def cmd_inputs(cmd_text: str, tree_path: str) -> tuple:
    """Files (relative to the tree) and CONFIG_ options an object depends
    on, from the text of its .cmd file."""
    files, configs = set(), set()
    for word in cmd_text.replace("\\\n", " ").split():
        m = _CONFIG_DEP.search(word)
        if m:
            configs.add(m.group(1))
            continue
        word = word.strip("$(),")
        if word.startswith(tree_path + "/"):
            files.add(word[len(tree_path) + 1:])
    return files, configs


def series_symbols(kconfig_text: str) -> set:
    return set(_KCONFIG_SYMBOL.findall(kconfig_text))


def unifdef_args(symbols: set, config: dict) -> list:
    """Resolve each option of the series as the build has it."""
    return [f"-DCONFIG_{s}=1" if config.get(f"CONFIG_{s}") in ("y", "m")
            else f"-UCONFIG_{s}" for s in sorted(symbols)]


def object_problems(obj: str, cmd_text: str, tree_path: str, touched: set,
                    symbols: set, neutral) -> list:
    """What keeps obj from being built from unpatched inputs; neutral(f)
    says whether touched file f reduces to its unpatched text."""
    files, configs = cmd_inputs(cmd_text, tree_path)
    problems = [f"{obj} is built from {f}, which the series changes "
                "outside #ifdef blocks of its options that are off"
                for f in sorted(files & touched) if not neutral(f)]
    if problems:
        problems += [f"{obj} depends on CONFIG_{c}, which the series adds"
                     for c in sorted(configs & symbols)]
    return problems


def reduces_to_base(unifdef: Path, args: list, patched: str,
                    base: str) -> bool:
    out = subprocess.run([str(unifdef), *args], input=patched, text=True,
                         capture_output=True)
    # unifdef exits 0 (unchanged) or 1 (changed); 2 is an error.
    return out.returncode in (0, 1) and out.stdout == base


def check(patches) -> list:
    build = paths.build_dir("none")
    src = paths.tree_dir()
    touched = {f for p in patches for f in series.touched_files(p.read_text())}
    symbols = series_symbols((paths.REPO / "Kconfig.sbm").read_text())
    config_file = build / ".config"
    if not config_file.exists():
        return [f"{config_file} is missing: build the none configuration "
                "first"]
    args = unifdef_args(symbols, kconfig.parse(config_file.read_text()))
    unifdef = tree.uapi_headers() / "scripts" / "unifdef"
    verdicts = {}

    def neutral(f: str) -> bool:
        if f not in verdicts:
            base = subprocess.run(
                ["git", "-C", str(src), "show", f"{tree.BASE_TAG}:{f}"],
                capture_output=True, text=True)
            verdicts[f] = base.returncode == 0 and reduces_to_base(
                unifdef, args, (src / f).read_text(), base.stdout)
        return verdicts[f]

    problems = []
    for obj in OBJECTS:
        cmd = build / Path(obj).parent / f".{Path(obj).name}.cmd"
        if not cmd.exists():
            problems.append(f"{cmd} is missing: build the none "
                            "configuration first")
            continue
        problems += object_problems(obj, cmd.read_text(), str(src), touched,
                                    symbols, neutral)
    return problems
