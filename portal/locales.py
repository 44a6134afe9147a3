"""The language registry: the only module that knows which languages the portal speaks.

Every other module asks this one for codes, names, directions and negotiation, so
adding a language is one entry here plus its catalogues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from babel import Locale as BabelLocale
from babel.core import UnknownLocaleError, get_global, parse_locale
from babel.messages.plurals import get_plural

from . import scripts
from .scripts import TextRules

# Accept-Language is capped before it is parsed: a browser sends well under this.
ACCEPT_LANGUAGE_CAP = 512
ACCEPT_LANGUAGE_MAX_ITEMS = 24
_TAG = re.compile(r"^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True)
class Lang:
    """One language the portal is served in."""

    code: str  # URL code, lower case: "zh-hans"
    babel: str  # gettext/Babel code: "zh_Hans"
    english_name: str
    aliases: tuple[str, ...] = ()
    pseudo: bool = False
    endonym_override: str | None = None
    tag: str | None = None  # the HTML lang tag, when it differs from the Babel code
    # How its text is searched (portal/scripts.py); by default its language's or
    # its script's rules.
    rules: TextRules | None = field(default=None, compare=False)
    _locale: BabelLocale = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        # Babel has no data for the pseudo-locales: they borrow their base language's.
        base = self.babel.split("_")[0] if self.pseudo else self.babel
        object.__setattr__(self, "_locale", BabelLocale.parse(base))
        if self.rules is None:
            object.__setattr__(self, "rules", scripts.rules_for(writing_script(self._locale)))

    @property
    def locale(self) -> BabelLocale:
        return self._locale

    @property
    def endonym(self) -> str:
        if self.endonym_override:
            return self.endonym_override
        name = self._locale.get_display_name(self._locale) or self.english_name
        # Babel gives "shqip", "polski": a name shown as a heading reads better capitalised
        # where the script has case, as speakers write it at the start of a sentence.
        return name[:1].upper() + name[1:]

    @property
    def dir(self) -> str:
        return self._locale.text_direction

    @property
    def bcp47(self) -> str:
        """The tag for HTML lang attributes: zh-Hans, not zh-hans."""
        if self.tag:
            return self.tag
        parts = self.babel.split("_")
        out = [parts[0]]
        for p in parts[1:]:
            out.append(p.title() if len(p) == 4 else p.upper() if len(p) == 2 else p)
        return "-".join(out)

    @property
    def language(self) -> str:
        return self._locale.language

    @property
    def script(self) -> str | None:
        return writing_script(self._locale)

    @property
    def plural_forms(self) -> int:
        """How many plural forms its catalogues have."""
        return gettext_plural(self.babel)[0]

    @property
    def plural_expr(self) -> str:
        """Which form a number takes: the C expression of its Plural-Forms header."""
        return gettext_plural(self.babel)[1]

    @property
    def digits(self) -> str:
        """Its native digits, zero to nine (CLDR's default numbering system)."""
        zero = NATIVE_ZERO.get(self._locale.default_numbering_system, ord("0"))
        return "".join(chr(zero + i) for i in range(10))


# Babel's gettext table says ``n != 1`` for these, where CLDR (and the languages) put
# 0 with 1 ("0 परिणाम" is singular in Hindi); Filipino's "one" is about the linker and
# takes most numbers. The catalogues follow CLDR, as Babel itself does for pt_BR.
GETTEXT_PLURALS: dict[str, tuple[int, str]] = {
    **dict.fromkeys(("ti", "hi", "am", "bn", "pa", "pt"), (2, "(n > 1)")),
    "fil": (2, "(n % 10 == 4 || n % 10 == 6 || n % 10 == 9)"),
}


def gettext_plural(babel_code) -> tuple[int, str]:
    """(number of forms, C expression) of a catalogue's Plural-Forms header."""
    code = str(babel_code)
    if code in GETTEXT_PLURALS:
        return GETTEXT_PLURALS[code]
    rule = get_plural(code)
    return rule.num_plurals, rule.plural_expr


# First digit of each numbering system CLDR names as a locale's default.
NATIVE_ZERO = {"arab": 0x0660, "arabext": 0x06F0, "deva": 0x0966, "beng": 0x09E6,
               "guru": 0x0A66, "mlym": 0x0D66, "tamldec": 0x0BE6}


def writing_script(loc: BabelLocale) -> str | None:
    """The ISO 15924 script a locale is written in (CLDR likely subtags)."""
    if loc.script:
        return loc.script
    likely = get_global("likely_subtags")
    for key in (f"{loc.language}_{loc.territory}" if loc.territory else None, loc.language):
        if key and key in likely:
            # Only split the tag: CLDR's likely subtags name locales Babel has no data
            # for (no -> no_Latn_NO), which Locale.parse would reject.
            return parse_locale(likely[key])[2]
    return None


# British English data (dates, numbers), announced simply as "en".
ENGLISH = Lang("en", "en_GB", "English", aliases=("en-gb", "en-us", "en-uk"), tag="en",
               endonym_override="English", rules=scripts.ENGLISH)

WAVE1: tuple[Lang, ...] = (
    ENGLISH,
    Lang("sq", "sq", "Albanian", aliases=("sq-al", "sq-xk", "sq-mk"), rules=scripts.ALBANIAN),
    Lang("vi", "vi", "Vietnamese", aliases=("vi-vn",)),
    Lang("ti", "ti", "Tigrinya", aliases=("ti-er", "ti-et")),
    Lang("ar", "ar", "Arabic", aliases=("ar-sd", "ar-eg", "ar-iq", "ar-sy", "ar-ye", "ar-sa"),
         rules=scripts.ARABIC),
    Lang("so", "so", "Somali", aliases=("so-so",), rules=scripts.SOMALI),
    Lang("fa", "fa", "Persian", aliases=("fa-ir",), rules=scripts.PERSIAN),
    Lang("ps", "ps", "Pashto", aliases=("ps-af",), rules=scripts.PASHTO),
    Lang("ro", "ro", "Romanian", aliases=("ro-ro", "ro-md", "mo"), rules=scripts.ROMANIAN),
    Lang("pl", "pl", "Polish", aliases=("pl-pl",), rules=scripts.POLISH),
    Lang(
        "zh-hans",
        "zh_Hans",
        "Chinese (Simplified)",
        aliases=("zh", "zh-cn", "zh-sg", "zh-hans-cn", "zh-my", "zh-tw", "zh-hk", "zh-hant"),
        endonym_override="中文（简体）",
    ),
    Lang("hi", "hi", "Hindi", aliases=("hi-in",), rules=scripts.DEVANAGARI),
)

# Wave 2 (issue 21; codes and script notes in the languages brief). Dari is Babel's
# fa_AF: CLDR calls it "Persian (Afghanistan)", Afghan readers call it دری.
WAVE2: tuple[Lang, ...] = (
    Lang("fa-af", "fa_AF", "Dari", aliases=("prs", "prs-af", "fa-arab-af"),
         endonym_override="دری", rules=scripts.PERSIAN),
    Lang("ckb", "ckb", "Kurdish (Sorani)", aliases=("ckb-iq", "ckb-ir", "ku-arab", "ku-arab-iq"),
         endonym_override="کوردی (سۆرانی)", rules=scripts.SORANI),
    Lang("am", "am", "Amharic", aliases=("am-et",)),
    # Shahmukhi Punjabi (pa-Arab, pa-PK) readers read Urdu's script; Gurmukhi they may not.
    Lang("ur", "ur", "Urdu", aliases=("ur-pk", "ur-in", "pa-arab", "pa-pk", "pa-arab-pk"),
         rules=scripts.URDU),
    Lang("bn", "bn", "Bengali", aliases=("bn-bd", "bn-in")),
    Lang("pa", "pa", "Punjabi", aliases=("pa-in", "pa-guru", "pa-guru-in")),
    Lang("ml", "ml", "Malayalam", aliases=("ml-in",), rules=scripts.MALAYALAM),
    Lang("ta", "ta", "Tamil", aliases=("ta-in", "ta-lk")),
    Lang("uk", "uk", "Ukrainian", aliases=("uk-ua",), rules=scripts.UKRAINIAN),
    Lang("ru", "ru", "Russian", aliases=("ru-ru",), rules=scripts.RUSSIAN),
    Lang("bg", "bg", "Bulgarian", aliases=("bg-bg",)),
    Lang("lt", "lt", "Lithuanian", aliases=("lt-lt",), rules=scripts.LITHUANIAN),
    Lang("sk", "sk", "Slovak", aliases=("sk-sk",)),
    Lang("cs", "cs", "Czech", aliases=("cs-cz",)),
    Lang("hu", "hu", "Hungarian", aliases=("hu-hu",), rules=scripts.HUNGARIAN),
    Lang("pt", "pt", "Portuguese", aliases=("pt-br", "pt-pt", "pt-ao"), rules=scripts.PORTUGUESE),
    Lang("es", "es", "Spanish", aliases=("es-419", "es-es", "es-mx"), rules=scripts.SPANISH),
    Lang("fr", "fr", "French", aliases=("fr-fr",), rules=scripts.FRENCH),
    Lang("tr", "tr", "Turkish", aliases=("tr-tr",), rules=scripts.TURKISH),
    # Babel reads "tl" (Tagalog) as Filipino: the same written language.
    Lang("fil", "fil", "Filipino", aliases=("tl", "fil-ph", "tl-ph")),
)

# Every language a reader can choose.
SERVED: tuple[Lang, ...] = WAVE1 + WAVE2

# Layout-testing locales: never listed publicly, enabled only by PORTAL_PSEUDO_LOCALES.
PSEUDO: tuple[Lang, ...] = (
    Lang("en-xa", "en_XA", "Pseudo (accented)", pseudo=True, endonym_override="[Ƥşéüđö]",
         rules=scripts.ENGLISH),
    Lang("ar-xb", "ar_XB", "Pseudo (right to left)", pseudo=True, endonym_override="[ƤşéüđöƦŦĿ]",
         rules=scripts.ARABIC),
)

ALL = SERVED + PSEUDO


def text_rules(code: str) -> TextRules:
    """The text rules for a locale code: its ``Lang``'s, else its language's, else its
    script's, else Latin."""
    for lang in ALL:
        if lang.code == code:
            return lang.rules
    base = code.split("-")[0].split("_")[0].lower()
    for lang in SERVED:
        if lang.code == base:
            return lang.rules
    try:
        loc = BabelLocale.parse(base)
    except (ValueError, UnknownLocaleError):
        return scripts.LATIN
    return scripts.rules_for(writing_script(loc))


class Registry:
    """The locales one app serves: every served language, plus pseudo-locales when
    configured."""

    def __init__(self, pseudo: bool = False):
        self.langs: tuple[Lang, ...] = SERVED + (PSEUDO if pseudo else ())
        self.public: tuple[Lang, ...] = SERVED
        self.by_code = {lang.code: lang for lang in self.langs}
        self._aliases: dict[str, Lang] = {}
        for lang in SERVED:
            self._aliases[lang.code] = lang
            self._aliases[lang.babel.lower().replace("_", "-")] = lang
            for alias in lang.aliases:
                self._aliases[alias] = lang

    def __iter__(self):
        return iter(self.langs)

    def get(self, code: str) -> Lang | None:
        """The language with exactly this URL code."""
        return self.by_code.get(code)

    def resolve(self, segment: str) -> Lang | None:
        """The language a URL segment means: its code, another casing, or an alias."""
        if len(segment) > 35 or not _TAG.match(segment):
            return None
        key = segment.lower().replace("_", "-")
        if key in self.by_code:
            return self.by_code[key]
        return self._aliases.get(key)

    def match_tag(self, tag: str) -> Lang | None:
        """The language a BCP 47 tag from a browser should land on, if any."""
        if not tag or tag == "*" or not _TAG.match(tag):
            return None
        found = self.resolve(tag)
        if found and not found.pseudo:
            return found
        try:
            loc = BabelLocale.parse(tag.replace("-", "_"))
        except (ValueError, UnknownLocaleError, TypeError):
            loc = None
        if loc is not None:
            language, script = loc.language, writing_script(loc)
            candidates = [lang for lang in self.public if lang.language == language]
            # The variety of the reader's region first (fa-Arab-AF is Dari), then the
            # one written in the reader's script.
            for lang in candidates:
                if loc.territory and lang.locale.territory == loc.territory:
                    return lang
            for lang in candidates:
                if lang.script == script and not lang.locale.territory:
                    return lang
            for lang in candidates:
                if lang.script == script:
                    return lang
            if candidates:
                # Only one script per language here; a reader of zh-Hant still reads
                # Simplified more easily than English.
                return candidates[0]
        primary = tag.split("-")[0].split("_")[0].lower()
        return self._aliases.get(primary)

    def negotiate(self, header: str | None) -> Lang:
        """Pick the best language for an Accept-Language header; English if none fits."""
        for tag in parse_accept_language(header):
            lang = self.match_tag(tag)
            if lang:
                return lang
        return ENGLISH


def parse_accept_language(header: str | None) -> list[str]:
    """Tags from an Accept-Language header, best first, capped before parsing."""
    if not header:
        return []
    header = header[:ACCEPT_LANGUAGE_CAP]
    items = []
    for index, part in enumerate(header.split(",")[:ACCEPT_LANGUAGE_MAX_ITEMS]):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip()
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
                if not 0.0 <= quality <= 1.0 or quality != quality:
                    quality = 0.0
        if tag and quality > 0:
            items.append((-quality, index, tag))
    return [tag for _, _, tag in sorted(items)]
