"""Query parameters: one strict parser for all of them.

A view names the parameters it reads with ``@query(name=Kind(...))`` and receives them
parsed as keyword arguments. A value is ASCII, bounded in length before it is looked
at, and in the parameter's domain; anything else is a 400 page in the reader's language
(``str.isdigit()`` and ``int()`` accept "²", "١" or "𐩀": they never see a value here).
An empty value is the same as no value, as an HTML form sends for "all".

The declarations are data: the property test walks every route of the URL map with the
parameters each one declares, and the cache rules (``caching``) read them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask import request
from werkzeug.exceptions import BadRequest

from .i18n import get_i18n

_DIGITS = re.compile(r"[0-9]+")
_WORD = re.compile(r"[a-z0-9][a-z0-9-]*")
_PATH = re.compile(r"[a-z0-9][a-z0-9-]*(?:/[a-z0-9][a-z0-9-]*)*")
_TAG = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")


class BadParameter(BadRequest):
    """A query parameter outside its domain (never says which value: it is not logged)."""

    description = "bad parameter"


@dataclass(frozen=True)
class Number:
    """A whole number written in ASCII digits, from 1 to ``maximum``."""

    maximum: int
    default: int = 1

    @property
    def max_length(self) -> int:
        return len(str(self.maximum))

    def parse(self, raw: str) -> int:
        if not _DIGITS.fullmatch(raw):
            raise ValueError
        value = int(raw)
        if not 1 <= value <= self.maximum:
            raise ValueError
        return value


@dataclass(frozen=True)
class Choice:
    """One word of a fixed vocabulary (lower-case ASCII letters, digits, hyphens)."""

    allowed: tuple[str, ...]
    default: str = ""
    max_length: int = 32

    def parse(self, raw: str) -> str:
        if not _WORD.fullmatch(raw) or raw not in self.allowed:
            raise ValueError
        return raw


@dataclass(frozen=True)
class Flag:
    """Present as ``1`` or absent."""

    default: bool = False
    max_length: int = 1

    def parse(self, raw: str) -> bool:
        if raw != "1":
            raise ValueError
        return True


@dataclass(frozen=True)
class Language:
    """The URL code of a language the portal serves, in any casing (``?with=ar``)."""

    default: None = None
    max_length: int = 16

    def parse(self, raw: str):
        if not _TAG.fullmatch(raw):
            raise ValueError
        lang = get_i18n().registry.get(raw.lower())
        if lang is None:
            raise ValueError
        return lang


@dataclass(frozen=True)
class PagePath:
    """The path of one of the site's pages below a language (``services``,
    ``news/2026-…``): lower-case ASCII words and slashes. Whether it names a page is for
    the view to ask the URL map."""

    default: str = ""
    max_length: int = 120

    def parse(self, raw: str) -> str:
        if not _PATH.fullmatch(raw):
            raise ValueError
        return raw


@dataclass(frozen=True)
class Text:
    """Free text (a search): any characters. Its length is bounded by the URL cap
    (``MAX_URL_LENGTH``, checked before anything parses the request); the view cuts it
    to its own cap and says so."""

    default: str = ""
    max_length: int | None = None

    def parse(self, raw: str) -> str:
        return raw


Kind = Number | Choice | Flag | Language | PagePath | Text


@dataclass(frozen=True)
class Declared:
    params: dict[str, Kind] = field(default_factory=dict)
    # The response depends on the query even without one (a search page): never stored
    # by a shared cache, whatever the URL.
    private: bool = False


def parse_one(name: str, kind: Kind):
    raw = request.args.get(name, "")
    if raw == "":
        return kind.default
    if kind.max_length is not None and len(raw) > kind.max_length:
        raise BadParameter()
    try:
        return kind.parse(raw)
    except ValueError:
        raise BadParameter() from None


def query(private: bool = False, **params: Kind) -> Callable:
    """Declare and parse a view's query parameters; they arrive as keyword arguments
    (``with_`` for ``?with=``: a trailing underscore is dropped from the URL name)."""
    by_url = {key.rstrip("_"): (key, kind) for key, kind in params.items()}

    def wrap(view):
        @functools.wraps(view)
        def parsed(*args, **kwargs):
            for name, (key, kind) in by_url.items():
                kwargs[key] = parse_one(name, kind)
            return view(*args, **kwargs)

        parsed.declared = Declared({name: kind for name, (_, kind) in by_url.items()},
                                   private)
        return parsed

    return wrap


def declared(view) -> Declared:
    """What a view function declared (nothing if it reads no parameter)."""
    return getattr(view, "declared", None) or Declared()


def names(views: Iterable) -> set[str]:
    return {name for view in views for name in declared(view).params}
