# SPDX-License-Identifier: GPL-2.0-only
"""Just enough of ELF64 (little-endian x86_64 objects) to read sections,
symbols and relocations: the executable-surface check reads thousands of
objects, one subprocess each would take minutes."""
import struct
from dataclasses import dataclass

SHT_SYMTAB = 2
SHT_RELA = 4
SHT_REL = 9
SHT_CREL = 0x40000014
SHT_SYMTAB_SHNDX = 18
SHN_UNDEF = 0
SHN_ABS = 0xfff1
SHN_XINDEX = 0xffff
STT_SECTION = 3
STB_LOCAL = 0


class NotElf(Exception):
    pass


@dataclass
class Section:
    name: str
    type: int
    offset: int
    size: int
    link: int
    info: int
    flags: int = 0


@dataclass
class Symbol:
    name: str
    type: int
    bind: int
    shndx: int
    value: int
    size: int


@dataclass
class Reloc:
    offset: int
    type: int
    symbol: Symbol
    addend: int


class Elf:
    def __init__(self, data: bytes):
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            raise NotElf("not a little-endian ELF64 file")
        self.raw = data
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)
        if shoff and shnum == 0:
            shnum, = struct.unpack_from("<Q", data, shoff + 0x20)
        if shstrndx == SHN_XINDEX:
            shstrndx, = struct.unpack_from("<I", data, shoff + 0x28)
        raw = []
        for i in range(shnum):
            name, typ, flags, _addr, off, size, link, info = \
                struct.unpack_from("<IIQQQQII", data, shoff + i * shentsize)
            raw.append((name, typ, off, size, link, info, flags))
        names = raw[shstrndx][2] if raw else 0
        self.sections = [Section(self._str(names, r[0]), *r[1:])
                         for r in raw]
        self._symbols = None

    def _str(self, table_offset: int, index: int) -> str:
        start = table_offset + index
        end = self.raw.index(b"\0", start)
        return self.raw[start:end].decode(errors="replace")

    def symbols(self) -> list:
        if self._symbols is not None:
            return self._symbols
        self._symbols = []
        symtab = next((s for s in self.sections if s.type == SHT_SYMTAB),
                      None)
        if symtab is None:
            return self._symbols
        names = self.sections[symtab.link].offset
        shndx_ext = next((s for s in self.sections
                          if s.type == SHT_SYMTAB_SHNDX), None)
        for i in range(symtab.size // 24):
            name, info, _other, shndx, value, size = struct.unpack_from(
                "<IBBHQQ", self.raw, symtab.offset + i * 24)
            if shndx == SHN_XINDEX and shndx_ext is not None:
                shndx, = struct.unpack_from("<I", self.raw,
                                            shndx_ext.offset + i * 4)
            self._symbols.append(Symbol(self._str(names, name), info & 0xf,
                                        info >> 4, shndx, value, size))
        return self._symbols

    def section_name(self, shndx: int) -> str:
        if shndx == SHN_UNDEF:
            return ""
        if shndx == SHN_ABS:
            return "*ABS*"
        if shndx >= len(self.sections):
            return "*special*"
        return self.sections[shndx].name

    def relocations_of(self, index: int) -> list:
        """The RELA relocations that apply to section number index."""
        syms = self.symbols()
        out = []
        for sec in self.sections:
            if sec.type != SHT_RELA or sec.info != index:
                continue
            for i in range(sec.size // 24):
                off, info, addend = struct.unpack_from(
                    "<QQq", self.raw, sec.offset + i * 24)
                out.append(Reloc(off, info & 0xffffffff, syms[info >> 32],
                                 addend))
        return out

    def has_other_relocations(self, index: int) -> bool:
        """Whether a REL or CREL section applies to section number index."""
        return any(sec.type in (SHT_REL, SHT_CREL) and sec.info == index
                   for sec in self.sections)

    def section_index(self, name: str):
        return next((i for i, s in enumerate(self.sections)
                     if s.name == name), None)

    def data(self, index: int) -> bytes:
        sec = self.sections[index]
        return self.raw[sec.offset:sec.offset + sec.size]

    def has_section(self, name: str) -> bool:
        return any(s.name == name for s in self.sections)
