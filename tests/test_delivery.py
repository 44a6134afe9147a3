"""Delivery: minified cached HTML, brotli or gzip, strong ETags and 304s, cache headers,
fingerprinted assets, a capped LRU, and a cache that follows content and catalogues."""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import time

import brotli
import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from portal.delivery import Entry, PageCache, choose_encoding, minify

PAGE = "/en/get-help-now"
BETWEEN_TAGS = re.compile(r">\s*\n\s*<")


def static_url(client) -> str:
    body = client.get("/en/").get_data(as_text=True)
    found = re.findall(r'src="(/static/[^"]+)"', body)
    assert found, "the page references no script"
    return found[0]


def decoded(response) -> bytes:
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(response.data)
    if encoding == "gzip":
        return gzip.decompress(response.data)
    return response.data


# Minifying ---------------------------------------------------------------------------

def test_cached_pages_are_minified(client):
    body = client.get(PAGE).get_data(as_text=True)
    assert not BETWEEN_TAGS.search(body), "whitespace with a newline left between tags"
    assert "<!--" not in body
    assert minify(body) == body


def test_search_results_are_not_minified_nor_cached(app, client):
    store = app.extensions["delivery"]
    before = len(store)
    response = client.get("/en/search")
    assert response.status_code == 200
    assert BETWEEN_TAGS.search(response.get_data(as_text=True)), "search page was minified"
    assert len(store) == before, "an uncached search page went into the page cache"
    response = client.get("/en/search?q=help")
    if response.status_code == 200:  # once an index is built
        assert BETWEEN_TAGS.search(response.get_data(as_text=True))
    # Still compressed, and still never stored by the browser.
    response = client.get("/en/search", headers={"Accept-Encoding": "br"})
    assert response.headers["Content-Encoding"] == "br"
    assert response.headers["Cache-Control"] == "no-store"


def test_minify_keeps_the_text():
    html = "<!-- note -->\n<p>\n  Call <a href='tel:999'>999</a>\n</p>\n<p>Now</p>\n"
    small = minify(html)
    assert "\n" not in small and "note" not in small
    assert re.sub(r"<[^>]+>", " ", small).split() == ["Call", "999", "Now"]
    assert 'href="tel:999"' in small or "href='tel:999'" in small


# Compression -------------------------------------------------------------------------

@pytest.mark.parametrize(
    "header, expected",
    [
        ("gzip, deflate, br", "br"),
        ("br", "br"),
        ("gzip", "gzip"),
        ("gzip, br;q=0", "gzip"),
        ("deflate", "identity"),
        ("", "identity"),
        (None, "identity"),
        ("identity", "identity"),
        ("*", "br"),
        ("*;q=0", "identity"),
        ("br;q=0, *;q=0.5", "gzip"),
        ("BR", "br"),
        ("gzip;q=bogus, br", "br"),
        ("x" * 300 + ", br", "identity"),  # capped before parsing
    ],
)
def test_choose_encoding(header, expected):
    assert choose_encoding(header) == expected


@pytest.mark.parametrize("url", [PAGE, "/languages", "/en/no-such-page"])
def test_brotli_where_accepted_else_gzip(client, url):
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    for header, encoding in (("gzip, deflate, br", "br"), ("gzip, deflate", "gzip")):
        response = client.get(url, headers={"Accept-Encoding": header})
        assert response.status_code == plain.status_code
        assert response.headers["Content-Encoding"] == encoding
        assert response.headers["Vary"] == "Accept-Encoding"
        assert decoded(response) == plain.data
        assert len(response.data) < len(plain.data)


def test_static_files_are_compressed_too(client):
    url = static_url(client)
    plain = client.get(url)
    response = client.get(url, headers={"Accept-Encoding": "br"})
    assert response.headers["Content-Encoding"] == "br"
    assert response.headers["Vary"] == "Accept-Encoding"
    assert decoded(response) == plain.data


# ETags and 304 -------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["br", "gzip", "identity"])
def test_strong_etag_and_304(client, encoding):
    headers = {"Accept-Encoding": encoding}
    first = client.get(PAGE, headers=headers)
    etag = first.headers["ETag"]
    assert not etag.startswith("W/"), "weak ETag"
    again = client.get(PAGE, headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == "no-store"
    other = client.get(PAGE, headers={**headers, "If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.data == first.data


def test_etag_differs_per_encoding(client):
    tags = {client.get(PAGE, headers={"Accept-Encoding": e}).headers["ETag"]
            for e in ("br", "gzip", "identity")}
    assert len(tags) == 3


def test_a_gzip_etag_does_not_match_brotli(client):
    etag = client.get(PAGE, headers={"Accept-Encoding": "gzip"}).headers["ETag"]
    response = client.get(PAGE, headers={"Accept-Encoding": "br", "If-None-Match": etag})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"


def test_error_pages_are_never_304(client):
    first = client.get("/en/no-such-page")
    assert first.status_code == 404
    again = client.get("/en/no-such-page", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 404 and again.data == first.data


def test_static_304(client):
    url = static_url(client)
    etag = client.get(url).headers["ETag"]
    assert not etag.startswith("W/")
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


# Cache headers -------------------------------------------------------------------------

@pytest.mark.parametrize("url", [PAGE, "/en/", "/languages", "/en/card", "/en/services",
                                 "/ar/services/modern-slavery-helpline"])
def test_html_is_not_stored_by_the_browser_but_by_the_cdn(client, url):
    response = client.get(url, headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["CDN-Cache-Control"] == "public, max-age=300"
    assert response.headers["Vary"] == "Accept-Encoding"


@pytest.mark.parametrize("url", ["/en/no-such-page", "/xx/"])
def test_error_pages_are_not_kept_by_the_cdn(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["CDN-Cache-Control"] == "no-store"


def test_static_files_are_fingerprinted_and_immutable(app, client):
    url = static_url(client)
    name = url.rsplit("/", 1)[1]
    stem, digest, ext = name.rsplit(".", 2)
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.mimetype == "text/javascript"
    assert hashlib.sha256(response.data).hexdigest().startswith(digest)
    assert len(digest) == 10
    # Only the fingerprinted name is served: an old page can never get new code.
    assert client.get(f"/static/{stem}.{ext}").status_code == 404
    assert client.get(f"/static/{stem}.0000000000.{ext}").status_code == 404
    assert client.get("/static/portal.css").status_code == 404


def test_fingerprint_changes_with_the_file(tmp_path):
    from portal.delivery import Assets

    (tmp_path / "portal.css").write_text("p{color:red}")
    (tmp_path / "a.js").write_text("var a=1;")
    first = Assets(tmp_path).url("a.js")
    (tmp_path / "a.js").write_text("var a=2;")
    assert Assets(tmp_path).url("a.js") != first


# The cache itself ----------------------------------------------------------------------

def test_page_cache_is_an_lru_with_a_cap():
    cache = PageCache(2)
    a, b, c = (Entry.build(f"<p>{x}</p>") for x in "abc")
    cache.put("a", 1, a)
    cache.put("b", 1, b)
    assert cache.get("a", 1) is a  # a is now the most recently used
    cache.put("c", 1, c)
    assert len(cache) == 2
    assert cache.get("b", 1) is None
    assert cache.get("a", 1) is a and cache.get("c", 1) is c
    assert cache.get("a", 2) is None, "an entry of an older generation was served"


def test_app_cache_stays_under_its_cap(make_app):
    app = make_app(PAGE_CACHE_ITEMS=3)
    client = app.test_client()
    urls = ["/en/", PAGE, "/en/services", "/en/card", "/languages", "/ar/", "/ar/card"]
    for url in urls:
        assert client.get(url).status_code == 200
        assert len(app.extensions["delivery"]) <= 3
    assert client.get(urls[0]).status_code == 200  # evicted pages render again


def test_cache_follows_a_content_edit(make_app):
    app = make_app()
    client = app.test_client()
    before = client.get(PAGE)
    path = make_app.content / "pages" / "get-help-now.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nA sentence added by an editor.\n",
                    encoding="utf-8")
    after = client.get(PAGE)
    assert b"A sentence added by an editor." not in before.data
    assert b"A sentence added by an editor." in after.data
    assert after.headers["ETag"] != before.headers["ETag"]


def test_cache_follows_a_catalogue_change(make_app):
    app = make_app()
    client = app.test_client()
    lang = app.extensions["i18n"].registry.get("sq")
    before = client.get("/sq/").get_data(as_text=True)
    catalog = Catalog(locale="sq", domain="messages")
    catalog.add("Help with modern slavery and exploitation", "Ndihmë dhe këshilla (botim i ri)")
    path = make_app.translations / lang.babel / "LC_MESSAGES" / "messages.mo"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fp:
        write_mo(fp, catalog)
    later = time.time() + 5
    os.utime(path, (later, later))
    after = client.get("/sq/").get_data(as_text=True)
    assert "botim i ri" not in before
    assert "<title>Ndihmë dhe këshilla (botim i ri)</title>" in after
