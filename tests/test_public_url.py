"""Absolute URLs come from PUBLIC_URL only: the Host header a request carries changes
nothing in any response, and production commands refuse to run without an https://
origin."""

from __future__ import annotations

import pytest

from portal.freeze import seeds
from portal.urls import MissingPublicUrl, public_url, require_public_url

EVIL = "evil.example"
EXTRA = [
    "/", "/en", "/ar", "/exit", "/services.json", "/en/news.atom", "/ar/news.atom",
    "/en/search", "/en/search?q=help", "/en/get-help-now?with=ar", "/en/get-help-now?review=1",
    "/xx/", "/en/no-such-page", "/zh/get-help-now", "/EN/", "/zh-SG/get-help-now?with=en",
    "/en/news?page=%C2%B2", "/translators/", "/en/services?need=work", "/static/nothing.js",
    "/en/get-help-now/", "/languages/",
]


@pytest.fixture(scope="module")
def app():
    from portal import create_app

    return create_app({"TESTING": True, "RELOAD_INTERVAL": 60.0,
                       "PUBLIC_URL": "https://portal.test"})


def urls(app) -> list[str]:
    static = [f"/static/{name}" for name in app.extensions["assets"].files]
    return seeds(app, ["en", "ar", "zh-hans"]) + EXTRA + static


def snapshot(response) -> tuple:
    headers = sorted((k, v) for k, v in response.headers.items() if k != "Date")
    return response.status_code, headers, response.get_data()


@pytest.mark.timeout(300)
def test_the_host_header_changes_nothing(app):
    client = app.test_client()
    checked = 0
    for url in urls(app):
        for method in ("GET", "HEAD", "POST"):
            honest = client.open(url, method=method, headers={"Host": "portal.test"})
            for headers, base in (({"Host": EVIL}, None),
                                  ({"Host": EVIL, "X-Forwarded-Host": EVIL}, None),
                                  ({}, f"http://{EVIL}")):
                evil = client.open(url, method=method, headers=headers, base_url=base)
                assert snapshot(evil) == snapshot(honest), (method, url, headers, base)
                text = evil.get_data() + str(evil.headers).encode()
                assert EVIL.encode() not in text, (method, url)
                checked += 1
    assert checked > 300


def test_redirects_are_relative(app):
    client = app.test_client()
    for url in ("/", "/en", "/zh/get-help-now", "/EN/?with=ar"):
        response = client.get(url, headers={"Host": EVIL})
        assert 300 <= response.status_code < 400, url
        assert response.headers["Location"].startswith("/"), url
        assert not response.headers["Location"].startswith("//"), url


def test_the_feed_uses_public_url(app):
    body = app.test_client().get("/en/news.atom", headers={"Host": EVIL}).get_data(
        as_text=True)
    assert "https://portal.test/en/news" in body
    assert "localhost" not in body and EVIL not in body


def test_public_url_without_configuration_is_the_development_server(make_app):
    app = make_app()
    with app.app_context():
        assert public_url("/en/card") == "http://127.0.0.1:5000/en/card"
    app = make_app(PUBLIC_URL="https://portal.example/")
    with app.app_context():
        assert public_url("en/card") == "https://portal.example/en/card"
        assert public_url() == "https://portal.example/"


@pytest.mark.parametrize("value", [
    None, "", "http://portal.example", "portal.example", "https://", "https://portal.example/x",
    "https://portal.example?x", "https://user@portal.example", "https://portal.example:x",
    "https://pörtal.example", "ftp://portal.example", "https://portal .example",
    "javascript:alert(1)",
])
def test_production_needs_an_https_origin(value):
    with pytest.raises(MissingPublicUrl):
        require_public_url(value)


@pytest.mark.parametrize("value, origin", [
    ("https://portal.example", "https://portal.example"),
    ("https://portal.example/", "https://portal.example"),
    ("https://portal.example:8443", "https://portal.example:8443"),
])
def test_an_https_origin_is_accepted(value, origin):
    assert require_public_url(value) == origin


@pytest.mark.parametrize("value", [None, "http://portal.example"])
def test_flask_freeze_stops_without_it(make_app, tmp_path, value):
    app = make_app(PUBLIC_URL=value)
    result = app.test_cli_runner().invoke(args=["freeze", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert "PUBLIC_URL" in result.output
    assert not (tmp_path / "out").exists()
