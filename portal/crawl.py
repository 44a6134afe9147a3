"""What an export holds: the pages found without crawling (every route that needs only
a language, every page, service and news item), the links a page leads on to, and
where each page lives as a file."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser
from urllib.parse import urlsplit

from flask import Flask

from .content import get_content
from .i18n import get_i18n

# Answered by the app, never exported (a query string always goes to the app too).
PASS_THROUGH = re.compile(
    r"^/$|^/exit$|^/services\.json$|^/translators(/|$)|^/static/|^/[^/]+/search$"
    r"|^/openreferral(/|$)"
)

class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links(html: str) -> list[str]:
    """Every ``<a href>`` of a page, as written."""
    parser = _Links()
    parser.feed(html)
    parser.close()
    return parser.hrefs


def exportable(url: str) -> bool:
    """A same-site path without a query that the export may answer."""
    if not url.startswith("/") or url.startswith("//"):
        return False
    parts = urlsplit(url)
    if parts.query or "?" in url or parts.scheme or parts.netloc:
        return False
    return not PASS_THROUGH.search(parts.path)


def file_for(url: str) -> str:
    """Where a page lives in the export: ``/en/`` -> ``en/index.html``,
    ``/en/get-help-now`` -> ``en/get-help-now.html`` (what nginx's
    ``try_files $uri.html ${uri}index.html`` looks for)."""
    path = urlsplit(url).path
    if ".." in path.split("/") or "\x00" in path:
        raise ValueError(f"unsafe path {path!r}")
    return (path + "index.html" if path.endswith("/") else path + ".html").lstrip("/")


def public_codes(app: Flask) -> list[str]:
    return [lang.code for lang in get_i18n(app).registry.public]


def seeds(app: Flask, codes: Iterable[str] | None = None) -> list[str]:
    """The pages known without crawling: every route that needs only a language, every
    guidance page, service and news item, in every public language (or in ``codes``)."""
    store = get_content(app)
    codes = list(codes or public_codes(app))
    found = ["/languages"]
    # Routes with one more argument whose values the content store lists; pages of any
    # other route are found by following links.
    fills = {"/<lang>/<slug>": store.pages, "/<lang>/services/<sid>": store.services,
             "/<lang>/news/<slug>": store.news}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in (rule.methods or ()) or not rule.rule.startswith("/<lang>/"):
            continue
        args = set(rule.arguments) - {"lang"}
        if not args:
            names = [{}]
        elif len(args) == 1 and rule.rule in fills:
            (arg,) = args
            names = [{arg: name} for name in fills[rule.rule]]
        else:
            continue
        for code in codes:
            for values in names:
                url = rule.rule.replace("<lang>", code)
                for key, value in values.items():
                    url = re.sub(r"<(?:[^:>]+:)?" + key + ">", value, url)
                if "<" not in url and exportable(url):
                    found.append(url)
    return list(dict.fromkeys(found))
