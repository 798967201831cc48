# SPDX-License-Identifier: GPL-2.0-only
"""Reading config fragments and checking that a .config honours them."""
import re
from pathlib import Path

_SET = re.compile(r"^(CONFIG_\w+)=(.*)$")
_UNSET = re.compile(r"^# (CONFIG_\w+) is not set$")


def parse(text: str) -> dict:
    """Symbol -> value ('n' for "is not set") of a fragment or .config."""
    values = {}
    for line in text.splitlines():
        line = line.strip()
        m = _SET.match(line)
        if m:
            values[m.group(1)] = m.group(2)
            continue
        m = _UNSET.match(line)
        if m:
            values[m.group(1)] = "n"
    return values


def merge(fragments) -> dict:
    """Later fragments override earlier ones, as Kconfig reads them."""
    values = {}
    for frag in fragments:
        values.update(parse(Path(frag).read_text()))
    return values


def mismatches(wanted: dict, config: dict) -> list:
    """(symbol, wanted, got) for each request the .config did not honour.
    A symbol missing from .config counts as 'n' (its dependencies are off).
    """
    bad = []
    for sym, want in wanted.items():
        got = config.get(sym, "n")
        if got != want:
            bad.append((sym, want, got))
    return bad
