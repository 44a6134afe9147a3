"""The home page and guidance pages, in any language, alone or side by side."""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, request

from ..content import get_content
from ..delivery import send_html
from ..i18n import get_i18n
from ..pages import AUDIENCES
from ..params import Flag, Language, query
from .layout import page_blocks, render_page, unavailable
from .locale import localised

bp = localised("pages", __name__)
root = Blueprint("root", __name__)


@root.route("/")
def negotiate():
    """Send a first visit to the best language its browser asks for."""
    lang = get_i18n().registry.negotiate(request.headers.get("Accept-Language"))
    response = redirect(f"/{lang.code}/", 302)
    response.headers["Vary"] = "Accept-Language"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/")
def home():
    """The home page: entry points by need, and the numbers to call."""
    store = get_content()
    return send_html(
        (g.lang.code, "home"),
        lambda: render_page("pages/home.html", path="", groups=_groups(store)),
    )


def _groups(store):
    i18n, lang = get_i18n(), g.lang
    groups = []
    for audience in AUDIENCES:
        pages = []
        for page in store.sorted_pages(audience):
            title, summary = page_blocks(page.blocks[:2], lang, i18n, store)
            pages.append((page, title, summary))
        groups.append((audience, pages))
    return groups


@bp.route("/<slug>")
@query(with_=Language(), review=Flag())
def page(slug, with_, review):
    """One guidance page; ``?with=<lang>`` shows it beside another language."""
    store = get_content()
    page = store.pages.get(slug)
    if page is None:
        if f"page:{slug}" in store.broken:
            return unavailable()
        abort(404)
    if review:
        from .translators import review_page

        return review_page(page)
    # Beside itself is just the page.
    partner = with_ if with_ is not None and with_.code != g.lang.code else None
    variant = f"with={partner.code}" if partner else ""
    return send_html(
        (g.lang.code, slug, variant),
        lambda: render_page(
            "pages/page.html", path=slug, page=page, partner=partner,
        ),
    )

