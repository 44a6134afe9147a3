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
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from whoosh.analysis import Filter, LowercaseFilter, StemFilter, StopFilter, Tokenizer
from whoosh.analysis.acore import Token
from whoosh.lang import stopwords as whoosh_stopwords
from whoosh.support.charset import accent_map

# Bump when analysis changes: an index built by other code is then stale.
VERSION = 6


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
APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'", "`": "'",
                             "\u00b4": "'"})
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


def units(text: str, lang: str) -> list[tuple[int, int, str]]:
    """The words (and Han bigrams) of ``text`` as the tokenizer sees them."""
    pattern = WORD_APOSTROPHE if lang == "so" else WORD
    return [(a, b, text[a:b][:LONGEST_TERM]) for a, b in _units(text, pattern)]


# Letter normalisation per script ------------------------------------------------------

DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
HARAKAT = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]")
TATWEEL = "\u0640"
ZWNJ, ZWJ = "\u200c", "\u200d"

ARABIC = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه",
                        # a Persian keyboard's kaf and yeh in Arabic text
                        "ک": "ك", "ی": "ي"})
PERSIAN = str.maketrans({"ك": "ک", "ي": "ی", "ى": "ی"})
PERSIAN_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ۀ": "ه",
                              "ؤ": "و", "ئ": "ی", "ء": None})
# Pashto keeps ې ۍ ی ي apart (grammatical endings); only keyboard variants fold.
PASHTO = str.maketrans({"ك": "ک", "گ": "ګ", "ى": "ی"})
PASHTO_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ۀ": "ه",
                             "ؤ": "و", "ء": None})
# Romanian: Whoosh's Snowball stemmer only knows the cedilla letters (it strips
# "-aţie" but not "-ație"), so both spellings are brought to those before stemming.
ROMANIAN = str.maketrans({"ș": "ş", "ț": "ţ", "Ș": "Ş", "Ț": "Ţ"})

# Ethiopic letters pronounced alike in Tigrinya: ሠ→ሰ, ፀ→ጸ, ኀ→ሀ (whole series).
ETHIOPIC_FOLD = str.maketrans(
    {**{chr(0x1220 + i): chr(0x1230 + i) for i in range(8)},
     **{chr(0x1340 + i): chr(0x1338 + i) for i in range(7)},
     **{chr(0x1280 + i): chr(0x1200 + i) for i in range(8)}}
)
DEVANAGARI_NASAL = re.compile("[ङञणनम]\u094d(?=[\u0915-\u0939])")
ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
ARABIC_CLITICS = ("و", "ب", "ل", "ف")  # and, with, for, so: one, on longer words
ARABIC_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "كم", "هم", "نا", "ه", "ي", "ك")
FA_AFFIXES = ("می", "نمی", "ها", "های", "هایی", "ای")


@lru_cache(maxsize=200_000)
def normalise(text: str, lang: str, keep_zwnj: bool = False) -> str:
    """What the ``exact`` field keeps of a word (before lower-casing and stems).

    ``keep_zwnj`` leaves Persian half-spaces for the fold field, which splits there.
    """
    text = unicodedata.normalize("NFKC", text).translate(DIGITS)
    if lang == "ar":
        text = HARAKAT.sub("", text).replace(TATWEEL, "").translate(ARABIC)
        text = text.replace(ZWNJ, "")
    elif lang in ("fa", "ps"):
        text = HARAKAT.sub("", text).replace(TATWEEL, "")
        text = text.translate(PERSIAN if lang == "fa" else PASHTO).replace(ZWJ, "")
        if not keep_zwnj:
            text = text.replace(ZWNJ, "")
    elif lang == "ro":
        text = text.translate(ROMANIAN)
    elif lang == "so":
        text = text.translate(APOSTROPHES)
    return text


@lru_cache(maxsize=200_000)
def fold(text: str, lang: str) -> str:
    """What the ``fold`` field keeps: no accents, look-alike letters merged.

    ``text`` is already normalised and lower-cased.
    """
    if lang in ("ar",):
        return _arabic_light(text)
    if lang == "fa":
        return _persian_light(text.translate(PERSIAN_FOLD))
    if lang == "ps":
        return text.translate(PASHTO_FOLD)
    if lang == "hi":
        text = text.replace("\u093c", "").replace("\u0901", "\u0902")
        text = DEVANAGARI_NASAL.sub("\u0902", text)
        return text.replace(ZWNJ, "").replace(ZWJ, "")
    if lang in ("ti", "am"):
        return text.translate(ETHIOPIC_FOLD)
    if lang == "so":
        text = text.replace("'", "")
    # Latin and Cyrillic: drop combining accents (ệ, ș, ş, ą, ë, ё), then the letters
    # that do not decompose (ł, đ, ø, ß).
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not 0x0300 <= ord(c) <= 0x036F)
    return unicodedata.normalize("NFC", stripped).translate(accent_map)


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


# Stop words: only where a list is sensible and known. -------------------------------

STOP_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(whoosh_stopwords.stoplists["en"]),
    "ro": frozenset(
        "a al ale am ai are aș au că ca care ce cei cel cea cele cu de din după el ea "
        "ei eu în într într-o la le lor mă mai mi mea meu mele mei ne nu o ori pe pentru "
        "prin sa să se şi și sau sunt te tu un una unei unui unor va vă voi vor fi este "
        "era îmi îi îl ţi ți".split()
    ),
    "pl": frozenset(
        "a aby ale albo ani bo by być czy dla do gdy i ich im ja jak je jego jej jest "
        "jestem już ktoś która które który lub ma mi mnie mną mój moja moje na nad nie "
        "o od po pod przez się są ta tak te to tu tym w we z za ze że".split()
    ),
    "sq": frozenset(
        "a apo dhe do e i jam jemi janë është ka kam kanë me më mos nga në një për po "
        "prej që se si sa të ti u unë ju ne ata ato".split()
    ),
    "ar": frozenset(
        "في من على الى إلى عن مع او أو ثم هل قد لا ما لم لن ان أن إن كان هذا هذه ذلك "
        "تلك التي الذي هو هي انا أنا انت أنت نحن هم و".split()
    ),
    "fa": frozenset(
        "و در به از که را این آن با برای تا یا هم نیز است هست بود من تو او ما شما "
        "آنها اینکه یک".split() + list(FA_AFFIXES)
    ),
}


class Normalise(Filter):
    """NFKC, digits, and the letter normalisations of one language."""

    def __init__(self, lang: str, keep_zwnj: bool = False):
        self.lang = lang
        self.keep_zwnj = keep_zwnj

    def __eq__(self, other):
        return (self.__class__ is other.__class__ and self.lang == other.lang
                and self.keep_zwnj == other.keep_zwnj)

    def __hash__(self):
        return hash((self.__class__.__name__, self.lang, self.keep_zwnj))

    def __call__(self, tokens):
        lang, keep = self.lang, self.keep_zwnj
        for t in tokens:
            text = normalise(t.text, lang, keep)
            if text:
                t.text = text
                yield t


class Fold(Filter):
    """The fold field's extra folding (after lower-casing); Persian splits at ZWNJ."""

    def __init__(self, lang: str):
        self.lang = lang

    def __eq__(self, other):
        return self.__class__ is other.__class__ and self.lang == other.lang

    def __hash__(self):
        return hash((self.__class__.__name__, self.lang))

    def __call__(self, tokens):
        lang = self.lang
        for t in tokens:
            # A Persian half-space joins a word and its affix: each half is its own
            # term here, so "می خواهم" typed with a space still matches.
            for part in t.text.split(ZWNJ):
                text = fold(part, lang)
                if text:
                    t.text = text
                    yield t


class TurkishI(Filter):
    """Lower-casing leaves U+0307 after İ; fold the dotted and dotless i together."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = t.text.replace("i\u0307", "i").replace("ı", "i")
            yield t


class NoJoiners(Filter):
    """Remove ZWNJ/ZWJ: invisible, and typed inconsistently."""

    def __call__(self, tokens):
        for t in tokens:
            text = t.text.replace(ZWNJ, "").replace(ZWJ, "")
            if text:
                t.text = text
                yield t


STEMMED = ("en", "ro")  # where Whoosh's Snowball stemmer works (not its Arabic one)


def base_code(code: str) -> str:
    """The analysis language of a portal locale code (zh-hans → zh, en-xa → en)."""
    return code.split("-")[0].lower()


def _stops(lang: str, folded: bool) -> frozenset[str]:
    words = STOP_WORDS.get(lang, frozenset())
    out = set()
    for w in words:
        w = normalise(w, lang).lower()
        if folded:
            w = fold(w, lang)
        out.add(w)
    return frozenset(out)


class Analysis:
    """The two analysers of one language, and helpers that apply them to a word."""

    def __init__(self, lang: str):
        self.lang = base_code(lang)
        lang = self.lang
        tokenizer = PortalTokenizer(apostrophe=lang == "so")
        exact = tokenizer | Normalise(lang) | LowercaseFilter()
        folded = tokenizer | Normalise(lang, keep_zwnj=True) | LowercaseFilter()
        if lang == "tr":
            exact, folded = exact | TurkishI(), folded | TurkishI()
        if lang not in ("ar", "fa", "ps"):
            exact, folded = exact | NoJoiners(), folded | NoJoiners()
        exact = exact | StopFilter(stoplist=_stops(lang, False), renumber=True)
        if lang in STEMMED:
            exact = exact | StemFilter(lang=lang, cachesize=50000)
        self.exact = exact
        self.fold = folded | Fold(lang) | StopFilter(stoplist=_stops(lang, True),
                                                     renumber=True)

    def exact_terms(self, word: str) -> list[str]:
        return list(self._exact_terms(word))

    def fold_terms(self, word: str) -> list[str]:
        return list(self._fold_terms(word))

    @lru_cache(maxsize=100_000)  # noqa: B019 (one Analysis per language, kept for good)
    def _exact_terms(self, word: str) -> tuple[str, ...]:
        return tuple(t.text for t in self.exact(word, tokenize=False))

    @lru_cache(maxsize=100_000)  # noqa: B019
    def _fold_terms(self, word: str) -> tuple[str, ...]:
        return tuple(t.text for t in self.fold(word, tokenize=False))


@lru_cache(maxsize=64)
def analysis_for(code: str) -> Analysis:
    return Analysis(code)


def exact_analyzer(code: str):
    return analysis_for(code).exact


def fold_analyzer(code: str):
    return analysis_for(code).fold


