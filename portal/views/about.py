"""The partnership's own pages: member organisations and printable resources."""

from __future__ import annotations

from flask import abort

from .. import about
from ..content import get_content
from ..delivery import send_html
from ..pages import LEAFLETS
from ..reader import get_reader
from .layout import render_page
from .locale import localised

bp = localised("about", __name__)

KINDS = ("statutory", "health", "charities", "housing", "business")


@bp.route("/partners")
def partners():
    """Member organisations grouped by kind, each linking to its site where known."""
    def build():
        partners = get_content().partners
        groups = [(kind, sorted((p for p in partners if p.get("kind") == kind),
                                key=lambda p: p["name"].lower())) for kind in KINDS]
        return render_page("about/partners.html", path="partners", groups=groups,
                           strings=about)

    return send_html((get_reader().lang.code, "partners"), build)


@bp.route("/resources")
def resources():
    """Printable resources: the helpline card and leaflets made from the pages."""
    store = get_content()
    leaflets = [store.pages[slug] for slug in LEAFLETS if slug in store.pages]
    return send_html((get_reader().lang.code, "resources"),
                     lambda: render_page("about/resources.html", path="resources",
                                         leaflets=leaflets, strings=about))


@bp.route("/resources/<slug>")
def leaflet(slug):
    """A page as a one-sheet leaflet: the text, the numbers, nothing else."""
    page = get_content().pages.get(slug[:80])
    if page is None or slug not in LEAFLETS:
        abort(404)
    return send_html((get_reader().lang.code, "leaflet", slug),
                     lambda: render_page("about/leaflet.html", path=f"resources/{slug}",
                                         page=page))
