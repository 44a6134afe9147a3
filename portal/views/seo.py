"""``/robots.txt`` and ``/sitemap.xml``: every page in every language, with its
alternates, at absolute addresses built from ``PUBLIC_URL`` alone.

The alternates live here rather than in each page's ``<head>``: one line per language
on every page would grow every first view with each language added (see the README).
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from flask import Blueprint, current_app

from ..delivery import Entry, PageCache, respond
from ..i18n import get_i18n
from ..seo import ROOT_PAGES, lastmod, page_paths
from ..urls import public_url

bp = Blueprint("seo", __name__)

SITEMAP_TYPE = "application/xml; charset=utf-8"
ROBOTS_TYPE = "text/plain; charset=utf-8"
# Where search engines send a reader whose language the site does not have.
X_DEFAULT = "/languages"


def robots_txt() -> str:
    # Nothing is disallowed: pages that must stay out of results say noindex, which a
    # crawler can only read if it may fetch them. The quick exit is no page at all.
    return ("User-agent: *\n"
            "Disallow: /exit\n"
            f"Sitemap: {public_url('/sitemap.xml')}\n")


def sitemap_xml() -> str:
    app = current_app._get_current_object()
    langs = list(get_i18n().registry.public)
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n'
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
           'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for path in ROOT_PAGES:
        out.append(f"<url><loc>{public_url(path)}</loc></url>")
    for path in page_paths(app):
        alternates = "".join(
            f'<xhtml:link rel="alternate" hreflang="{lang.bcp47}" '
            f"href={quoteattr(public_url(f'/{lang.code}/{path}'))}/>"
            for lang in langs
        ) + (f'<xhtml:link rel="alternate" hreflang="x-default" '
             f"href={quoteattr(public_url(X_DEFAULT))}/>")
        when = lastmod(app, path)
        modified = f"<lastmod>{when}</lastmod>" if when else ""
        for lang in langs:
            loc = public_url(f"/{lang.code}/{path}").replace("&", "&amp;")
            out.append(f"<url><loc>{loc}</loc>{modified}{alternates}</url>")
    out.append("</urlset>\n")
    return "\n".join(out)


def _send(key: str, build, content_type: str):
    """Built once per content and catalogue generation, compressed like a page."""
    cache: PageCache = current_app.extensions["delivery"]
    ext = current_app.extensions
    generation = (ext["content"].generation, ext["i18n"].catalogs.generation,
                  current_app.config.get("PUBLIC_URL"))
    entry = cache.get(("-", key), generation)
    if entry is None:
        entry = Entry.build(build())
        cache.put(("-", key), generation, entry)
    return respond(entry, content_type)


@bp.route("/robots.txt")
def robots():
    return _send("robots.txt", robots_txt, ROBOTS_TYPE)


@bp.route("/sitemap.xml")
def sitemap():
    return _send("sitemap.xml", sitemap_xml, SITEMAP_TYPE)
