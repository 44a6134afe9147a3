"""Pseudo-locales for layout tests: accented, about 35% longer, bracketed English.

``en-xa`` (left to right) and ``ar-xb`` (right to left) are generated from the English
at run time, borrow Babel's ``en``/``ar`` data, and are enabled only by
``PORTAL_PSEUDO_LOCALES``. Protected spans (link targets, placeholders, URLs, e-mail
addresses, numbers, markup) pass through untouched, so they stay clickable and
dialable.
"""

from __future__ import annotations

import re

from babel.support import NullTranslations

from .catalogs import Catalog
from .checks import EMAIL, PLACEHOLDER, URL
from .locales import Lang

_ACCENTS = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "åƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
_PROTECTED = re.compile(
    "|".join(
        p.pattern
        for p in (URL, EMAIL, PLACEHOLDER, re.compile(r"\]\([^)]*\)"), re.compile(r"<[^>]+>"))
    )
)
_FILLER = " ·ȝ"


def pseudo_text(text: str, rtl: bool = False) -> str:
    if not text:
        return text
    parts = []
    last = 0
    for match in _PROTECTED.finditer(text):
        parts.append(_mangle(text[last : match.start()], rtl))
        parts.append(match.group(0))
        last = match.end()
    parts.append(_mangle(text[last:], rtl))
    body = "".join(parts)
    letters = sum(ch.isalpha() for ch in text)
    padding = (_FILLER * (1 + int(letters * 0.35) // len(_FILLER)))[: max(2, int(letters * 0.35))]
    return f"⟦{body}{padding}⟧"


def _mangle(segment: str, rtl: bool) -> str:
    out = segment.translate(_ACCENTS)
    if rtl:
        # Right-to-left overrides per word make Latin letters run the other way,
        # which shows any layout that assumes left to right.
        out = re.sub(r"[^\W\d_]+", lambda m: "\u202e" + m.group(0) + "\u202c", out)
    return out


class PseudoTranslations(NullTranslations):
    def __init__(self, rtl: bool):
        super().__init__()
        self.rtl = rtl

    def gettext(self, message):
        return pseudo_text(message, self.rtl)

    def ngettext(self, singular, plural, n):
        return pseudo_text(singular if n == 1 else plural, self.rtl)

    def pgettext(self, context, message):
        return pseudo_text(message, self.rtl)

    def npgettext(self, context, singular, plural, n):
        return pseudo_text(singular if n == 1 else plural, self.rtl)

    ugettext = gettext
    ungettext = ngettext
    upgettext = pgettext
    unpgettext = npgettext


class PseudoCatalog(Catalog):
    def lookup(self, context, msgid):
        return pseudo_text(msgid, self.lang.dir == "rtl")

    @property
    def is_draft(self) -> bool:
        return False


def pseudo_catalog(lang: Lang, domain: str) -> Catalog:
    return PseudoCatalog(lang, domain, PseudoTranslations(lang.dir == "rtl"),
                         headers={"x-review-status": "reviewed"})
