# SPDX-License-Identifier: GPL-2.0-only
"""With CONFIG_SANDBOX_MODE=n, the kernel's entry, trap and fault-handling
objects are byte-identical to an unpatched build's.

Kbuild records, in each object's .cmd file, every file the object was
built from and every CONFIG_ option it depends on (fixdep). If none of
those files is touched by the series and none of those options is one of
ours, the object's inputs are those of an unpatched build, and so is the
object. This proves it from the `none` build, without a second,
unpatched build of the whole kernel."""
import re
from pathlib import Path

from . import paths, series

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


def cmd_inputs(cmd_text: str, tree: str) -> tuple:
    """Files (relative to the tree) and CONFIG_ options an object depends
    on, from the text of its .cmd file."""
    files, configs = set(), set()
    for word in cmd_text.replace("\\\n", " ").split():
        m = _CONFIG_DEP.search(word)
        if m:
            configs.add(m.group(1))
            continue
        word = word.strip("$(),")
        if word.startswith(tree + "/"):
            files.add(word[len(tree) + 1:])
    return files, configs


def series_symbols(kconfig_text: str) -> set:
    return set(_KCONFIG_SYMBOL.findall(kconfig_text))


def object_problems(obj: str, cmd_text: str, tree: str, touched: set,
                    symbols: set) -> list:
    files, configs = cmd_inputs(cmd_text, tree)
    problems = [f"{obj} is built from {f}, which the series changes"
                for f in sorted(files & touched)]
    problems += [f"{obj} depends on CONFIG_{c}, which the series adds"
                 for c in sorted(configs & symbols)]
    return problems


def check(patches) -> list:
    build = paths.build_dir("none")
    tree = str(paths.tree_dir())
    touched = {f for p in patches for f in series.touched_files(p.read_text())}
    symbols = series_symbols((paths.REPO / "Kconfig.sbm").read_text())
    symbols.add("HAVE_ARCH_SBM")
    problems = []
    for obj in OBJECTS:
        cmd = build / Path(obj).parent / f".{Path(obj).name}.cmd"
        if not cmd.exists():
            problems.append(f"{cmd} is missing: build the none "
                            "configuration first")
            continue
        problems += object_problems(obj, cmd.read_text(), tree, touched,
                                    symbols)
    return problems
