"""Search over guidance and services, as a plain GET form that works without script."""

from __future__ import annotations

from flask import current_app, request

from ..delivery import send_html
from ..reader import get_reader
from ..search import SearchUnavailable, get_search
from .layout import render_page
from .locale import localised

bp = localised("search", __name__)


@bp.route("/search")
def results():
    """Results for ``?q=``; an empty query shows starting points."""
    cap = current_app.config["SEARCH_QUERY_CAP"]
    raw = request.args.get("q", "")
    truncated = len(raw) > cap
    text = raw[:cap]
    lang = get_reader().lang
    try:
        found = get_search().search(lang, text) if text.strip() else None
    except SearchUnavailable:
        return send_html((lang.code, "search-unavailable"),
                         lambda: render_page("search/unavailable.html", path="search"),
                         status=503)
    return send_html(
        None,
        lambda: render_page("search/results.html", path="search", q=text, found=found,
                            truncated=truncated),
        cache=False,
    )
