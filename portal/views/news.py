"""News and events: dated items, newest first, with an Atom feed per language."""

from __future__ import annotations

import datetime as dt

from feedgen.feed import FeedGenerator
from flask import Response, abort, current_app, g, request

from ..content import get_content
from ..dates import as_date, local_date
from ..delivery import send_html
from ..i18n import get_i18n
from ..urls import public_origin
from .layout import page_blocks, render_page
from .locale import localised

bp = localised("news", __name__)


def _page_number() -> int:
    raw = request.args.get("page", "1")[:6]
    return int(raw) if raw.isdigit() and int(raw) > 0 else 0


@bp.route("/news")
def listing():
    """All items, newest first, paginated with plain links."""
    items = get_content().sorted_news()
    per_page = current_app.config["NEWS_PER_PAGE"]
    number = _page_number()
    pages = max(1, -(-len(items) // per_page))
    if number < 1 or number > pages:
        abort(404)
    chunk = items[(number - 1) * per_page : number * per_page]

    def build():
        rows = []
        for item in chunk:
            title, summary = page_blocks(item.blocks[:2], g.lang)
            rows.append((item, title, summary, local_date(item.meta["date"], g.lang),
                         _event(item)))
        return render_page("news/list.html", path="news", rows=rows, number=number,
                           pages=pages)

    return send_html((g.lang.code, "news", number), build)


def _event(item):
    if not item.meta.get("event_date"):
        return None
    return local_date(item.meta["event_date"], g.lang), item.meta.get("place") or ""


@bp.route("/news/<slug>")
def item(slug):
    """One news item or event."""
    news = get_content().news.get(slug[:120])
    if news is None:
        abort(404)
    return send_html(
        (g.lang.code, "news", slug),
        lambda: render_page("news/item.html", path=f"news/{slug}", page=news,
                            date=local_date(news.meta["date"], g.lang), event=_event(news)),
    )


@bp.route("/news.atom")
def feed():
    """An Atom feed of the items, in the reader's language where translated.

    Ids and links are built from ``PUBLIC_URL`` alone, so they stay the same whatever
    Host a request names (RFC 4287 ids are permanent)."""
    lang = g.lang
    i18n = get_i18n()
    base = public_origin()
    ugettext = i18n.catalog(lang, "messages").translations.ugettext
    generator = FeedGenerator()
    generator.id(f"{base}/{lang.code}/news")
    generator.title(ugettext("News from the Hertfordshire Modern Slavery Partnership"))
    # RFC 4287 4.1.1: a feed without an author needs one on every entry.
    generator.author({"name": ugettext("Hertfordshire Modern Slavery Partnership"),
                      "uri": f"{base}/{lang.code}/about-the-partnership"})
    generator.link(href=f"{base}/{lang.code}/news", rel="alternate")
    generator.link(href=f"{base}/{lang.code}/news.atom", rel="self")
    generator.language(lang.bcp47)
    items = get_content().sorted_news()
    updated = None
    for news in reversed(items):
        title, summary = page_blocks(news.blocks[:2], lang)
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
