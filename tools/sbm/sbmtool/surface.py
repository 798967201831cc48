# SPDX-License-Identifier: GPL-2.0-only
"""The executable-surface proof of strong isolation: every address that
sandboxed code names through a relocation is something a sandbox maps.

A sandbox maps its code (.sbm.text of vmlinux and of the module it runs
from), that code's constants (.sbm.rodata, read-only), a short list of
helpers (sbm_helpers[] and the return thunk in
arch/x86/kernel/sbm/text.c) and its own buffers and stack, which code
reaches through pointers, not symbols. Any other address sandboxed code
names -- other .rodata, a .text function the optimiser did not inline, a
retpoline thunk, kernel data, per-CPU data behind the stack protector --
would fault in the sandbox and abort every call that reaches it. The proof
reads the relocations of .sbm.text, of .sbm.rodata (pointers in constant
tables lead somewhere too) and of the alternative replacements that
boot-time patching copies into .sbm.text, in every object of a build, C
and Rust alike, and names each target outside the surface.

What it cannot see: addresses that are constants rather than relocations
(the fixmap, %gs-relative constants), what the helpers themselves reach,
and code reached through run-time pointers. Exceptions, each narrow:
- Rust's panic functions: they never return, and a sandbox reaches them
  only to be aborted, their documented effect under strong isolation; and
  their Location argument in .rodata, when loaded into an argument
  register by the instruction right before the call, which only the
  (unmapped) panic function would read;
- in the objects listed in STRING_ADDRESS_ONLY, the address of a string
  literal taken as the immediate of a MOV, which inflate does to store
  its error messages in z_stream.msg, a field nothing in the sandbox
  reads (a read would fault and abort the call);
- static_cpu_has()'s slow path in .altinstr_aux, whose jump
  apply_alternatives() replaces at boot, before any sandbox runs;
- DELIBERATE: one test function that reaches kernel data on purpose.

Sites that the kernel rewrites while it runs (static branches and static
calls) may not be in sandboxed code either: text_poke_bp() puts an INT3
on each while it rewrites it, and a sandbox that runs into it aborts.

One more rule, for the objects in NO_CPUID: their sandboxed code runs no
CPUID instruction, read from llvm-objdump's disassembly.
"""
import re
import struct
import subprocess
from pathlib import Path

from .deps import LLVM_BIN
from .elf import SHN_UNDEF, STB_LOCAL, STT_SECTION, Elf, NotElf

SBM_TEXT = ".sbm.text"
SBM_RODATA = ".sbm.rodata"
# Sections of sandboxed code's own, which every sandbox maps.
SANDBOX_SECTIONS = (SBM_TEXT, SBM_RODATA)
# Sections with a .sbm prefix that the linker scripts know of.
KNOWN_SBM_SECTIONS = (SBM_TEXT, SBM_RODATA, ".sbm.entry.text",
                      ".rela.sbm.text", ".rela.sbm.rodata",
                      ".rela.sbm.entry.text")
# The helpers every sandbox maps (sbm_helpers[] and sbm_map_return_thunk()
# in arch/x86/kernel/sbm/text.c).
HELPERS = frozenset(("memcpy", "memset", "memmove", "memcmp", "bcmp",
                     "__x86_return_thunk"))
# Functions that never return: the panic paths of Rust code. A sandbox has
# them unmapped, so reaching one aborts it -- a panic's effect there.
ABORTS = re.compile(r"^_R\w*4core9panicking|^_R\w*4core\w*unwrap_failed|"
                    r"^_R\w*4core5slice5index\w*_fail|^rust_begin_unwind$")
# The slow path of static_cpu_has() (cpu_feature_enabled()).
PATCHED_AWAY = (".altinstr_aux",)
# The instruction right before a panic call that loads its argument:
# MOV $imm32 (R_X86_64_32S) or LEA disp(%rip) (R_X86_64_PC32) into RDI,
# RSI, RDX or RCX; the 3 bytes before the relocated field.
PANIC_ARGUMENT_INSNS = {
    11: tuple(bytes((0x48, 0xc7, 0xc0 | r)) for r in (7, 6, 2, 1)),
    2: tuple(bytes((0x48, 0x8d, 0x05 | r << 3)) for r in (7, 6, 2, 1)),
}
CALL_REL32 = 0xe8
# Objects whose sandboxed code stores the addresses of string literals and
# never reads them (see _string_address()): the second copy of zlib's
# inflate, which keeps its error messages in z_stream.msg. clang's section
# pragma leaves string literals in .rodata.str*, which no sandbox maps.
STRING_ADDRESS_ONLY = ("lib/zlib_inflate/inflate_sbm.o",)
R_X86_64_32S = 11
MOV_IMM32 = 0xc7
# Objects whose sandboxed code must run no CPUID: a task may make CPUID
# fault for itself (arch_prctl(ARCH_SET_CPUID)), which stops its calls, and
# a squashfs block that the zstd copy fails stays failed for every reader.
NO_CPUID = ("lib/zstd/zstd_sbm_copy.o",)
_CPUID = re.compile(r"^\s*[0-9a-f]+:\s+cpuid\b", re.M)
# Sandboxed functions that reach outside on purpose, to show that a sandbox
# stops them: (object, fragment of the function's symbol, of the target).
DELIBERATE = (("rust/kernel.o", "17touch_kernel_data", "(in .data"),)
# Objects that are not objects of their own: vmlinux.o links every built-in
# object again; *.mod.o are module metadata; virtme's module copies.
SKIP = re.compile(r"(^|/)(vmlinux\.o|\.tmp_\S*|\S+\.mod\.o)$|^\.virtme_mods/")
SHF_WRITE, SHF_EXECINSTR = 0x1, 0x4
# struct alt_instr: instr_offset, repl_offset, ft_flags, instrlen, replacementlen.
ALT_INSTR_SIZE = 14
# Tables of sites rewritten at run time, and the size of an entry, whose
# first field is the site: struct jump_entry (code, target, key) and
# struct static_call_site (addr, key).
RUNTIME_PATCHED = {"__jump_table": 16, ".static_call_sites": 8}


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


def _sandboxed_globals(path: Path) -> set:
    """Global symbols a linked image (vmlinux or a module) puts between its
    sandboxed-code bounds."""
    try:
        elf = Elf(path.read_bytes())
    except (OSError, NotElf):
        return set()
    syms = elf.symbols()
    names = set()
    for prefix in ("__sbm_text", "__sbm_module_text", "__sbm_rodata",
                   "__sbm_module_rodata"):
        start = next((s for s in syms if s.name == f"{prefix}_start"), None)
        end = next((s for s in syms if s.name == f"{prefix}_end"), None)
        if start and end:
            names.update(s.name for s in syms
                         if s.bind != STB_LOCAL and s.name and
                         s.shndx == start.shndx and s.shndx != SHN_UNDEF and
                         start.value <= s.value < end.value)
    return names


class Linked:
    """Which global symbols are sandboxed code: those of vmlinux for every
    object, those of a module for the module's own objects only (a sandbox
    maps the code of the module it runs from, nothing of another's)."""

    def __init__(self, build_dir: Path):
        self.vmlinux = _sandboxed_globals(build_dir / "vmlinux")
        self.module_of = {}
        self.modules = {}
        for mod in build_dir.rglob("*.mod"):
            rel = mod.relative_to(build_dir)
            if SKIP.search(str(rel)):
                continue
            self.modules[rel] = _sandboxed_globals(mod.with_suffix(".ko"))
            for line in mod.read_text().split():
                self.module_of[line] = rel
            self.module_of[str(rel.with_suffix(".o"))] = rel

    def is_sandboxed(self, obj: Path, name: str) -> bool:
        if name in self.vmlinux:
            return True
        mod = self.module_of.get(str(obj))
        return mod is not None and name in self.modules.get(mod, ())


def _panic_argument(elf: Elf, text: int, reloc, panics: set) -> bool:
    """Whether reloc loads a panic's .rodata argument right before its call."""
    data = elf.data(text)
    off = reloc.offset
    insns = PANIC_ARGUMENT_INSNS.get(reloc.type, ())
    sym = reloc.symbol
    return (elf.section_name(sym.shndx).startswith(".rodata") and
            off >= 3 and bytes(data[off - 3:off]) in insns and
            off + 4 < len(data) and data[off + 4] == CALL_REL32 and
            off + 5 in panics)


def _modrm_length(modrm: int, sib: int) -> int:
    """Bytes of ModRM, SIB and displacement an operand takes."""
    mod, rm = modrm >> 6, modrm & 7
    if mod == 3:
        return 1
    n = 1 + (rm == 4)
    if mod == 1:
        return n + 1
    if mod == 2 or (mod == 0 and rm == 5) or \
            (mod == 0 and rm == 4 and sib & 7 == 5):
        return n + 4
    return n


def _string_address(elf: Elf, text: int, reloc) -> bool:
    """Whether reloc is the immediate of a MOV r/m64, imm32 (REX.W C7 /0)
    that names a string literal: its address is taken, nothing is read."""
    if reloc.type != R_X86_64_32S or reloc.symbol.type != STT_SECTION or \
            not elf.section_name(reloc.symbol.shndx).startswith(
                ".rodata.str"):
        return False
    data, off = elf.data(text), reloc.offset
    for start in range(max(off - 8, 0), off - 2):
        rex, opcode, modrm = data[start], data[start + 1], data[start + 2]
        sib = data[start + 3] if start + 3 < len(data) else 0
        if rex & 0xf8 == 0x48 and opcode == MOV_IMM32 and \
                (modrm >> 3) & 7 == 0 and \
                start + 2 + _modrm_length(modrm, sib) == off:
            return True
    return False


def _target_problem(path: Path, elf: Elf, reloc, linked: Linked,
                    allow_patched_away: bool):
    """What the relocation names outside the surface, or None."""
    sym = reloc.symbol
    if sym.type == STT_SECTION or sym.shndx != SHN_UNDEF:
        section = elf.section_name(sym.shndx)
        if section in SANDBOX_SECTIONS or \
                (allow_patched_away and section in PATCHED_AWAY):
            return None
        if sym.type == STT_SECTION:
            return _describe(elf, sym.shndx, _pc_target(reloc))
        return f"{sym.name} (in {section})"
    if sym.name in HELPERS or ABORTS.search(sym.name) or \
            linked.is_sandboxed(path, sym.name):
        return None
    return f"{sym.name} (not sandboxed code nor a mapped helper)"


def _replacements(elf: Elf, texts: set) -> list:
    """(start, end) in .altinstr_replacement of the alternatives whose
    original instructions are in sandboxed code."""
    alt = elf.section_index(".altinstructions")
    repl = elf.section_index(".altinstr_replacement")
    if alt is None or repl is None:
        return []
    data = elf.data(alt)
    fields = {r.offset: r for r in elf.relocations_of(alt)}
    ranges = []
    for entry in range(0, len(data) - ALT_INSTR_SIZE + 1, ALT_INSTR_SIZE):
        instr, rep = fields.get(entry), fields.get(entry + 4)
        if not instr or not rep or instr.symbol.shndx not in texts or \
                rep.symbol.shndx != repl:
            continue
        start = rep.addend + rep.symbol.value
        ranges.append((start, start + data[entry + ALT_INSTR_SIZE - 1]))
    return ranges


def _runtime_patch_sites(elf: Elf, texts: set) -> list:
    """(table, site) of the entries of RUNTIME_PATCHED tables whose site
    is in sandboxed code."""
    sites = []
    for table, size in RUNTIME_PATCHED.items():
        index = elf.section_index(table)
        if index is None:
            continue
        for reloc in elf.relocations_of(index):
            if reloc.offset % size == 0 and reloc.symbol.shndx in texts:
                sites.append((table, _describe(
                    elf, reloc.symbol.shndx,
                    reloc.symbol.value + reloc.addend)))
    return sites


def object_problems(path: Path, elf: Elf, linked: Linked) -> list:
    """What the object's sandboxed code refers to outside the surface."""
    problems = [f"{path}: section {s.name} is neither mapped into "
                "sandboxes nor checked" for s in elf.sections
                if s.name.startswith((".sbm", ".rela.sbm", ".rel.sbm",
                                      ".crel.sbm")) and
                s.name not in KNOWN_SBM_SECTIONS]
    problems += [f"{path}: {SBM_RODATA} is writable or executable: "
                 "constants only (a const object, an immutable static)"
                 for s in elf.sections if s.name == SBM_RODATA and
                 s.flags & (SHF_WRITE | SHF_EXECINSTR)]
    texts = {i for i, s in enumerate(elf.sections) if s.name == SBM_TEXT}
    own = {i for i, s in enumerate(elf.sections) if s.name in
           SANDBOX_SECTIONS}
    for text in sorted(own):
        if elf.has_other_relocations(text):
            problems.append(f"{path}: relocations of "
                            f"{elf.section_name(text)} that are not RELA: "
                            "cannot be checked")
        relocs = sorted(elf.relocations_of(text), key=lambda r: r.offset)
        panics = {r.offset for r in relocs if ABORTS.search(r.symbol.name)}
        for reloc in relocs:
            where = _describe(elf, text, reloc.offset)
            if _panic_argument(elf, text, reloc, panics):
                continue
            if str(path) in STRING_ADDRESS_ONLY and \
                    _string_address(elf, text, reloc):
                continue
            target = _target_problem(path, elf, reloc, linked, True)
            if target is None or any(
                    str(path).endswith(obj) and fn in where and tg in target
                    for obj, fn, tg in DELIBERATE):
                continue
            problems.append(f"{path}: {where} refers to {target}")
    repl = elf.section_index(".altinstr_replacement")
    for start, end in _replacements(elf, texts):
        for reloc in elf.relocations_of(repl):
            if start <= reloc.offset < end:
                target = _target_problem(path, elf, reloc, linked, False)
                if target is not None:
                    problems.append(f"{path}: an alternative patched into "
                                    f"{SBM_TEXT} refers to {target}")
    problems += [f"{path}: {where} is a site in {table}, which the kernel "
                 "rewrites at run time through an INT3 that would abort a "
                 "sandbox" for table, where in _runtime_patch_sites(elf, texts)]
    return problems


def cpuid_problems(path: Path, disassemble=None) -> list:
    """The CPUID instructions in the object's .sbm.text, if any."""
    try:
        text = (disassemble or _disassemble)(path)
    except OSError as e:
        return [f"{path}: cannot disassemble to look for CPUID: {e}"]
    found = _CPUID.findall(text)
    return [f"{path}: {len(found)} CPUID instruction(s) in {SBM_TEXT}"] \
        if found else []


def _disassemble(path: Path) -> str:
    out = subprocess.run([f"{LLVM_BIN}/llvm-objdump", "-d",
                          "--no-show-raw-insn", "-j", SBM_TEXT, str(path)],
                         capture_output=True, text=True, check=False)
    if out.returncode:
        raise OSError(out.stderr.strip() or "llvm-objdump failed")
    return out.stdout


def objects(build_dir: Path):
    """The objects to read: not the composite object of a module built
    from several, whose parts are read (its .mod file lists them)."""
    for path in sorted(build_dir.rglob("*.o")):
        rel = str(path.relative_to(build_dir))
        mod = path.with_suffix(".mod")
        if SKIP.search(rel) or \
                (mod.exists() and rel not in mod.read_text().split()):
            continue
        yield path


def check(build_dir: Path) -> list:
    """Problems, one line each naming the symbol; [] when the surface holds.
    Without any sandboxed code at all there is nothing to prove: a problem
    too, since the proof would pass vacuously; so is an object file that is
    not ELF (LLVM bitcode under LTO, say), which it cannot read."""
    build_dir = Path(build_dir)
    linked = Linked(build_dir)
    problems, seen = [], 0
    for path in objects(build_dir):
        rel = path.relative_to(build_dir)
        try:
            raw = path.read_bytes()
            elf = Elf(raw)
        except NotElf:
            # 32-bit ELF (real-mode boot code, the 32-bit vDSO) never runs
            # in a sandbox; anything else could hold sandboxed code.
            if not raw.startswith(b"\x7fELF\x01"):
                problems.append(f"{rel}: not an ELF object, cannot be "
                                "checked")
            continue
        except OSError as e:
            problems.append(f"{rel}: {e}")
            continue
        if not any(elf.has_section(s) for s in SANDBOX_SECTIONS):
            continue
        seen += elf.has_section(SBM_TEXT)
        problems += object_problems(rel, elf, linked)
        if str(rel) in NO_CPUID:
            problems += cpuid_problems(rel, lambda _: _disassemble(path))
    if not seen:
        problems.append(f"no object in {build_dir} has sandboxed code")
    return problems
