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
