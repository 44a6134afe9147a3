"""Dates as the reader's locale writes them: Babel's patterns and month names, in the
digits of the locale's default numbering system (Babel leaves digits Latin)."""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import format_date, format_skeleton

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _digits(text: str, lang) -> str:
    digits = lang.digits
    if digits[0] == "0":
        return text
    return "".join(digits[int(ch)] if "0" <= ch <= "9" else ch for ch in text)


def local_date(value, lang) -> str:
    """A full date in the reader's locale."""
    return _digits(format_date(as_date(value), format="long", locale=lang.locale), lang)


def partial_date(value: str, lang) -> str | None:
    """A source's date, which may give only a year or a month (``2021``, ``2021-03``)."""
    match = _PARTIAL.match(str(value or "").strip())
    if not match:
        return None
    year, month, day = match.groups()
    if day:
        return local_date(f"{year}-{month}-{day}", lang)
    if month:
        text = format_skeleton("yMMMM", dt.date(int(year), int(month), 1), locale=lang.locale)
        return _digits(text, lang)
    return _digits(year, lang)


# Dates in English prose: "13 February 2026", "February 2026", "1 April", "May 3, 2025".
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_ENGLISH_DATE = re.compile(
    r"\b(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)? )?(?P<month>" + "|".join(_MONTHS) + r")"
    r"(?: (?P<d2>\d{1,2})(?:st|nd|rd|th)?\b,?)?(?: (?P<year>\d{4})\b)?"
)
_MARKS = str.maketrans("", "", "\u200e\u200f\u061c")


def _ascii_digits(text: str) -> str:
    import unicodedata

    return "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in text)


def _renderings(day: int | None, month: int, year: int | None, locale) -> list[str]:
    """How the locale writes this date (Babel's formats), longest first."""
    when = dt.date(year or 2000, month, day or 1)
    if day and year:
        forms = [format_date(when, f, locale=locale) for f in ("full", "long", "medium", "short")]
        forms += [format_skeleton(s, when, locale=locale) for s in ("yMMMMd", "yMMMd", "yMd")]
    elif day:
        forms = [format_skeleton(s, when, locale=locale) for s in ("MMMMd", "MMMd", "Md")]
    else:
        forms = [format_skeleton(s, when, locale=locale) for s in ("yMMMM", "yMMM", "yM")]
    forms = {_ascii_digits(f.translate(_MARKS)).casefold() for f in forms}
    return sorted((f for f in forms if any(ch.isdigit() for ch in f)), key=len, reverse=True)


def same_dates(source: str, translation: str, locale) -> tuple[str, str]:
    """Take out of both texts each English date that the translation writes in the
    locale's own form (``3月13日``, ``13 tháng 3``): the month's number there is not a
    new number. A date written any other way is left for the numbers check to compare."""
    matches = list(_ENGLISH_DATE.finditer(source)) if locale is not None else []
    if not matches:
        return source, translation
    text = _ascii_digits(translation.translate(_MARKS)).casefold()
    changed = False
    for match in reversed(matches):
        day = match["d1"] or match["d2"]
        year = match["year"]
        if not (day or year):
            continue
        month = _MONTHS.index(match["month"]) + 1
        try:
            forms = _renderings(int(day) if day else None, month,
                                int(year) if year else None, locale)
        except ValueError:  # 31 February: not a date, compare its numbers as they are
            continue
        for form in forms:
            if form in text:
                text = text.replace(form, " ", 1)
                source = source[: match.start()] + " " + source[match.end():]
                changed = True
                break
    return source, (text if changed else translation)
