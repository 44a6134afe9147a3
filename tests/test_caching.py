"""Who may keep a copy (portal/caching.py): nothing that depends on what a reader typed
is stored by a browser or a CDN; a page that follows from its path alone may be kept
by a CDN for five minutes."""

from __future__ import annotations

import pytest

NO_STORE = {"Cache-Control": "no-store", "CDN-Cache-Control": "no-store"}


def cache_headers(response) -> dict:
    return {name: response.headers.get(name) for name in NO_STORE}


@pytest.mark.parametrize("url", [
    "/en/search", "/en/search?q=", "/en/search?q=help", "/ar/search?q=passport",
    "/en/get-help-now?with=ar", "/ar/get-help-now?with=ar", "/en/get-help-now?review=1",
    "/en/services?need=work", "/en/services?who=adults", "/en/services?need=",
    "/en/news?page=1", "/en/?utm_source=x", "/languages?x=1", "/en/card?x",
    "/openreferral/services?page=1", "/en/news.atom?x=1",
])
def test_what_depends_on_the_query_is_never_stored(client, url):
    response = client.get(url, headers={"Accept-Encoding": "br"})
    assert response.status_code == 200, url
    assert cache_headers(response) == NO_STORE, url


@pytest.mark.parametrize("url", [
    "/en/search?q=x" + "y" * 3000, "/en/news?page=%C2%B2", "/en/get-help-now?with=xx",
    "/xx/", "/en/no-such-page", "/", "/en", "/exit", "/zh/get-help-now",
])
def test_errors_and_redirects_are_never_stored(client, url):
    response = client.get(url)
    assert response.status_code != 200, url
    assert cache_headers(response) == NO_STORE, url


def test_a_304_keeps_what_the_200_said(client):
    first = client.get("/en/get-help-now", headers={"Accept-Encoding": "br"})
    again = client.get("/en/get-help-now", headers={"Accept-Encoding": "br",
                                                    "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert cache_headers(again) == cache_headers(first) == {
        "Cache-Control": "no-store", "CDN-Cache-Control": "public, max-age=300"}


def test_a_search_with_a_conditional_request_is_still_not_stored(client):
    first = client.get("/en/search?q=help")
    again = client.get("/en/search?q=help", headers={"If-None-Match": first.headers["ETag"]})
    assert cache_headers(again) == NO_STORE


def test_scripts_with_a_query_are_not_stored_either(app, client):
    name = next(iter(app.extensions["assets"].files))
    plain = client.get(f"/static/{name}")
    assert plain.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert cache_headers(client.get(f"/static/{name}?v=1")) == NO_STORE
