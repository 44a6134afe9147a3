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

from .dates import same_dates
from .locales import gettext_plural
from .phones import PHONE_LIKE

URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\"'\]]+", re.IGNORECASE)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
PLACEHOLDER = re.compile(
    r"%\((?P<name>\w+)\)[#0 +-]?\d*(?:\.\d+)?[sdirfxXoeEgGc]|%[sdif]|\{(?P<brace>\w*)\}"
)
LINK_TARGET = re.compile(r"\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
HTML_TAG = re.compile(r"<(/?)\s*([a-zA-Z][\w-]*)((?:\"[^\"]*\"|'[^']*'|[^'\">])*)>")
# One attribute inside a tag: its name, then how its value is quoted and the value.
ATTRIBUTE = re.compile(
    r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?"""
)
# A quote that is not an apostrophe inside a word ("hay'adaha", "t'i"): in a string
# output as HTML it can close the attribute it is written into.
FREE_QUOTE = re.compile(r"\"|(?<![^\W\d_])'|'(?![^\W\d_])")
# What a quote closing an attribute would open next: another attribute.
BREAKOUT = re.compile(r"""["']\s*([a-zA-Z_:][-\w:.]*)(?=\s|=|>|$)""")
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
    problems.extend(check_markup(source, translation, raw_html=not markdown))

    # Other numbers: the same values (the language's own digits are allowed, and a
    # date in the locale's own form, such as 3月13日, when it is the same date).
    # Addresses go first: a date inside a URL (…/2025-11-03/…) is not a date in the text.
    skip = (URL, EMAIL, PLACEHOLDER, PHONE_LIKE, LINK_TARGET)
    dated_source, dated_translation = same_dates(
        _strip(source, skip, known), _strip(translation, skip, known), locale)
    src_numbers = _numbers(dated_source)
    tr_numbers = _numbers(dated_translation)
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


def _tags(text: str) -> list[tuple[str, tuple]]:
    """Each tag as (name, attributes); an attribute is (name, quote, value), where
    quote is ``"``, ``'``, ``=`` (unquoted) or empty (no value at all)."""
    tags = []
    for match in HTML_TAG.finditer(text):
        attributes = []
        for attr in ATTRIBUTE.finditer(match.group(3)):
            name, double, single, bare = attr.groups()
            if double is not None:
                attributes.append((name.lower(), '"', double))
            elif single is not None:
                attributes.append((name.lower(), "'", single))
            elif bare is not None:
                attributes.append((name.lower(), "=", bare))
            else:
                attributes.append((name.lower(), "", ""))
        tags.append((match.group(1) + match.group(2).lower(), tuple(attributes)))
    return tags


def _tag_text(tag: tuple[str, tuple]) -> str:
    name, attributes = tag
    parts = [name]
    for attribute, quote, value in attributes:
        if not quote:
            parts.append(attribute)
        else:
            quote = "" if quote == "=" else quote
            parts.append(f"{attribute}={quote}{value}{quote}")
    return "<" + " ".join(parts) + ">"


def check_markup(source: str, translation: str, raw_html: bool = True) -> list[str]:
    """The markup of a translation against its source's, as a whole: every tag with
    every attribute, its value and its quoting. A string output as raw HTML (the
    interface's) must also bring no quote the source lacks: written into an attribute
    (``data-two="…"``), ``" inert x="`` would add ``inert``. Markdown (content) is
    escaped by its renderer, so its quotes are text. Problems name the attribute."""
    problems: list[str] = []
    src_tags, tr_tags = Counter(_tags(source)), Counter(_tags(translation))
    if src_tags != tr_tags:
        added, removed = tr_tags - src_tags, src_tags - tr_tags
        details = []
        removed_by_name = {}
        for tag in removed.elements():
            removed_by_name.setdefault(tag[0], []).append(tag)
        for name, attributes in added.elements():
            twins = removed_by_name.get(name)
            if twins:
                details.extend(_attribute_changes(name, twins.pop(0)[1], attributes))
        problems.append(
            "HTML markup differs: added "
            f"{_short(sorted(_tag_text(t) for t in added.elements()))}; removed "
            f"{_short(sorted(_tag_text(t) for t in removed.elements()))}"
            + (f" ({'; '.join(details)})" if details else "")
        )
    if raw_html:
        src_text, tr_text = HTML_TAG.sub(" ", source), HTML_TAG.sub(" ", translation)
        src_quotes = Counter(m.group(0) for m in FREE_QUOTE.finditer(src_text))
        tr_quotes = Counter(m.group(0) for m in FREE_QUOTE.finditer(tr_text))
        if src_quotes != tr_quotes:
            src_names = set(BREAKOUT.findall(src_text))
            names = sorted(n.lower() for n in BREAKOUT.findall(tr_text) if n not in src_names)
            what = f": it would add attribute {_short(names)}" if names else ""
            problems.append(
                f"quotes differ from the source (output as HTML, a quote can end an "
                f"attribute{what})"
            )
    return problems


def _attribute_changes(tag: str, before: tuple, after: tuple) -> list[str]:
    old = {name: (quote, value) for name, quote, value in before}
    new = {name: (quote, value) for name, quote, value in after}
    changes = [f"attribute {n} added to <{tag}>" for n in new if n not in old]
    changes += [f"attribute {n} removed from <{tag}>" for n in old if n not in new]
    for name in old.keys() & new.keys():
        if old[name][1] != new[name][1]:
            changes.append(f"attribute {name} of <{tag}> has another value")
        elif old[name][0] != new[name][0]:
            changes.append(f"attribute {name} of <{tag}> is quoted differently")
    if not changes and list(old) != list(new):
        changes.append(f"attributes of <{tag}> are in another order")
    return changes


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
    return gettext_plural(locale)[0]


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
    forms, expr = gettext_plural(locale)
    header = (headers.get("plural-forms") or "").replace(" ", "")
    expected = f"nplurals={forms};plural={expr};".replace(" ", "")
    if header.rstrip(";") != expected.rstrip(";"):
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
