"""Full-text search behind one narrow interface: build, search, suggest.

Views only talk to ``app.extensions["search"]``; the Whoosh details live in
``analysis``, ``index`` and ``query``.
"""

from __future__ import annotations

from flask import Flask, current_app


class SearchUnavailable(RuntimeError):
    """The index is missing, corrupt or locked: search answers 503, pages carry on."""


class NullSearch:
    """Stands in until an index is built."""

    available = False

    def search(self, lang, text, limit=10):
        raise SearchUnavailable("no index")


def init_app(app: Flask):
    app.extensions["search"] = NullSearch()


def get_search():
    return current_app.extensions["search"]
