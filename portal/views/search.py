"""Search over guidance and services, as a plain GET form that works without script."""

from __future__ import annotations

from flask import current_app

from ..delivery import send_html
from ..params import Text, query
from ..reader import get_reader
from ..search import SearchUnavailable, get_search
from ..slots import Busy, get_slots
from .layout import render_page
from .locale import localised

bp = localised("search", __name__)


@bp.route("/search")
@query(private=True, q=Text())
def results(q: str):
    """Results for ``?q=``; an empty query shows starting points."""
    cap = current_app.config["SEARCH_QUERY_CAP"]
    raw = q
    truncated = len(raw) > cap
    text = raw[:cap]
    lang = get_reader().lang
    try:
        if text.strip():
            with get_slots().hold():
                found = get_search().search(lang, text)
        else:
            found = None
    except Busy:
        response = _unavailable()
        response.headers["Retry-After"] = str(current_app.config["SEARCH_RETRY_AFTER"])
        return response
    except SearchUnavailable:
        return _unavailable()
    return send_html(
        None,
        lambda: render_page("search/results.html", path="search", q=text, found=found,
                            truncated=truncated),
        cache=False,
    )


def _unavailable():
    """Search broken or busy: the page in the reader's language, cached like a page."""
    return send_html((get_reader().lang.code, "search-unavailable"),
                     lambda: render_page("search/unavailable.html", path="search"),
                     status=503)
