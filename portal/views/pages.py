"""The home page and guidance pages, in any language, alone or side by side."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request

from ..content import get_content
from ..delivery import send_html
from ..i18n import get_i18n
from ..pages import AUDIENCES
from ..params import Flag, Language, query
from ..reader import get_reader
from .layout import render_page, unavailable
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
    reader = get_reader()
    return send_html(
        (reader.lang.code, "home"),
        lambda: render_page("pages/home.html", path="", groups=_groups(reader)),
    )


def _groups(reader):
    groups = []
    for audience in AUDIENCES:
        pages = []
        for page in reader.store.sorted_pages(audience):
            title, summary = reader.blocks(page.blocks[:2])
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
    reader = get_reader()
    # Beside itself is just the page.
    partner = with_ if with_ is not None and with_.code != reader.lang.code else None
    variant = f"with={partner.code}" if partner else ""
    return send_html(
        (reader.lang.code, slug, variant),
        lambda: render_page(
            "pages/page.html", path=slug, page=page, partner=partner,
        ),
    )

