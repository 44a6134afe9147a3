"""Per-language text analysis: the same chain at index and at query time.

Two analysers per language:

* ``exact``: the words as written (NFKC, lower case, the script's letter
  normalisations, stop words; Snowball stems for English and Romanian only).
* ``fold``: never stemmed, accents and look-alike letters folded, because readers
  type without diacritics (``quyen cua toi``, ``szef zabral paszport``). Typo
  matching and spelling suggestions use this field, since neither works on stems.

The tokenizer keeps combining marks and joiners inside words (Whoosh's default
``\\w+`` breaks हिन्दी, Arabic with harakat and Persian at the half-space) and
splits runs of Han characters into overlapping bigrams.

What differs between languages is data: each ``Lang`` names a ``TextRules``
(``portal/scripts.py``), and nothing here branches on a language code.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from whoosh.analysis import Filter, LowercaseFilter, StemFilter, StopFilter, Tokenizer
from whoosh.analysis.acore import Token
from whoosh.support.charset import accent_map

from .. import scripts
from ..locales import ENGLISH, Lang, text_rules
from ..scripts import TextRules
from .stemmers import SNOWBALL, SnowballStem

# Bump when analysis changes: an index built by other code is then stale.
VERSION = 9
FOLDED = "~"  # marks a folded term among a block's stored terms (never in a term)


def _mark_class() -> str:
    """A character class of every combining mark in the BMP, plus ZWNJ and ZWJ."""
    ranges: list[tuple[int, int]] = []
    for cp in range(0x0300, 0x10000):
        if unicodedata.category(chr(cp)) in ("Mn", "Mc", "Me"):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    ranges.append((0x200C, 0x200D))
    parts = [f"\\u{a:04x}" if a == b else f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges]
    return "".join(parts)


MARKS = _mark_class()
WORD_CHAR = rf"(?:[^\W_]|[{MARKS}])"
# A word: letters, digits and marks. Somali writes the glottal stop as an
# apostrophe inside words (la'aan), so there it joins the two halves.
WORD = re.compile(rf"{WORD_CHAR}+")
WORD_APOSTROPHE = re.compile(rf"{WORD_CHAR}+(?:['\u2019\u02bc\u2018`\u00b4]{WORD_CHAR}+)*")
HAN = re.compile(
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+"
)
LONGEST_TERM = 64  # characters; longer "words" are junk (or an attack) and are cut


class PortalTokenizer(Tokenizer):
    """Words with their marks and joiners; Han runs become overlapping bigrams."""

    def __init__(self, apostrophe: bool = False):
        self.apostrophe = apostrophe

    def __eq__(self, other):
        return self.__class__ is other.__class__ and self.apostrophe == other.apostrophe

    def __hash__(self):
        return hash((self.__class__.__name__, self.apostrophe))

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        pattern = WORD_APOSTROPHE if self.apostrophe else WORD
        pos = start_pos
        for start, end in _units(value, pattern):
            t.text = value[start:end][:LONGEST_TERM]
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = t.text
            if positions:
                t.pos = pos
            if chars:
                t.startchar, t.endchar = start_char + start, start_char + end
            pos += 1
            yield t


def _units(value: str, pattern: re.Pattern):
    """(start, end) of each word, with Han runs cut into bigrams."""
    if not HAN.search(value):
        for match in pattern.finditer(value):
            yield match.span()
        return
    for match in pattern.finditer(value):
        start, end = match.span()
        word = match.group(0)
        if not HAN.search(word):
            yield start, end
            continue
        cursor = 0
        for han in HAN.finditer(word):
            if han.start() > cursor:
                yield start + cursor, start + han.start()
            a, b = han.span()
            if b - a == 1:
                yield start + a, start + b
            for i in range(a, b - 1):
                yield start + i, start + i + 2
            cursor = b
        if cursor < len(word):
            yield start + cursor, end


def units(text: str, rules: TextRules | Lang | str) -> list[tuple[int, int, str]]:
    """The words (and Han bigrams) of ``text`` as the tokenizer sees them."""
    pattern = WORD_APOSTROPHE if _rules(rules).apostrophe else WORD
    return [(a, b, text[a:b][:LONGEST_TERM]) for a, b in _units(text, pattern)]


def _rules(what: TextRules | Lang | str) -> TextRules:
    if isinstance(what, TextRules):
        return what
    if isinstance(what, Lang):
        return what.rules
    return text_rules(what or ENGLISH.code)


# Letter normalisation and folding, as the rules say -----------------------------------

# Every script's decimal digits read as ASCII (Arabic-Indic, Persian, Bengali, ...).
DIGITS = {cp: str(unicodedata.digit(chr(cp))) for cp in range(0x0660, 0x1100)
          if unicodedata.category(chr(cp)) == "Nd"}
ZWNJ, ZWJ = "\u200c", "\u200d"
DEVANAGARI_NASAL = re.compile("[ङञणनम]\u094d(?=[\u0915-\u0939])")
ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
ARABIC_CLITICS = ("و", "ب", "ل", "ف")  # and, with, for, so: one, on longer words
ARABIC_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "كم", "هم", "نا", "ه", "ي", "ك")


@lru_cache(maxsize=256)
def _tables(rules: TextRules):
    """The compiled forms of one rule set: strip pattern and translation tables."""
    strip = re.compile(f"[{rules.strip}]") if rules.strip else None
    return strip, str.maketrans(dict(rules.letters)), str.maketrans(dict(rules.fold_letters))


# Caches are bounded so that a flood of distinct words cannot grow a worker for good.
@lru_cache(maxsize=50_000)
def normalise(text: str, rules: TextRules, keep_zwnj: bool = False) -> str:
    """What the ``exact`` field keeps of a word (before lower-casing and stems).

    Joiners are removed, except that ``keep_zwnj`` leaves half-spaces, where the
    rules have them, for the fold field, which splits there.
    """
    strip, letters, _ = _tables(rules)
    text = unicodedata.normalize("NFKC", text).translate(DIGITS)
    for written, meant in rules.sequences:
        text = text.replace(written, meant)
    if strip is not None:
        text = strip.sub("", text)
    text = text.translate(letters).replace(ZWJ, "")
    if not (keep_zwnj and rules.half_space):
        text = text.replace(ZWNJ, "")
    return text


@lru_cache(maxsize=50_000)
def fold(text: str, rules: TextRules) -> str:
    """What the ``fold`` field keeps: no accents, look-alike letters merged.

    ``text`` is already normalised and lower-cased.
    """
    text = text.translate(_tables(rules)[2])
    for step in rules.fold:
        text = FOLD_STEPS[step](text)
    return text


def _accents(text: str) -> str:
    """Latin and Cyrillic: drop combining accents (ệ, ș, ş, ą, ë, ё), then the letters
    that do not decompose (ł, đ, ø, ß)."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not 0x0300 <= ord(c) <= 0x036F)
    return unicodedata.normalize("NFC", stripped).translate(accent_map)


def _indic_nasals(text: str) -> str:
    """Nukta off; candrabindu and a nasal with virama before a consonant as anusvara
    (हिन्दी and हिंदी are both common spellings)."""
    text = text.replace("\u093c", "").replace("\u0901", "\u0902")
    return DEVANAGARI_NASAL.sub("\u0902", text)


def _arabic_light(word: str) -> str:
    """A light Arabic stem: the article and a few clitics and endings off (Light10-like)."""
    for prefix in ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix):]
            break
    else:
        if word[:1] in ARABIC_CLITICS and len(word) >= 5:
            word = word[1:]
    for suffix in ARABIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= (2 if len(suffix) > 1 else 3):
            word = word[: -len(suffix)]
            break
    return word


def _persian_light(word: str) -> str:
    """The verb prefix می/نمی and the plural ها/های off, when typed without a half-space."""
    for prefix in ("نمی", "می"):
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix):]
            break
    for suffix in ("هایی", "های", "ها"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word


FOLD_STEPS = {
    scripts.ACCENTS: _accents,
    scripts.INDIC_NASALS: _indic_nasals,
    scripts.ARABIC_LIGHT_STEM: _arabic_light,
    scripts.PERSIAN_LIGHT_STEM: _persian_light,
}


class Normalise(Filter):
    """NFKC, digits, and the letter normalisations of one language."""

    def __init__(self, rules: TextRules, keep_zwnj: bool = False):
        self.rules = rules
        self.keep_zwnj = keep_zwnj

    def __eq__(self, other):
        return (self.__class__ is other.__class__ and self.rules is other.rules
                and self.keep_zwnj == other.keep_zwnj)

    def __hash__(self):
        return hash((self.__class__.__name__, id(self.rules), self.keep_zwnj))

    def __call__(self, tokens):
        rules, keep = self.rules, self.keep_zwnj
        for t in tokens:
            text = normalise(t.text, rules, keep)
            if text:
                t.text = text
                yield t


class Fold(Filter):
    """The fold field's extra folding (after lower-casing); splits at half-spaces."""

    def __init__(self, rules: TextRules):
        self.rules = rules

    def __eq__(self, other):
        return self.__class__ is other.__class__ and self.rules is other.rules

    def __hash__(self):
        return hash((self.__class__.__name__, id(self.rules)))

    def __call__(self, tokens):
        rules = self.rules
        for t in tokens:
            # A Persian half-space joins a word and its affix: each half is its own
            # term here, so "می خواهم" typed with a space still matches.
            for part in t.text.split(ZWNJ):
                text = fold(part, rules)
                if text:
                    t.text = text
                    yield t


class TurkishI(Filter):
    """Lower-casing leaves U+0307 after İ; fold the dotted and dotless i together."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = t.text.replace("i\u0307", "i").replace("ı", "i")
            yield t


CASE_FILTERS = {"turkish": TurkishI}
def _stemmer(stem: str) -> Filter:
    if stem.startswith(SNOWBALL):
        return SnowballStem(stem[len(SNOWBALL):])
    return StemFilter(lang=stem, cachesize=50000)


def _stops(rules: TextRules, folded: bool) -> frozenset[str]:
    out = set()
    for w in rules.stopwords:
        w = normalise(w, rules).lower()
        if folded:
            w = fold(w, rules)
        out.add(w)
    return frozenset(out)


class Analysis:
    """The two analysers of one language, and helpers that apply them to a word."""

    def __init__(self, rules: TextRules):
        self.rules = rules
        tokenizer = PortalTokenizer(apostrophe=rules.apostrophe)
        exact = tokenizer | Normalise(rules) | LowercaseFilter()
        folded = tokenizer | Normalise(rules, keep_zwnj=True) | LowercaseFilter()
        if rules.case:
            case = CASE_FILTERS[rules.case]
            exact, folded = exact | case(), folded | case()
        exact = exact | StopFilter(stoplist=_stops(rules, False), renumber=True)
        if rules.stem:
            exact = exact | _stemmer(rules.stem)
        self.exact = exact
        self.fold = folded | Fold(rules) | StopFilter(stoplist=_stops(rules, True),
                                                      renumber=True)

    def units(self, text: str) -> list[tuple[int, int, str]]:
        """The words of ``text`` as this language's tokenizer sees them."""
        return units(text, self.rules)

    def exact_terms(self, word: str) -> list[str]:
        return list(self._exact_terms(word))

    def fold_terms(self, word: str) -> list[str]:
        return list(self._fold_terms(word))

    @lru_cache(maxsize=20_000)  # noqa: B019 (one Analysis per language, kept for good)
    def _exact_terms(self, word: str) -> tuple[str, ...]:
        return tuple(t.text for t in self.exact(word, tokenize=False))

    @lru_cache(maxsize=20_000)  # noqa: B019
    def _fold_terms(self, word: str) -> tuple[str, ...]:
        return tuple(t.text for t in self.fold(word, tokenize=False))


def analysis_for(lang: Lang | TextRules | str) -> Analysis:
    """The analysers of a language (a ``Lang``, its rules, or a locale code)."""
    return _analysis(_rules(lang))


@lru_cache(maxsize=64)
def _analysis(rules: TextRules) -> Analysis:
    return Analysis(rules)
