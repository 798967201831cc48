# SPDX-License-Identifier: GPL-2.0-only
"""The executable-surface proof of strong isolation: everything sandboxed
code refers to is something a sandbox maps.

A sandbox maps its code (.sbm.text of vmlinux and of the module it runs
from), a short list of helpers (arch/x86/kernel/sbm/text.c) and its own
buffers and stack, which code reaches through pointers, not symbols. Any
other address sandboxed code names -- other .rodata, a .text function the
optimiser did not inline, a retpoline thunk, kernel data, per-CPU data
behind the stack protector -- would fault in the sandbox and abort every
call that reaches it. The proof reads the relocations of .sbm.text in every
object of a build, C and Rust alike, and names each target outside the
surface. Panic functions are the exception: they never return and a
sandbox reaches them only to be aborted, which is their documented effect
under strong isolation; so is their metadata argument, which only they
would read.
"""
import re
from pathlib import Path

from .elf import SHN_UNDEF, STT_SECTION, Elf, NotElf

SBM_TEXT = ".sbm.text"
# Sections of sandboxed code's own, which every sandbox maps.
SANDBOX_SECTIONS = (SBM_TEXT,)
# The helpers every sandbox maps (sbm_helpers[] and sbm_map_return_thunk()
# in arch/x86/kernel/sbm/text.c).
HELPERS = frozenset(("memcpy", "memset", "memmove", "memcmp", "bcmp",
                     "__x86_return_thunk"))
# Functions that never return: the panic paths of Rust code. A sandbox has
# them unmapped, so reaching one aborts it -- a panic's effect there.
ABORTS = re.compile(r"^_R\w*4core9panicking|^_R\w*4core\w*unwrap_failed|"
                    r"^_R\w*4core5slice5index\w*_fail|^rust_begin_unwind$")
# The slow path of static_cpu_has() (cpu_feature_enabled()): apply_alternatives()
# replaces the jump to it at boot, before any sandbox can run.
PATCHED_AWAY = (".altinstr_aux",)
# A panic's argument may be the address of its metadata (a Rust panic
# Location, in .rodata): loaded right before the call, never read by the
# sandbox, which aborts at the call. That is, an address relocation
# followed within this many bytes by the call to a panic function.
PANIC_ARGUMENT_SPAN = 16
# Address relocations: R_X86_64_64, R_X86_64_PC32 (LEA), R_X86_64_32S.
ADDRESS_RELOCS = (1, 2, 11)
# Sandboxed functions that reach outside on purpose, to show that a sandbox
# stops them: (object, a fragment of the function's symbol).
DELIBERATE = (("rust/kernel.o", "17touch_kernel_data"),)
# Objects that are not objects of their own: vmlinux.o links every built-in
# object again; *.mod.o are module metadata.
SKIP = re.compile(r"(^|/)(vmlinux\.o|\.tmp_\S*|\S+\.mod\.o)$")


def _pc_target(reloc) -> int:
    """Offset into the target a PC-relative branch or load names."""
    return reloc.addend + 4 if reloc.type in (2, 4) else reloc.addend


def _describe(elf: Elf, shndx: int, offset: int) -> str:
    """A section offset as the symbol that covers it, if one does."""
    section = elf.section_name(shndx)
    for sym in elf.symbols():
        if sym.shndx == shndx and sym.type != STT_SECTION and sym.name and \
                sym.value <= offset < sym.value + max(sym.size, 1):
            return f"{sym.name} (in {section})"
    return f"{section}+{offset:#x}"


class Linked:
    """Where the linked images put sandboxed code: symbols resolved in
    vmlinux (between __sbm_text_start and __sbm_text_end) or in a module
    (between __sbm_module_text_start and __sbm_module_text_end)."""

    def __init__(self, images):
        self.sandboxed = set()
        for image in images:
            try:
                elf = Elf(Path(image).read_bytes())
            except (OSError, NotElf):
                continue
            syms = elf.symbols()
            bounds = {s.name: s for s in syms if s.name in (
                "__sbm_text_start", "__sbm_text_end",
                "__sbm_module_text_start", "__sbm_module_text_end")}
            for prefix in ("__sbm_text", "__sbm_module_text"):
                start = bounds.get(f"{prefix}_start")
                end = bounds.get(f"{prefix}_end")
                if not start or not end:
                    continue
                self.sandboxed.update(
                    s.name for s in syms
                    if s.shndx == start.shndx and s.shndx != SHN_UNDEF and
                    start.value <= s.value < end.value and s.name)

    def is_sandboxed(self, name: str) -> bool:
        return name in self.sandboxed


def object_problems(path: Path, elf: Elf, linked: Linked) -> list:
    """What the object's sandboxed code refers to outside the surface."""
    problems = []
    text = next(i for i, s in enumerate(elf.sections) if s.name == SBM_TEXT)
    relocs = sorted(elf.relocations(SBM_TEXT), key=lambda r: r.offset)
    panics = [r.offset for r in relocs if ABORTS.search(r.symbol.name)]
    for reloc in relocs:
        sym = reloc.symbol
        where = _describe(elf, text, reloc.offset)
        if any(str(path).endswith(obj) and frag in where
               for obj, frag in DELIBERATE):
            continue
        if reloc.type in ADDRESS_RELOCS and any(
                0 < p - reloc.offset <= PANIC_ARGUMENT_SPAN for p in panics):
            continue
        if sym.type == STT_SECTION or sym.shndx != SHN_UNDEF:
            section = elf.section_name(sym.shndx)
            if section in SANDBOX_SECTIONS or section in PATCHED_AWAY:
                continue
            offset = _pc_target(reloc) if sym.type == STT_SECTION \
                else sym.value
            target = _describe(elf, sym.shndx, offset) \
                if sym.type == STT_SECTION else f"{sym.name} (in {section})"
        else:
            if sym.name in HELPERS or ABORTS.search(sym.name) or \
                    linked.is_sandboxed(sym.name):
                continue
            target = f"{sym.name} (not sandboxed code nor a mapped helper)"
        problems.append(f"{path}: {where} refers to {target}")
    return problems


def objects(build_dir: Path):
    for path in sorted(build_dir.rglob("*.o")):
        if not SKIP.search(str(path.relative_to(build_dir))):
            yield path


def check(build_dir: Path) -> list:
    """Problems, one line each naming the symbol; [] when the surface holds.
    Without any sandboxed code at all there is nothing to prove: a problem
    too, since the proof would pass vacuously."""
    build_dir = Path(build_dir)
    images = [build_dir / "vmlinux", *sorted(build_dir.rglob("*.ko"))]
    linked = Linked(images)
    problems, seen = [], 0
    for path in objects(build_dir):
        try:
            elf = Elf(path.read_bytes())
        except (OSError, NotElf):
            continue
        if not elf.has_section(SBM_TEXT):
            continue
        seen += 1
        problems += object_problems(path.relative_to(build_dir), elf, linked)
    if not seen:
        problems.append(f"no object in {build_dir} has sandboxed code")
    # A module's composite object repeats its parts' relocations.
    return sorted(set(problems))
