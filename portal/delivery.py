"""Delivery: rendered pages cached, minified and compressed once; assets fingerprinted.

Serving a cached page is a dictionary lookup. Entries are keyed by (language, path,
variant) and dropped when content or catalogues change (their generation numbers are
part of the entry). HTML is never stored by the browser (``no-store``: a reader's
device should keep no copy); what shared caches may keep is ``caching``'s to say.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import brotli
import htmlmin
from flask import Flask, Response, abort, current_app, request

from .extensions import extension

ACCEPT_ENCODING_CAP = 256
HTML_TYPE = "text/html; charset=utf-8"


def minify(html: str) -> str:
    return htmlmin.minify(
        html,
        remove_comments=True,
        remove_empty_space=True,
        reduce_boolean_attributes=True,
        remove_optional_attribute_quotes=False,
    )


def minify_css(css: str) -> str:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"\s+", " ", css)
    css = re.sub(r"\s*([{};:,>])\s*", r"\1", css)
    return css.replace(";}", "}").strip()


def choose_encoding(header: str | None) -> str:
    """``br`` if accepted, else ``gzip``, else identity; the header is capped first."""
    if not header:
        return "identity"
    accepted = {}
    for part in header[:ACCEPT_ENCODING_CAP].split(",")[:16]:
        name, _, params = part.strip().partition(";")
        quality = 1.0
        param = params.strip().replace(" ", "")
        if param.startswith("q="):
            try:
                quality = float(param[2:])
            except ValueError:
                quality = 0.0
        accepted[name.strip().lower()] = quality
    star = accepted.get("*", 0.0)
    for name in ("br", "gzip"):
        if accepted.get(name, star) > 0:
            return name
    return "identity"


@dataclass
class Entry:
    body: bytes
    gzip: bytes
    br: bytes
    etag: str
    status: int = 200

    @classmethod
    def build(cls, html: str, status: int = 200, fast: bool = False,
              brotli_quality: int = 11) -> Entry:
        body = html.encode("utf-8")
        return cls(
            body=body,
            gzip=gzip.compress(body, compresslevel=6 if fast else 9, mtime=0),
            br=brotli.compress(body, quality=min(5, brotli_quality) if fast else brotli_quality),
            etag=hashlib.sha256(body).hexdigest()[:20],
            status=status,
        )

    @property
    def size(self) -> int:
        """Bytes the entry's bodies hold."""
        return len(self.body) + len(self.gzip) + len(self.br)

    def encoded(self, encoding: str) -> tuple[bytes, str]:
        if encoding == "br":
            return self.br, "-br"
        if encoding == "gzip":
            return self.gzip, "-gz"
        return self.body, ""


class PageCache:
    """An LRU of rendered pages, capped in entries and in bytes (``max_bytes``: the
    plain, gzip and brotli bodies together), so its memory has a configured bound."""

    def __init__(self, capacity: int, max_bytes: int | None = None):
        self.capacity = capacity
        self.max_bytes = max_bytes
        self.bytes = 0
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, generation):
        with self._lock:
            item = self._items.get(key)
            if item is None or item[0] != generation:
                return None
            self._items.move_to_end(key)
            return item[1]

    def put(self, key, generation, entry: Entry):
        size = entry.size
        if self.max_bytes is not None and size > self.max_bytes:
            return  # larger than the whole cache: served, never kept
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.bytes -= old[1].size
            self._items[key] = (generation, entry)
            self.bytes += size
            while len(self._items) > self.capacity or (
                    self.max_bytes is not None and self.bytes > self.max_bytes):
                self.bytes -= self._items.popitem(last=False)[1][1].size

    def __len__(self):
        return len(self._items)


class Assets:
    """The inline stylesheet (allowed by its CSP hash) and fingerprinted static files."""

    def __init__(self, static_dir: Path):
        self.static_dir = Path(static_dir)
        self.css = minify_css((self.static_dir / "portal.css").read_text(encoding="utf-8"))
        digest = hashlib.sha256(self.css.encode("utf-8")).digest()
        self.style_hashes = [base64.b64encode(digest).decode("ascii")]
        # A stylesheet for one kind of page (static/pages/<name>.css) is inlined on those
        # pages only, so the others' first view does not carry it.
        self.page_css: dict[str, str] = {}
        for path in sorted((self.static_dir / "pages").glob("*.css")):
            css = minify_css(path.read_text(encoding="utf-8"))
            self.page_css[path.stem] = css
            page_digest = hashlib.sha256(css.encode("utf-8")).digest()
            self.style_hashes.append(base64.b64encode(page_digest).decode("ascii"))
        self.files: dict[str, Entry] = {}
        self.urls: dict[str, str] = {}
        for path in sorted(self.static_dir.glob("*.js")):
            data = path.read_text(encoding="utf-8")
            entry = Entry.build(data)
            stem, ext = path.stem, path.suffix
            fingerprinted = f"{stem}.{entry.etag[:10]}{ext}"
            self.files[fingerprinted] = entry
            self.urls[path.name] = f"/static/{fingerprinted}"

    def url(self, name: str) -> str:
        return self.urls[name]


def generation(app: Flask | None = None):
    """Content and catalogue generations: a cached page is as old as both."""
    return (extension("content", app).generation,
            extension("i18n", app).catalogs.generation)


def respond(entry: Entry, content_type: str = HTML_TYPE, html: bool = True) -> Response:
    encoding = choose_encoding(request.headers.get("Accept-Encoding"))
    data, suffix = entry.encoded(encoding)
    response = Response(data, status=entry.status, content_type=content_type)
    if encoding != "identity":
        response.headers["Content-Encoding"] = encoding
    response.headers["Vary"] = "Accept-Encoding"
    response.set_etag(entry.etag + suffix)
    if html:
        # Who else may keep it: portal/caching.py.
        response.headers["Cache-Control"] = "no-store"
    else:
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    if entry.status == 200:
        response.make_conditional(request)
    return response


def send_html(key, render: Callable[[], str], status: int = 200, cache: bool = True) -> Response:
    """A page from the cache, rendering (and minifying) it on a miss.

    ``cache=False`` is for responses that vary with free input (search results): they
    are compressed quickly and not minified, so their templates are kept lean.
    """
    store = get_page_cache()
    if not cache:
        return respond(Entry.build(render(), status=status, fast=True))
    current = generation()
    entry = store.get(key, current)
    if entry is None:
        entry = Entry.build(minify(render()), status=status,
                            brotli_quality=current_app.config["BROTLI_QUALITY"])
        store.put(key, current, entry)
    return respond(entry)


def init_app(app: Flask):
    app.extensions["delivery"] = PageCache(app.config["PAGE_CACHE_ITEMS"],
                                           app.config["PAGE_CACHE_BYTES"])
    assets = Assets(Path(app.config["STATIC_DIR"]))
    app.extensions["assets"] = assets

    @app.route("/static/<name>")
    def static_file(name):
        entry = assets.files.get(name)
        if entry is None:
            abort(404)
        return respond(entry, "text/javascript; charset=utf-8", html=False)

    @app.context_processor
    def _assets():
        return {"inline_css": assets.css, "page_css": assets.page_css,
                "asset_url": assets.url}


def get_page_cache(app: Flask | None = None) -> PageCache:
    return extension("delivery", app)


def get_assets(app: Flask | None = None) -> Assets:
    return extension("assets", app)
