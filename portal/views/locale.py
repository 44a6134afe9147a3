"""The ``/<lang>/`` URL segment: the reader's language comes from the URL alone."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, abort, redirect, request
from werkzeug.exceptions import NotFound

from ..i18n import get_i18n
from ..reader import use_reader


class UnknownLanguage(NotFound):
    description = "unknown language"


def resolve_lang(endpoint, values):
    """Build the request's reader from the URL's language; 301 other casings and
    aliases to the canonical URL."""
    if values is None or "lang" not in values:
        return
    segment = values.pop("lang")
    registry = get_i18n().registry
    lang = registry.get(segment)
    if lang is not None:
        use_reader(lang)
        return
    lang = registry.resolve(segment)
    if lang is None:
        raise UnknownLanguage()
    # Only ever a path on this site: relative, built from the decoded path.
    rest = request.path.split("/", 2)[2] if request.path.count("/") >= 2 else ""
    target = "/" + lang.code + "/" + quote(rest, safe="/-._~")
    if request.query_string:
        target += "?" + request.query_string.decode("latin-1")[:1024]
    abort(redirect(target, 301))


def localised(name: str, import_name: str) -> Blueprint:
    """A blueprint whose routes all live under ``/<lang>``."""
    bp = Blueprint(name, import_name, url_prefix="/<lang>")
    bp.url_value_preprocessor(resolve_lang)
    return bp
