"""The frozen nginx keeps the exit and search from waiting (issue 14): it answers
``/exit`` itself, with the app's own status and headers, even with the app down, and
turns away a flood of searches from one address with the portal's own page."""

from __future__ import annotations

import concurrent.futures
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from portal import create_app
from portal.config import ROOT
from portal.freeze import PER_RESPONSE, brotli_module, freeze, nginx_conf

pytestmark = pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _get(url):
    try:
        with _OPENER.open(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def nginx_without_app(tmp_path_factory):
    """The export served by nginx whose upstream nobody listens on."""
    base = tmp_path_factory.mktemp("exit")
    shutil.copytree(ROOT / "content", base / "content")
    shutil.copytree(ROOT / "translations", base / "translations")
    app = create_app({"TESTING": True, "CONTENT_DIR": str(base / "content"),
                      "TRANSLATIONS_DIR": str(base / "translations"),
                      "INDEX_DIR": str(base / "index"),
                      "PUBLIC_URL": "https://portal.example"})
    out, run = base / "site", base / "run"
    export = freeze(app, out, codes=["so"])
    port, dead = _free_port(), _free_port()
    run.mkdir()
    conf = nginx_conf(export, out, listen=f"127.0.0.1:{port}", upstream=f"127.0.0.1:{dead}",
                      runtime=run, brotli=brotli_module(),
                      user="root" if os.geteuid() == 0 else None)
    (base / "nginx.conf").write_text(conf, encoding="utf-8")
    checked = subprocess.run(["nginx", "-t", "-c", str(base / "nginx.conf")],
                             capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    nginx = subprocess.Popen(["nginx", "-c", str(base / "nginx.conf"), "-g", "daemon off;"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield app, f"http://127.0.0.1:{port}", conf, run
    nginx.terminate()
    nginx.wait(10)


def test_nginx_answers_the_exit_itself_with_the_apps_headers(nginx_without_app):
    app, base, _, _ = nginx_without_app
    live = app.test_client().get("/exit")
    for url in ("/exit", "/exit?from=so"):
        status, headers, _ = _get(base + url)
        assert status == live.status_code == 303  # the app is down: nginx answered
        assert headers["Location"] == live.headers["Location"]
        for name, value in live.headers.items():
            if name.lower() not in PER_RESPONSE:
                assert headers.get(name) == value, name
    for name in ("Clear-Site-Data", "Cache-Control", "Referrer-Policy",
                 "Content-Security-Policy"):
        assert name in live.headers


def test_a_flood_of_searches_gets_the_portals_page_at_once(nginx_without_app):
    app, base, conf, run = nginx_without_app
    assert "limit_req zone=search burst=" in conf and "$binary_remote_addr" in conf

    def search(i):
        return _get(f"{base}/so/search?q=shaqo+{i}")

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(search, range(250)))
    turned_away = [(h, b) for s, h, b in answers if s == 503 and '<html lang="so"' in b.decode()]
    assert turned_away, "no search was turned away"
    headers, body = turned_away[0]
    assert headers["Retry-After"] == str(app.config["SEARCH_RETRY_AFTER"])
    assert headers["Content-Security-Policy"] == app.test_client().get("/so/").headers[
        "Content-Security-Policy"]
    page = body.decode()
    assert 'href="/exit"' in page and 'href="tel:999"' in page
    assert 'href="tel:+448000121700"' in page
    assert {s for s, _, _ in answers} <= {200, 503}, {s for s, _, _ in answers}
    # Logging no one: nothing written about the rejected readers.
    log = run / "error.log"
    assert not log.exists() or "limiting requests" not in log.read_text()
