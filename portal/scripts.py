"""How each language's text is written and searched, as data.

A ``Lang`` names a ``TextRules`` (or gets its script's default): which letters are
normalised alike, what folding forgives a reader who types without accents, whether
a joiner splits a word, which Snowball stemmer applies, the stop words. The search
analysers (``portal/search/analysis.py``) read these rules and never branch on a
language code, so a new language needs only its ``Lang(...)`` line, plus, when its
script or language has rules of its own, a ``TextRules`` here.

Per-script notes (``languages.md`` of the brief): Arabic-script
languages differ in which letters fold (``ARABIC``, ``PERSIAN``, ``PASHTO`` show the
pattern); Ethiopic folds homophone letters (Tigrinya, Amharic); Indic scripts keep
their combining marks and virama whole (the tokenizer does this for every script);
Cyrillic folds ё/е and Turkish folds İ/ı/i.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from whoosh.lang import stopwords as whoosh_stopwords

# Named folding steps. Letter-by-letter folding is data (``fold_letters``); these are
# the few that are algorithms, implemented in ``portal/search/analysis.py``:
ACCENTS = "accents"  # drop combining accents, then letters that do not decompose (ł, ø)
ARABIC_LIGHT_STEM = "arabic-light-stem"  # the article, clitics and a few endings off
PERSIAN_LIGHT_STEM = "persian-light-stem"  # می/نمی and ها/های off
INDIC_NASALS = "indic-nasals"  # nukta off, candrabindu and nasal + virama as anusvara


def _pairs(mapping: dict) -> tuple[tuple[str, str | None], ...]:
    return tuple(mapping.items())


@dataclass(frozen=True, eq=False)
class TextRules:
    """How one language's text is tokenised, normalised, folded and stemmed.

    ``eq=False``: rules are module constants, compared and hashed by identity.
    """

    name: str  # for messages and tests: "latin", "persian"
    script: str  # ISO 15924: Latn, Arab, Ethi, Deva, Hans, Cyrl
    # Removed before anything else (Arabic harakat and tatweel), as a regex class.
    strip: str = ""
    # Sequences written two ways (a letter and its joiner form), replaced first.
    sequences: tuple[tuple[str, str], ...] = ()
    # Letters normalised alike in both fields (keyboard variants, spelling variants).
    letters: tuple[tuple[str, str | None], ...] = ()
    # A zero-width non-joiner joins a word and its affix (Persian half-space): each
    # half is its own term on the fold field. Otherwise joiners are simply removed.
    half_space: bool = False
    # An apostrophe is a letter inside words (the Somali glottal stop).
    apostrophe: bool = False
    # Case folding beyond Python's: "turkish" folds İ/ı/I/i together.
    case: str = ""
    # The fold field: letters merged, then the named steps in order.
    fold_letters: tuple[tuple[str, str | None], ...] = ()
    fold: tuple[str, ...] = (ACCENTS,)
    # The exact field's stemmer (only where it works): a Whoosh language code ("en"), or
    # "snowball:<algorithm>" for the snowballstemmer package's (Turkish, Lithuanian).
    stem: str | None = None
    stopwords: frozenset[str] = frozenset()

    def __post_init__(self):
        _BY_NAME.setdefault(self.name, self)

    def __reduce__(self):
        # An index's schema pickles its analysers: it names the rules, so opening an
        # index gives back these very objects.
        return named, (self.name,)


_BY_NAME: dict[str, TextRules] = {}


def named(name: str) -> TextRules:
    """The rules called ``name`` (how a pickled analyser finds them again)."""
    return _BY_NAME[name]


# Scripts: the rules a language gets when it declares none of its own. ---------------

LATIN = TextRules("latin", "Latn")
CYRILLIC = TextRules("cyrillic", "Cyrl")  # ё → е by ACCENTS (it decomposes to е + ̈)
GREEK = TextRules("greek", "Grek")
# Ethiopic letters pronounced alike (Tigrinya, Amharic): ሠ→ሰ, ፀ→ጸ, ኀ→ሀ (whole series).
ETHIOPIC = TextRules(
    "ethiopic", "Ethi", fold=(),
    fold_letters=_pairs({**{chr(0x1220 + i): chr(0x1230 + i) for i in range(8)},
                         **{chr(0x1340 + i): chr(0x1338 + i) for i in range(7)},
                         **{chr(0x1280 + i): chr(0x1200 + i) for i in range(8)}}),
)
# Indic scripts: words keep their vowel signs and virama (the tokenizer); no accent
# folding, which would take nukta letters apart.
INDIC = TextRules("indic", "Deva", fold=())
# Han runs become bigrams (the tokenizer); Latin words among them fold as Latin.
HAN = TextRules("han", "Hans")
ARABIC_SCRIPT = TextRules("arabic-script", "Arab", fold=())

_HARAKAT = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640"

SCRIPTS: dict[str, TextRules] = {
    "Latn": LATIN, "Cyrl": CYRILLIC, "Grek": GREEK, "Ethi": ETHIOPIC, "Arab": ARABIC_SCRIPT,
    "Hans": HAN, "Hant": replace(HAN, name="han-traditional", script="Hant"),
    **{code: replace(INDIC, name=f"indic-{code.lower()}", script=code)
       for code in ("Deva", "Guru", "Beng", "Taml", "Mlym", "Gujr", "Telu", "Knda", "Sinh")},
}

# Languages whose rules differ from their script's. -----------------------------------

# Apostrophe look-alikes, read as one letter where an apostrophe is part of words.
_APOSTROPHES = _pairs({"\u2019": "'", "\u02bc": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})

ENGLISH = replace(LATIN, name="english", stem="en",
                  stopwords=frozenset(whoosh_stopwords.stoplists["en"]))
# Romanian: Whoosh's Snowball stemmer only knows the cedilla letters (it strips
# "-aţie" but not "-ație"), so both spellings are brought to those before stemming.
ROMANIAN = replace(
    LATIN, name="romanian", stem="ro",
    letters=_pairs({"ș": "ş", "ț": "ţ", "Ș": "Ş", "Ț": "Ţ"}),
    stopwords=frozenset(
        "a al ale am ai are aș au că ca care ce cei cel cea cele cu de din după el ea "
        "ei eu în într într-o la le lor mă mai mi mea meu mele mei ne nu o ori pe pentru "
        "prin sa să se şi și sau sunt te tu un una unei unui unor va vă voi vor fi este "
        "era îmi îi îl ţi ți".split()),
)
POLISH = replace(LATIN, name="polish", stopwords=frozenset(
    "a aby ale albo ani bo by być czy dla do gdy i ich im ja jak je jego jej jest "
    "jestem już ktoś która które który lub ma mi mnie mną mój moja moje na nad nie "
    "o od po pod przez się są ta tak te to tu tym w we z za ze że".split()))
ALBANIAN = replace(LATIN, name="albanian", stopwords=frozenset(
    "a apo dhe do e i jam jemi janë është ka kam kanë me më mos nga në një për po "
    "prej që se si sa të ti u unë ju ne ata ato".split()))
# Somali writes the glottal stop as an apostrophe inside words (la'aan): every
# apostrophe look-alike is one letter; the fold field drops it.
SOMALI = replace(LATIN, name="somali", apostrophe=True, letters=_APOSTROPHES,
                 fold_letters=_pairs({"'": None}))
# Turkish: lower-casing leaves U+0307 after İ; dotted and dotless i fold together.
# Whoosh's Turkish stop list also holds English words, and it has no Turkish stemmer:
# Snowball's (snowballstemmer) takes the endings off (maaşımı, maaş).
TURKISH = replace(LATIN, name="turkish", case="turkish", stem="snowball:turkish")
LITHUANIAN = replace(LATIN, name="lithuanian", stem="snowball:lithuanian")


def _snowball(name: str, code: str, rules: TextRules = LATIN, **more) -> TextRules:
    """A language Whoosh has a Snowball stemmer and a stop list for."""
    return replace(rules, name=name, stem=code,
                   stopwords=frozenset(whoosh_stopwords.stoplists[code]), **more)


FRENCH = _snowball("french", "fr")
SPANISH = _snowball("spanish", "es")
PORTUGUESE = _snowball("portuguese", "pt")
HUNGARIAN = _snowball("hungarian", "hu")
# ё is written as е in most Russian text: both fields read it so, before stemming.
RUSSIAN = _snowball("russian", "ru", CYRILLIC, letters=_pairs({"ё": "е", "Ё": "Е"}))
# Ukrainian writes an apostrophe inside words (п'ять, сім'я): every look-alike is one
# letter; the fold field drops it.
UKRAINIAN = replace(CYRILLIC, name="ukrainian", apostrophe=True, letters=_APOSTROPHES,
                    fold_letters=_pairs({"'": None}))

ARABIC = replace(
    ARABIC_SCRIPT, name="arabic", strip=_HARAKAT, fold=(ARABIC_LIGHT_STEM,),
    letters=_pairs({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه",
                    # a Persian keyboard's kaf and yeh in Arabic text
                    "ک": "ك", "ی": "ي"}),
    stopwords=frozenset(
        "في من على الى إلى عن مع او أو ثم هل قد لا ما لم لن ان أن إن كان هذا هذه ذلك "
        "تلك التي الذي هو هي انا أنا انت أنت نحن هم و".split()),
)
_PERSIAN_AFFIXES = ("می", "نمی", "ها", "های", "هایی", "ای")
PERSIAN = replace(
    ARABIC_SCRIPT, name="persian", strip=_HARAKAT, half_space=True,
    letters=_pairs({"ك": "ک", "ي": "ی", "ى": "ی"}),
    fold_letters=_pairs({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ۀ": "ه",
                         "ؤ": "و", "ئ": "ی", "ء": None}),
    fold=(PERSIAN_LIGHT_STEM,),
    stopwords=frozenset(
        "و در به از که را این آن با برای تا یا هم نیز است هست بود من تو او ما شما "
        "آنها اینکه یک".split() + list(_PERSIAN_AFFIXES)),
)
# Pashto keeps ې ۍ ی ي apart (grammatical endings); only keyboard variants fold.
PASHTO = replace(
    ARABIC_SCRIPT, name="pashto", strip=_HARAKAT, half_space=True,
    letters=_pairs({"ك": "ک", "گ": "ګ", "ى": "ی"}),
    fold_letters=_pairs({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ۀ": "ه",
                         "ؤ": "و", "ء": None}),
)
# Sorani: ە (a vowel) is never ه, and ه followed by a non-joiner is how older text
# writes ە. Keyboard variants fold in both fields; the fold field also forgives a
# reader whose keyboard lacks ڵ ڕ ێ ۆ ھ.
SORANI = replace(
    ARABIC_SCRIPT, name="sorani", strip=_HARAKAT,
    sequences=(("\u0647\u200c", "\u06d5"),),
    letters=_pairs({"ك": "ک", "ي": "ی", "ى": "ی"}),
    fold_letters=_pairs({"ڵ": "ل", "ڕ": "ر", "ێ": "ی", "ۆ": "و", "ھ": "ه", "أ": "ا",
                         "إ": "ا", "آ": "ا", "ء": None}),
)
# Urdu: Arabic-keyboard kaf, yeh and heh are Urdu's ک ی ہ; the fold field forgives a
# Persian keyboard (no ے ں ھ ۃ).
URDU = replace(
    ARABIC_SCRIPT, name="urdu", strip=_HARAKAT, half_space=True,
    letters=_pairs({"ك": "ک", "ي": "ی", "ى": "ی", "ه": "ہ", "ة": "ۃ"}),
    fold_letters=_pairs({"ے": "ی", "ں": "ن", "ھ": "ہ", "ۃ": "ہ", "أ": "ا", "إ": "ا",
                         "آ": "ا", "ؤ": "و", "ئ": "ی", "ء": None}),
)
DEVANAGARI = replace(SCRIPTS["Deva"], name="devanagari", fold=(INDIC_NASALS,))
# Malayalam writes its final consonants (chillu) as one letter or as the consonant,
# virama and a zero-width joiner: both become consonant + virama (joiners are
# removed for every language).
MALAYALAM = replace(
    SCRIPTS["Mlym"], name="malayalam",
    letters=_pairs({"ൺ": "ണ്", "ൻ": "ന്", "ർ": "ര്", "ൽ": "ല്", "ൾ": "ള്", "ൿ": "ക്",
                    "\u0d54": "മ്", "\u0d55": "യ്", "\u0d56": "ഴ്"}),
)


def rules_for(script: str | None) -> TextRules:
    """The rules of a language whose ``Lang`` names none: its script's."""
    return SCRIPTS.get(script or "", LATIN)
