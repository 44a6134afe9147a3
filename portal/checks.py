"""What a safe translation is: the only module that decides.

Used by ``flask i18n check`` (which names every failing entry) and at run time by the
catalogues, which quarantine a failing entry so the English block is served instead.
A wrong phone number, link or placeholder must never reach a reader.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from babel import Locale
from babel.messages.plurals import get_plural

from .dates import same_dates
from .phones import PHONE_LIKE

URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\"'\]]+", re.IGNORECASE)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
PLACEHOLDER = re.compile(
    r"%\((?P<name>\w+)\)[#0 +-]?\d*(?:\.\d+)?[sdirfxXoeEgGc]|%[sdif]|\{(?P<brace>\w*)\}"
)
LINK_TARGET = re.compile(r"\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
HTML_TAG = re.compile(r"</?\s*([a-zA-Z][\w-]*)[^>]*>")
NUMBER = re.compile(r"\d+")
_TRAILING = ".,;:!?)"


def _urls(text: str) -> list[str]:
    return [u.rstrip(_TRAILING) for u in URL.findall(text)]


def _numbers(text: str) -> Counter:
    values = Counter()
    for digits in NUMBER.findall(text):
        try:
            values[int("".join(str(unicodedata.digit(ch)) for ch in digits))] += 1
        except (ValueError, TypeError):
            values[digits] += 1
    return values


def _strip(text: str, patterns: Iterable[re.Pattern], extra: Iterable[str] = ()) -> str:
    for pattern in patterns:
        text = pattern.sub(" ", text)
    for literal in sorted(extra, key=len, reverse=True):
        text = text.replace(literal, " ")
    return text


def _emphasis(text: str) -> Counter:
    text = LINK_TARGET.sub("]", text)
    singles = text.replace("**", "").replace("__", "")
    return Counter(
        {
            "**": text.count("**"),
            "__": text.count("__"),
            "*": singles.count("*"),
            "_": len(re.findall(r"(?<!\w)_|_(?!\w)", singles)),
        }
    )


def _short(items) -> str:
    return ", ".join(str(i) for i in items) or "none"


def check_text(
    source: str,
    translation: str,
    phones: Iterable[str] = (),
    markdown: bool = True,
    locale: Locale | None = None,
) -> list[str]:
    """Problems with one translated string against its English source (empty: safe)."""
    problems: list[str] = []
    if not translation:
        return problems

    # Phone numbers: byte-identical, ASCII, the same count.
    known = [p for p in phones if p in source]
    source_phones = Counter(PHONE_LIKE.findall(source))
    for number in known:
        source_phones[number] = max(source_phones[number], len(_find_all(source, number)))
    for number, count in source_phones.items():
        found = len(_find_all(translation, number))
        if found != count:
            problems.append(f"phone number {number} must appear exactly as in the source")
    extra_phones = [p for p in PHONE_LIKE.findall(translation) if p not in source_phones]
    if extra_phones:
        problems.append(f"phone number not in the source: {_short(extra_phones)}")

    # URLs and e-mail addresses: the same, in any order.
    src_urls, tr_urls = Counter(_urls(source)), Counter(_urls(translation))
    if src_urls != tr_urls:
        problems.append(
            "URLs differ: expected "
            f"{_short(sorted(src_urls.elements()))}; found {_short(sorted(tr_urls.elements()))}"
        )
    src_mail, tr_mail = Counter(EMAIL.findall(source)), Counter(EMAIL.findall(translation))
    if src_mail != tr_mail:
        problems.append(
            f"e-mail addresses differ: expected {_short(src_mail)}; found {_short(tr_mail)}"
        )

    # Placeholders: same names and kinds.
    src_ph = Counter(m.group(0) for m in PLACEHOLDER.finditer(source))
    tr_ph = Counter(m.group(0) for m in PLACEHOLDER.finditer(translation))
    if src_ph != tr_ph:
        problems.append(
            f"placeholders differ: expected {_short(sorted(src_ph))}; found {_short(sorted(tr_ph))}"
        )

    # Markup: link targets in order, emphasis marks, and no HTML the source lacks.
    if markdown:
        src_links, tr_links = LINK_TARGET.findall(source), LINK_TARGET.findall(translation)
        if src_links != tr_links:
            problems.append(
                f"link targets differ: expected {_short(src_links)}; found {_short(tr_links)}"
            )
        if _emphasis(source) != _emphasis(translation):
            problems.append("bold or emphasis marks differ from the source")
    src_tags = Counter(t.lower() for t in HTML_TAG.findall(source))
    tr_tags = Counter(t.lower() for t in HTML_TAG.findall(translation))
    if src_tags != tr_tags:
        added = sorted((tr_tags - src_tags).elements())
        removed = sorted((src_tags - tr_tags).elements())
        problems.append(f"HTML markup differs: added {_short(added)}; removed {_short(removed)}")

    # Other numbers: the same values (the language's own digits are allowed, and a
    # date in the locale's own form, such as 3月13日, when it is the same date).
    skip = (URL, EMAIL, PLACEHOLDER, PHONE_LIKE, LINK_TARGET)
    dated_source, dated_translation = same_dates(source, translation, locale)
    src_numbers = _numbers(_strip(dated_source, skip, known))
    tr_numbers = _numbers(_strip(dated_translation, skip, known))
    if src_numbers != tr_numbers:
        missing = sorted(map(str, (src_numbers - tr_numbers).elements()))
        added = sorted(map(str, (tr_numbers - src_numbers).elements()))
        problems.append(f"numbers differ: missing {_short(missing)}; added {_short(added)}")

    # Leading and trailing whitespace and line breaks.
    if _edges(source) != _edges(translation):
        problems.append("leading or trailing whitespace differs from the source")
    if source.count("\n") != translation.count("\n"):
        problems.append("the number of line breaks differs from the source")
    return problems


def _find_all(text: str, needle: str) -> list[int]:
    pattern = re.compile(rf"(?<![\d+]){re.escape(needle)}(?!\d)")
    return [m.start() for m in pattern.finditer(text)]


def _edges(text: str) -> tuple[str, str]:
    stripped = text.strip()
    if not stripped:
        return text, ""
    start = text.index(stripped[0])
    return text[:start], text[start + len(stripped) :]


def plural_count(locale: Locale | str) -> int:
    return get_plural(locale).num_plurals


def check_plural_count(forms: int, locale: Locale | str) -> list[str]:
    expected = plural_count(locale)
    if forms != expected:
        return [f"{forms} plural forms, but the language has {expected}"]
    return []


def check_headers(headers: dict[str, str], locale: Locale, babel_code: str) -> list[str]:
    """Header sanity: Language and Plural-Forms agree with Babel's data."""
    problems = []
    language = (headers.get("language") or "").strip()
    if language.replace("-", "_").lower() != babel_code.lower():
        problems.append(f"Language header is {language or 'missing'}, expected {babel_code}")
    plural = get_plural(locale)
    header = (headers.get("plural-forms") or "").replace(" ", "")
    expected = plural.plural_forms.replace(" ", "")
    if header.split(";")[0] != expected.split(";")[0]:
        problems.append(f"Plural-Forms header is {header or 'missing'}, expected {expected}")
    return problems


def check_terms(source: str, translation: str, code: str, termbase) -> tuple[list[str], list[str]]:
    """The termbase's verdict on one translation: (problems, warnings).

    A forbidden rendering is a problem (the entry is quarantined: a word for a
    military army, or for ambulance crews, misleads or frightens a reader); an
    approved rendering missing, or a word the termbase avoids, is only a warning.
    """
    if termbase is None or not translation:
        return [], []
    problems, warnings = [], []
    for finding in termbase.check(source, translation, code):
        (problems if finding.quarantines else warnings).append(str(finding))
    return problems, warnings
