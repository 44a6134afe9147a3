"""``/robots.txt`` and the sitemaps: every page in every language, with its alternates,
at absolute addresses built from ``PUBLIC_URL`` alone.

``/sitemap.xml`` is an index of one sitemap per language (``/sitemap-<code>.xml``) and
one for the pages outside a language (``/sitemap-root.xml``): a single file with 33
alternates on each of 2,000 addresses was 7 MB at 32 languages; one language's is a
thirty-second of it, and a crawler re-reads only the languages that changed.

The alternates live here rather than in each page's ``<head>``: one line per language
on every page would grow every first view with each language added (see the README).
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from flask import Blueprint, abort, current_app

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


ROOT = "root"  # the sitemap of the pages outside /<lang>/
_URLSET = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
           'xmlns:xhtml="http://www.w3.org/1999/xhtml">')


def sitemap_names() -> list[str]:
    """The sitemaps the index lists, by the name after ``sitemap-``."""
    return [ROOT] + [lang.code for lang in get_i18n().registry.public]


def sitemap_index_xml() -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n'
           '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    out += [f"<sitemap><loc>{public_url(f'/sitemap-{name}.xml')}</loc></sitemap>"
            for name in sitemap_names()]
    out.append("</sitemapindex>\n")
    return "\n".join(out)


def sitemap_xml(name: str) -> str:
    """One sitemap: the root pages, or every page of one language with its alternates."""
    if name == ROOT:
        return "\n".join([_URLSET] + [f"<url><loc>{public_url(path)}</loc></url>"
                                       for path in ROOT_PAGES] + ["</urlset>\n"])
    app = current_app._get_current_object()
    langs = list(get_i18n().registry.public)
    out = [_URLSET]
    for path in page_paths(app):
        alternates = "".join(
            f'<xhtml:link rel="alternate" hreflang="{lang.bcp47}" '
            f"href={quoteattr(public_url(f'/{lang.code}/{path}'))}/>"
            for lang in langs
        ) + (f'<xhtml:link rel="alternate" hreflang="x-default" '
             f"href={quoteattr(public_url(X_DEFAULT))}/>")
        when = lastmod(app, path)
        modified = f"<lastmod>{when}</lastmod>" if when else ""
        loc = public_url(f"/{name}/{path}").replace("&", "&amp;")
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
def sitemap_index():
    return _send("sitemap.xml", sitemap_index_xml, SITEMAP_TYPE)


@bp.route("/sitemap-<name>.xml")
def sitemap(name: str):
    # Only the names the index lists, exactly: no alias, no case folding.
    if name not in sitemap_names():
        abort(404)
    return _send(f"sitemap-{name}.xml", lambda: sitemap_xml(name), SITEMAP_TYPE)
