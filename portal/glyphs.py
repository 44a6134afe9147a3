"""Can the reader's phone draw every character we send? Checked without a browser.

The portal sends no web fonts, so every character of every catalogue must be in a
font the reader already has. Android and most desktops ship Google's Noto families;
Debian packages them (``fonts-noto-core``, ``fonts-noto-cjk``). fontconfig tells us
which characters the installed Noto fonts cover (``fc-list``), and every catalogue's
translations are held against that: a character no Noto font has (a private-use
letter, a rare presentation form a keyboard produced) would show as a box.
"""

from __future__ import annotations

import bisect
import shutil
import subprocess
import unicodedata
from functools import lru_cache

FAMILY_PREFIX = "Noto"
# Controls, joiners and direction marks are not drawn; spaces are (any font has them).
NOT_DRAWN = {"Cc", "Cf", "Zl", "Zp"}


class NoFontconfig(RuntimeError):
    """fontconfig's ``fc-list`` is not installed: coverage cannot be known."""


@lru_cache(maxsize=1)
def coverage() -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The code points the installed Noto fonts cover, as sorted, merged ranges
    (starts, ends)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        raise NoFontconfig("fc-list (fontconfig) is not installed")
    out = subprocess.run([fc_list, "-f", "%{family[0]}\t%{charset}\n"], check=True,
                         capture_output=True, text=True, timeout=60).stdout
    ranges = []
    for line in out.splitlines():
        family, _, charset = line.partition("\t")
        if not family.startswith(FAMILY_PREFIX):
            continue
        for item in charset.split():
            first, _, last = item.partition("-")
            ranges.append((int(first, 16), int(last or first, 16)))
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple(r[0] for r in merged), tuple(r[1] for r in merged)


def drawable(char: str) -> bool:
    if unicodedata.category(char) in NOT_DRAWN or char.isspace():
        return True
    starts, ends = coverage()
    i = bisect.bisect_right(starts, ord(char)) - 1
    return i >= 0 and ord(char) <= ends[i]


def missing(text: str) -> set[str]:
    """The characters of ``text`` no installed Noto font can draw."""
    return {c for c in set(text) if not drawable(c)}


def catalogue_gaps(strings) -> dict[str, list[str]]:
    """For each character no Noto font draws, up to three of the strings that use it."""
    gaps: dict[str, list[str]] = {}
    for text in strings:
        for char in missing(text):
            examples = gaps.setdefault(char, [])
            if len(examples) < 3:
                examples.append(text[:60])
    return gaps
