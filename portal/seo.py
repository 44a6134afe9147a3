"""What search engines and link checkers read: which pages exist (from the app's own URL
map, never a hand list of paths), whether an internal link resolves, and the absolute
URLs of the canonical link and the sitemap (from ``PUBLIC_URL`` only).

A localised route whose URL needs more than the language either names, in
``route_values``, where its other values come from, or says in ``UNLISTED`` why it is no
page of its own: a new route that does neither fails the tests instead of silently
missing from the sitemap and the link check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from flask import Flask
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from .urls import public_url

# Localised routes that are no page to list: free input, another format, or a second
# address of a page that is listed under its own.
UNLISTED = {
    "search.results": "results of free input (noindex)",
    "news.feed": "an Atom feed, not a page",
    "languages.point_here": "the same page as /languages, whose address it names as canonical",
}
# Pages outside /<lang>/ that are listed.
ROOT_PAGES = ("/languages",)


def route_values(app: Flask) -> dict[str, dict[str, Iterable[str]]]:
    """For each localised route with more arguments than the language: each argument's
    valid values, as the content defines them."""
    from .pages import LEAFLETS

    store = app.extensions["content"]
    return {
        "pages.page": {"slug": store.pages},
        "services.service": {"sid": store.services},
        "news.item": {"slug": store.news},
        "about.leaflet": {"slug": [slug for slug in LEAFLETS if slug in store.pages]},
    }


def _localised_rules(app: Flask):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" in (rule.methods or ()) and rule.rule.startswith("/<lang>/"):
            yield rule


def unclassified_routes(app: Flask) -> list[str]:
    """Localised routes this module cannot list or check: each needs a line above."""
    values = route_values(app)
    return [
        rule.endpoint for rule in _localised_rules(app)
        if rule.endpoint not in UNLISTED and set(rule.arguments) - {"lang"}
        and set(rule.arguments) - {"lang"} != set(values.get(rule.endpoint, ()))
    ]


def page_paths(app: Flask) -> list[str]:
    """Every page's path after ``/<lang>/`` (``""`` for the home page), in URL-map
    order: the same pages exist in every public language."""
    values = route_values(app)
    paths = []
    for rule in _localised_rules(app):
        if rule.endpoint in UNLISTED:
            continue
        args = sorted(set(rule.arguments) - {"lang"})
        sources = values.get(rule.endpoint, {})
        if args and set(args) != set(sources):
            continue  # reported by unclassified_routes()
        combos = [{}]
        for arg in args:
            combos = [{**c, arg: value} for c in combos for value in sorted(sources[arg])]
        for combo in combos:
            # Build the path through the rule itself, so converters and escaping apply.
            path = rule.build({"lang": "x", **combo}, append_unknown=False)[1]
            paths.append(path.split("/", 2)[2])
    return list(dict.fromkeys(paths))


def resolves(app: Flask, path: str) -> bool:
    """Whether a same-site path (no query) names a page: it matches a route of the URL
    map, and every value in it is one the content defines."""
    adapter = app.url_map.bind("portal.invalid")
    for _hop in range(3):
        try:
            endpoint, args = adapter.match(path, method="GET")
        except RequestRedirect as redirect:
            path = "/" + redirect.new_url.split("/", 3)[3]
            continue
        except HTTPException:
            return False
        break
    else:
        return False
    lang = args.pop("lang", None)
    if lang is not None and app.extensions["i18n"].registry.get(lang) is None:
        return False
    sources = route_values(app).get(endpoint, {})
    return all(arg in sources and value in sources[arg] for arg, value in args.items())


def lastmod(app: Flask, path: str) -> str | None:
    """When a page was last checked against its sources (``checked:`` in a page's front
    matter; a service's ``checked_on``), as YYYY-MM-DD; None when nobody has said."""
    store = app.extensions["content"]
    kind, _, name = path.rpartition("/")
    if kind in ("", "resources"):
        item = store.pages.get(name)
        value = item.meta.get("checked") if item else None
    elif kind == "news":
        item = store.news.get(name)
        value = item.meta.get("checked") if item else None
    elif kind == "services":
        item = store.services.get(name)
        value = item.checked_on if item else None
    else:
        value = None
    return _iso_date(value)


def _iso_date(value) -> str | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat() if value else None
    except ValueError:
        return None


def canonical_url(lang, path: str) -> str:
    """A page's one absolute address: in its language, without a query string."""
    return public_url(f"/{lang.code}/{path}")


def init_app(app: Flask):
    app.add_template_global(canonical_url)
    app.add_template_global(public_url)
