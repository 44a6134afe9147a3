"""The static export: every page in every language, byte for byte what the app serves,
with .gz and .br twins, and an nginx.conf that sends the app's headers and passes
everything else to the app. nginx itself is only needed by the last test (skipped
without it)."""

from __future__ import annotations

import contextlib
import gzip
import json
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import brotli
import click
import pytest

from portal import create_app
from portal.config import ROOT
from portal.freeze import (
    MARKER,
    PER_RESPONSE,
    brotli_module,
    exportable,
    file_for,
    freeze,
    nginx_conf,
    seeds,
)

# The first test to use ``exported`` pays for the whole export (every page in every
# language, three encodings each): about a minute alone, over five on a 2-core machine
# shared with the rest of a parallel run. A limit on hangs, not a timing assertion.
pytestmark = pytest.mark.timeout(900)

IDENTITY = {"Accept-Encoding": "identity"}
SECURITY = ("Content-Security-Policy", "Referrer-Policy", "X-Content-Type-Options",
            "Permissions-Policy", "Cross-Origin-Opener-Policy", "Cross-Origin-Resource-Policy",
            "X-Frame-Options")


@pytest.fixture(scope="module")
def snapshot_app(tmp_path_factory):
    """The portal over a snapshot of content/ and translations/: editors and translators
    at work in the tree cannot change a page between the export and the comparison."""
    base = tmp_path_factory.mktemp("snapshot")
    shutil.copytree(ROOT / "content", base / "content")
    shutil.copytree(ROOT / "translations", base / "translations")
    return create_app({"TESTING": True, "RELOAD_INTERVAL": 0.0,
                       "PUBLIC_URL": "https://portal.test",
                       "CONTENT_DIR": str(base / "content"),
                       "TRANSLATIONS_DIR": str(base / "translations"),
                       "INDEX_DIR": str(base / "index")})


@pytest.fixture
def snapshot_runner(snapshot_app):
    return snapshot_app.test_cli_runner()


@pytest.fixture(scope="module")
def exported(snapshot_app, tmp_path_factory):
    out = tmp_path_factory.mktemp("freeze") / "site"
    export = freeze(snapshot_app, out, listen="127.0.0.1:8080", upstream="127.0.0.1:8000",
                    brotli="/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
    return out, export


def conf_locations(conf: str) -> dict[str, dict[str, str]]:
    """``add_header`` directives of each ``location`` block of the generated config."""
    found = {}
    for match in re.finditer(r"location ([^\n]+?) \{\n(.*?)\n\s*\}", conf, flags=re.S):
        headers = dict(re.findall(r'add_header (\S+) "((?:[^"\\]|\\.)*)" always;',
                                  match.group(2)))
        found[match.group(1).strip()] = headers
    return found


def shared(response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.lower() not in PER_RESPONSE}


def nginx_route(out: Path, url: str, method: str = "GET") -> str:
    """Where the generated nginx.conf sends a request: a file of the export, or "app".
    A model of its rules, kept next to the test that checks them on real nginx."""
    if method not in ("GET", "HEAD"):
        return "app"
    if urlsplit(url).path == "/exit":  # answered by nginx itself (tests/test_freeze_exit.py)
        return "nginx"
    if "?" in url:
        return "app"
    path = url
    if path == "/" or re.search(r"/index$", path) or path in (
            "/_unavailable", "/_bad_request", "/_too_long"):
        return "app"
    if re.match(r"^/(robots\.txt|sitemap(-[a-z0-9-]+)?\.xml)$", path):
        return str(out / path.lstrip("/")) if (out / path.lstrip("/")).is_file() else "app"
    if re.match(r"^/static/[^/]+\.[0-9a-f]{10}\.(js|css)$", path):
        return str(out / path.lstrip("/")) if (out / path.lstrip("/")).is_file() else "app"
    for candidate in (path + ".html", path + "index.html"):
        if (out / candidate.lstrip("/")).is_file():
            return str(out / candidate.lstrip("/"))
    return "app"


# What is exported ----------------------------------------------------------------------

def test_seeds_cover_every_page_in_every_language(snapshot_app):
    store = snapshot_app.extensions["content"]
    found = set(seeds(snapshot_app))
    for lang in snapshot_app.extensions["i18n"].registry.public:
        code = lang.code
        assert {f"/{code}/", f"/{code}/services", f"/{code}/card"} <= found
        assert {f"/{code}/{slug}" for slug in store.pages} <= found
        assert {f"/{code}/services/{sid}" for sid in store.services} <= found
        if any(rule.rule == "/<lang>/news/<slug>" for rule in snapshot_app.url_map.iter_rules()):
            assert {f"/{code}/news/{slug}" for slug in store.news} <= found
    assert "/languages" in found
    assert not [url for url in found if "search" in url or url in ("/", "/exit")]


@pytest.mark.parametrize("url, path", [
    ("/en/", "en/index.html"),
    ("/en/get-help-now", "en/get-help-now.html"),
    ("/zh-hans/services/childline", "zh-hans/services/childline.html"),
    ("/languages", "languages.html"),
])
def test_file_names(url, path):
    assert file_for(url) == path


def test_file_names_never_leave_the_export():
    with pytest.raises(ValueError):
        file_for("/en/../../etc/passwd")


@pytest.mark.parametrize("url", ["/", "/en/search", "/exit", "/services.json", "/translators/",
                                 "/openreferral/services", "/openreferral/",
                                 "/en/get-help-now?with=ar", "/static/exit.js",
                                 "https://example.org/en/", "//example.org/en/"])
def test_what_is_never_exported(url):
    assert not exportable(url)


def test_every_page_in_every_language_is_written(snapshot_app, exported):
    out, export = exported
    client = snapshot_app.test_client()
    for url in seeds(snapshot_app):
        if url not in export.pages:  # then the app must be the one to answer it
            response = client.get(url)
            assert response.status_code != 200 or response.mimetype != "text/html", url
    for url in export.pages:
        html = out / file_for(url)
        for suffix in ("", ".gz", ".br"):
            assert html.with_name(html.name + suffix).is_file(), f"{url}{suffix}"
    assert (out / MARKER).is_file()
    assert not (out / "en" / "search.html").exists()


def test_every_exported_page_is_what_the_app_serves(snapshot_app, exported):
    out, export = exported
    client = snapshot_app.test_client()
    for url in export.pages:
        html = out / file_for(url)
        live = client.get(url, headers=IDENTITY)
        assert live.status_code == 200, url
        body = html.read_bytes()
        assert body == live.data, url
        assert gzip.decompress(html.with_name(html.name + ".gz").read_bytes()) == body, url
        assert brotli.decompress(html.with_name(html.name + ".br").read_bytes()) == body, url


@pytest.mark.parametrize("url", ["/en/", "/ar/get-help-now", "/zh-hans/services",
                                 "/ti/card", "/languages", "/fa/services/childline"])
def test_compressed_twins_are_the_apps_own_bytes(snapshot_app, exported, url):
    out, _ = exported
    client = snapshot_app.test_client()
    html = out / file_for(url)
    for suffix, encoding in ((".gz", "gzip"), (".br", "br")):
        live = client.get(url, headers={"Accept-Encoding": encoding})
        assert live.headers["Content-Encoding"] == encoding
        assert html.with_name(html.name + suffix).read_bytes() == live.data


def test_static_files_are_exported_under_their_fingerprint(snapshot_app, exported):
    out, _ = exported
    client = snapshot_app.test_client()
    names = snapshot_app.extensions["assets"].files
    assert names
    for name in names:
        live = client.get(f"/static/{name}", headers=IDENTITY)
        assert (out / "static" / name).read_bytes() == live.data
        assert gzip.decompress((out / "static" / f"{name}.gz").read_bytes()) == live.data
        assert brotli.decompress((out / "static" / f"{name}.br").read_bytes()) == live.data
    home = (out / "en" / "index.html").read_text(encoding="utf-8")
    for ref in re.findall(r'src="(/static/[^"]+)"', home):
        assert (out / ref.lstrip("/")).is_file()


# The nginx configuration ---------------------------------------------------------------

def test_nginx_sends_the_apps_headers(snapshot_app, exported):
    out, _ = exported
    conf = (out / "nginx.conf").read_text(encoding="utf-8")
    locations = conf_locations(conf)
    client = snapshot_app.test_client()
    static = next(iter(snapshot_app.extensions["assets"].files))
    for location, url in (("/", "/en/get-help-now"),
                          ('~ "^/static/[^/]+\\.[0-9a-f]{10}\\.(js|css)$"', f"/static/{static}")):
        declared = locations[location]
        live = client.get(url, headers={"Accept-Encoding": "br"})
        expected = shared(live)
        for name in SECURITY + ("Cache-Control", "Vary"):
            assert name in expected, f"the app no longer sends {name}?"
        assert declared == expected, location
    page = locations["/"]
    assert page["Cache-Control"] == "no-store"
    assert page["CDN-Cache-Control"] == "public, max-age=300"
    # The same CSP hash as the app: the inline stylesheet is allowed by nginx's pages too.
    digest = snapshot_app.extensions["assets"].style_hashes[0]
    assert f"'sha256-{digest}'" in page["Content-Security-Policy"]
    unavailable = locations["= /_unavailable.html"]
    for name in SECURITY:
        assert unavailable[name] == page[name]
    assert unavailable["CDN-Cache-Control"] == "no-store"


def test_nginx_conf_serves_precompressed_files_and_logs_nothing(exported):
    out, _ = exported
    conf = (out / "nginx.conf").read_text(encoding="utf-8")
    directives = [line.split("#")[0].strip() for line in conf.splitlines()]
    for needed in ("access_log off;", "gzip_static on;", "brotli_static on;", "gzip off;",
                   "server_tokens off;", f"root {out.resolve()};", "error_page 418 = @app;",
                   "proxy_pass http://portal_app;", "server 127.0.0.1:8000;",
                   "listen 127.0.0.1:8080;"):
        assert needed in directives, needed
    assert any(d.startswith("error_log ") and d.endswith(" emerg;") for d in directives)
    assert "X-Forwarded-For" not in "\n".join(directives)
    assert not re.search(r"@[A-Z_]+@", conf), "a placeholder was left unfilled"


def test_nginx_conf_without_brotli(exported):
    _, export = exported
    conf = nginx_conf(export, Path("/srv/portal"), brotli=None)
    directives = [line.split("#")[0].strip() for line in conf.splitlines()]
    assert "brotli_static on;" not in directives
    assert not any(d.startswith("load_module") for d in directives)
    assert "gzip_static on;" in directives


@pytest.mark.parametrize("url, method", [
    ("/", "GET"), ("/en/search", "GET"), ("/en/search?q=help", "GET"), ("/exit", "POST"),
    ("/zh/", "GET"), ("/en-gb/get-help-now", "GET"), ("/EN/", "GET"), ("/en/index", "GET"),
    ("/en/no-such-page", "GET"), ("/en/get-help-now?with=ar", "GET"),
    ("/en/get-help-now?review=1", "GET"), ("/translators/", "GET"), ("/services.json", "GET"),
    ("/en/services?need=work", "GET"), ("/en/", "POST"), ("/en", "GET"),
    ("/_unavailable", "GET"), ("/nginx.conf", "GET"), ("/static/exit.js", "GET"),
    ("/_bad_request", "GET"), ("/_too_long", "GET"), ("/sitemap-xx.xml", "GET"),
])
def test_what_the_export_cannot_answer_goes_to_the_app(exported, url, method):
    out, _ = exported
    assert nginx_route(out, url, method) == "app"


def test_robots_and_sitemap_are_exported_as_the_app_writes_them(snapshot_app, exported):
    out, export = exported
    client = snapshot_app.test_client()
    codes = [lang.code for lang in snapshot_app.extensions["i18n"].registry.public]
    names = ["robots.txt", "sitemap.xml", "sitemap-root.xml"] + [f"sitemap-{c}.xml" for c in codes]
    for name in names:
        live = client.get(f"/{name}", headers=IDENTITY)
        assert live.status_code == 200
        assert (out / name).read_bytes() == live.data, name
        assert gzip.decompress((out / f"{name}.gz").read_bytes()) == live.data, name
        assert conf_locations((out / "nginx.conf").read_text())[
            '~ "^/(robots\\.txt|sitemap(-[a-z0-9-]+)?\\.xml)$"'] == shared(live), name
    assert sorted(p.name for p in out.glob("sitemap*.xml")) == sorted(names[1:])


@pytest.mark.parametrize("url", ["/en/", "/ar/get-help-now", "/languages", "/hi/services",
                                 "/so/services/childline", "/pl/card", "/robots.txt",
                                 "/sitemap.xml", "/sitemap-ar.xml", "/sitemap-root.xml"])
def test_pages_come_from_the_export(exported, url):
    out, _ = exported
    name = url.lstrip("/") if url.startswith(("/robots", "/sitemap")) else file_for(url)
    assert nginx_route(out, url) == str(out / name)


# The command ---------------------------------------------------------------------------

def test_freeze_command(snapshot_runner, tmp_path):
    out = tmp_path / "site"
    result = snapshot_runner.invoke(args=["freeze", str(out), "--lang", "ar", "--no-brotli",
                                 "--listen", "127.0.0.1:9999"])
    assert result.exit_code == 0, result.output
    assert "pages" in result.output
    assert (out / "ar" / "index.html").is_file()
    assert not (out / "en").exists()
    conf = (out / "nginx.conf").read_text(encoding="utf-8")
    assert "listen 127.0.0.1:9999;" in conf
    # Again into the same folder: the earlier export is replaced whole.
    (out / "ar" / "stale.html").write_text("old")
    result = snapshot_runner.invoke(args=["freeze", str(out), "--lang", "ar", "--no-brotli"])
    assert result.exit_code == 0, result.output
    assert not (out / "ar" / "stale.html").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]


def test_the_previous_scripts_are_kept_one_more_export(snapshot_app, tmp_path):
    out = tmp_path / "site"
    freeze(snapshot_app, out, codes=["en"])
    current = set(snapshot_app.extensions["assets"].files)
    old = "exit.0123456789.js"
    for suffix in ("", ".gz", ".br"):
        (out / "static" / f"{old}{suffix}").write_bytes(b"old")
    marker = json.loads((out / MARKER).read_text())
    (out / MARKER).write_text(json.dumps({**marker, "static": marker["static"] + [old]}))
    freeze(snapshot_app, out, codes=["en"])
    assert (out / "static" / old).read_bytes() == b"old"  # a CDN's page may still ask
    assert set(json.loads((out / MARKER).read_text())["static"]) == current
    freeze(snapshot_app, out, codes=["en"])
    assert not (out / "static" / old).exists()  # but only for one more export


def test_freeze_refuses_a_folder_that_is_not_an_export(snapshot_app, tmp_path):
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(click.ClickException):
        freeze(snapshot_app, tmp_path, codes=["en"])
    assert (tmp_path / "precious.txt").read_text() == "keep me"


def test_freeze_command_rejects_an_unknown_language(snapshot_runner, tmp_path):
    result = snapshot_runner.invoke(args=["freeze", str(tmp_path / "x"), "--lang", "xx"])
    assert result.exit_code != 0
    assert not (tmp_path / "x").exists()


# Real nginx, when installed ------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with _OPENER.open(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _wait_for(port: int):
    for _ in range(100):
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        time.sleep(0.05)


@contextlib.contextmanager
def _app_server(snapshot_app):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, snapshot_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        thread.join(5)


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed")
def test_real_nginx_serves_the_export_like_the_app(snapshot_app, exported, tmp_path):
    import os

    out, export = exported
    port = _free_port()
    with _app_server(snapshot_app) as app_port:
        conf = nginx_conf(export, out, listen=f"127.0.0.1:{port}",
                          upstream=f"127.0.0.1:{app_port}", runtime=tmp_path / "run",
                          brotli=brotli_module(), user="root" if os.geteuid() == 0 else None)
        (tmp_path / "run").mkdir()
        path = tmp_path / "nginx.conf"
        path.write_text(conf, encoding="utf-8")
        checked = subprocess.run(["nginx", "-t", "-c", str(path)], capture_output=True,
                                 text=True, timeout=30)
        assert checked.returncode == 0, checked.stderr
        nginx = subprocess.Popen(["nginx", "-c", str(path), "-g", "daemon off;"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_for(port)
            client = snapshot_app.test_client()
            for url in ("/en/", "/ar/get-help-now", "/languages", "/en/get-help-now?with=ar",
                        "/en/search", "/en/no-such-page", "/zh/", "/", "/robots.txt",
                        "/sitemap.xml", "/openreferral/services", "/en/languages"):
                status, headers, body = _get(base + url, {"Accept-Encoding": "gzip"})
                live = client.get(url, headers={"Accept-Encoding": "gzip"})
                assert status == live.status_code, url
                if status == 200:
                    def plain(data, encoding):
                        return gzip.decompress(data) if encoding == "gzip" else data

                    assert plain(body, headers.get("Content-Encoding")) == plain(
                        live.data, live.headers.get("Content-Encoding")), url
                for name in SECURITY + ("Cache-Control", "CDN-Cache-Control", "Vary",
                                        "Access-Control-Allow-Origin"):
                    assert headers.get(name) == live.headers.get(name), (url, name)
                assert headers.get("Content-Type") == live.headers.get("Content-Type"), url
            if brotli_module():
                status, headers, body = _get(base + "/ar/", {"Accept-Encoding": "br, gzip"})
                assert headers["Content-Encoding"] == "br"
                assert body == (out / "ar" / "index.html.br").read_bytes()
            _, headers, _ = _get(base + "/en/", {"Accept-Encoding": "gzip"})
            status, _, body = _get(base + "/en/", {"Accept-Encoding": "gzip",
                                                   "If-None-Match": headers["ETag"]})
            assert (status, body) == (304, b"")
        finally:
            nginx.terminate()
            nginx.wait(10)
    # The app gone: nginx still serves the export, and the portal's own 503 page.
    nginx = subprocess.Popen(["nginx", "-c", str(path), "-g", "daemon off;"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(port)
        status, _, body = _get(f"http://127.0.0.1:{port}/en/get-help-now")
        assert status == 200
        for name in ("robots.txt", "sitemap.xml", "sitemap-fa-af.xml"):
            status, headers, body = _get(f"http://127.0.0.1:{port}/{name}")
            assert (status, body) == (200, (out / name).read_bytes()), name
        status, headers, body = _get(f"http://127.0.0.1:{port}/en/search")
        assert status == 503
        assert body == (out / "_unavailable.html").read_bytes()
        assert headers["Content-Security-Policy"] == client.get("/en/").headers[
            "Content-Security-Policy"]
    finally:
        nginx.terminate()
        nginx.wait(10)


# gunicorn (make serve) -----------------------------------------------------------------

def test_gunicorn_config_logs_no_requests():
    import logging
    import runpy

    from gunicorn.config import Config

    conf = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    cfg = Config()
    for name, value in conf.items():
        if name in cfg.settings:
            cfg.set(name, value)  # gunicorn's own validation of every setting
    assert cfg.accesslog is None
    assert cfg.workers >= 2 and cfg.threads >= 2
    assert cfg.worker_class_str == "gthread"
    assert cfg.bind == ["127.0.0.1:8000"]
    scrub = next(f for f in logging.getLogger("gunicorn.error").filters
                 if type(f).__name__ == "_NoRequestDetails")
    for msg, args in (("Invalid request from ip=203.0.113.9: Invalid Request Line "
                       "'GET /en/get-help-now HTTP/1.1'", ()),
                      ("Error handling request %s %s", ("GET", "/en/get-help-now")),
                      ("Error handling request %s", ("/en/get-help-now",))):
        record = logging.LogRecord("gunicorn.error", logging.WARNING, __file__, 1, msg,
                                   args, None)
        assert scrub.filter(record)
        text = record.getMessage()
        assert "203.0.113.9" not in text and "get-help-now" not in text, text
    assert conf["pre_request"](None, None) is None  # logs nothing, not even at debug
