"""News and events: dated items, newest first, with an Atom feed per language."""

from __future__ import annotations

import datetime as dt

from feedgen.feed import FeedGenerator
from flask import Response, abort, current_app

from ..content import get_content
from ..dates import as_date
from ..delivery import send_html
from ..params import Number, query
from ..reader import get_reader
from ..urls import public_origin
from .layout import render_page
from .locale import localised

bp = localised("news", __name__)


@bp.route("/news")
@query(page=Number(maximum=9999))
def listing(page: int):
    """All items, newest first, paginated with plain links."""
    items = get_content().sorted_news()
    per_page = current_app.config["NEWS_PER_PAGE"]
    number = page  # a whole number from 1 (portal/params.py)
    pages = max(1, -(-len(items) // per_page))
    if number > pages:
        abort(404)
    chunk = items[(number - 1) * per_page : number * per_page]
    reader = get_reader()

    def build():
        rows = []
        for item in chunk:
            title, summary = reader.blocks(item.blocks[:2])
            rows.append((item, title, summary, reader.date(item.meta["date"]),
                         _event(reader, item)))
        return render_page("news/list.html", path="news", rows=rows, number=number,
                           pages=pages)

    return send_html((reader.lang.code, "news", number), build)


def _event(reader, item):
    if not item.meta.get("event_date"):
        return None
    return reader.date(item.meta["event_date"]), item.meta.get("place") or ""


@bp.route("/news/<slug>")
def item(slug):
    """One news item or event."""
    news = get_content().news.get(slug[:120])
    if news is None:
        abort(404)
    reader = get_reader()
    return send_html(
        (reader.lang.code, "news", slug),
        lambda: render_page("news/item.html", path=f"news/{slug}", page=news,
                            date=reader.date(news.meta["date"]), event=_event(reader, news)),
    )


@bp.route("/news.atom")
def feed():
    """An Atom feed of the items, in the reader's language where translated."""
    reader = get_reader()
    lang = reader.lang
    base = public_origin()
    generator = FeedGenerator()
    generator.id(f"{base}/{lang.code}/news")
    generator.title(reader.gettext("News from the Hertfordshire Modern Slavery Partnership"))
    # RFC 4287 4.1.1: a feed without an author needs one on every entry.
    generator.author({"name": reader.gettext("Hertfordshire Modern Slavery Partnership"),
                      "uri": f"{base}/{lang.code}/about-the-partnership"})
    generator.link(href=f"{base}/{lang.code}/news", rel="alternate")
    generator.link(href=f"{base}/{lang.code}/news.atom", rel="self")
    generator.language(lang.bcp47)
    items = get_content().sorted_news()
    updated = None
    for news in reversed(items):
        title, summary = reader.blocks(news.blocks[:2])
        when = dt.datetime.combine(as_date(news.meta["date"]), dt.time(), tzinfo=dt.UTC)
        updated = max(updated, when) if updated else when
        entry = generator.add_entry()
        entry.id(f"{base}/{lang.code}/news/{news.slug}")
        entry.title(title.html.striptags())
        entry.summary(summary.html.striptags())
        entry.link(href=f"{base}/{lang.code}/news/{news.slug}")
        entry.published(when)
        entry.updated(when)
    if updated:
        generator.updated(updated)
    response = Response(generator.atom_str(pretty=False),
                        content_type="application/atom+xml; charset=utf-8")
    response.headers["Cache-Control"] = "no-store"
    return response
