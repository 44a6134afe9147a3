"""Nothing a visitor sent reaches any log, from any server the README runs: the
development server (``make run``), gunicorn (``make serve``) and nginx from the freeze.

Each gets the same batch: odd requests the server itself refuses, a crash inside a view
and one outside Flask (test-only faults, ``tests/fault_app.py``, whose exception text
holds the whole request), and a search. The client connects from 127.0.0.2 so its
address can be told from the servers' own 127.0.0.1. Then no log line may hold the
address, a path, a query, a header value or the user agent.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from portal import create_app
from portal.config import ROOT
from portal.freeze import brotli_module, freeze, nginx_conf

BIN = Path(sys.executable).parent
CLIENT = "127.0.0.2"
# What the visitor sends; none of it may be logged.
SECRETS = ("passport-xyzzy", "boss-plugh", "SecretAgent", "header-quux", "cookie-zork",
           "lang-frob", "partial-fnord", CLIENT)
UA = "SecretAgent/9.9"
HEADERS = (f"User-Agent: {UA}\r\nX-Secret: header-quux\r\nCookie: c=cookie-zork\r\n"
           "Accept-Language: lang-frob\r\nConnection: close\r\n")


def request(line: str, extra: str = "") -> bytes:
    return f"{line}\r\nHost: portal.test\r\n{HEADERS}{extra}\r\n".encode("latin-1")


# (name, raw request): the app's pages, the crashes, and what servers refuse themselves.
BATCH = [
    ("page", request("GET /en/get-help-now?boss-plugh=1 HTTP/1.1")),
    ("search", request("GET /en/search?q=my+passport-xyzzy HTTP/1.1")),
    ("bad parameter", request("GET /en/news?page=%C2%B2passport-xyzzy HTTP/1.1")),
    ("not found", request("GET /en/passport-xyzzy HTTP/1.1")),
    ("crash", request("GET /en/fault?q=passport-xyzzy HTTP/1.1")),
    ("server crash", request("GET /wsgi-fault/passport-xyzzy?q=boss-plugh HTTP/1.1")),
    ("bad version", request("GET /en/passport-xyzzy HTTP/9.9")),
    ("http/2 line", request("GET /en/passport-xyzzy HTTP/2.0")),
    ("bad method", request("G@T /en/passport-xyzzy HTTP/1.1")),
    ("short method", request("AB /en/passport-xyzzy HTTP/1.1")),
    ("raw bytes", request("GET /en/passport-xyzzy\xff HTTP/1.1")),
    ("control byte", request("GET /en/passport-xyzzy\x01 HTTP/1.1")),
    ("no version", b"GET /en/passport-xyzzy\r\n\r\n"),
    ("junk", b"\x16\x03\x01passport-xyzzy\r\n\r\n"),
    ("long line", request("GET /en/search?q=passport-xyzzy" + "a" * 70000 + " HTTP/1.1")),
    ("long field", request("GET /en/ HTTP/1.1", "X-Long: header-quux" + "a" * 9000 + "\r\n")),
    ("many fields", request("GET /en/ HTTP/1.1",
                            "".join(f"X-{i}: header-quux\r\n" for i in range(150)))),
    ("folded field", request("GET /en/ HTTP/1.1", "X-Fold: a\r\n header-quux\r\n")),
    ("two hosts", request("GET /en/passport-xyzzy HTTP/1.1", "Host: boss-plugh\r\n")),
    ("smuggling", request("POST /en/passport-xyzzy HTTP/1.1",
                          "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n")),
    ("big body", request("POST /en/search HTTP/1.1", "Content-Length: 999999\r\n")),
]
# Sent and then abandoned: a slow client that gives up.
PARTIAL = b"GET /en/partial-fnord HTTP/1.1\r\nUser-Agent: SecretAgent\r\n"


def send(port: int, data: bytes, timeout: float = 5.0) -> bytes:
    with socket.socket() as sock:
        sock.bind((CLIENT, 0))
        sock.settimeout(timeout)
        sock.connect(("127.0.0.1", port))
        with contextlib.suppress(OSError):
            sock.sendall(data)
        out = b""
        with contextlib.suppress(OSError):
            while chunk := sock.recv(65536):
                out += chunk
        return out


def send_batch(port: int) -> dict[str, bytes]:
    answers = {name: send(port, data) for name, data in BATCH}
    with socket.socket() as sock:
        sock.bind((CLIENT, 0))
        sock.connect(("127.0.0.1", port))
        sock.sendall(PARTIAL)
        time.sleep(0.2)
    return answers


def status(answer: bytes) -> int | None:
    parts = answer.split(b" ", 2)
    if len(parts) > 2 and parts[1].isdigit():
        return int(parts[1])
    # Python's http.server answers an unknown version as HTTP/0.9: no status line.
    found = re.search(rb"Error code: (\d{3})", answer)
    return int(found.group(1)) if found else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen, log: Path):
    for _ in range(300):
        if process.poll() is not None:
            raise AssertionError(f"server exited: {log.read_text(errors='replace')}")
        with contextlib.suppress(OSError), socket.create_connection(
                ("127.0.0.1", port), timeout=2) as probe:
            probe.sendall(b"GET /languages HTTP/1.1\r\nHost: portal.test\r\n"
                          b"Connection: close\r\n\r\n")
            if probe.recv(16).startswith(b"HTTP/1.1 200"):
                return
        time.sleep(0.1)
    raise AssertionError("server did not start")


def stop(process: subprocess.Popen):
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def assert_nothing_leaked(text: str):
    assert text.strip(), "nothing was logged at all: is the log captured?"
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} in the log:\n{text}"


def env(**extra) -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT / "tests"), "PORTAL_PUBLIC_URL":
            "https://portal.test", "PORTAL_INDEX_DIR": str(ROOT / "build" / "search"),
            **extra}


@contextlib.contextmanager
def gunicorn(tmp: Path, log_level: str = "debug"):
    port = free_port()
    log = tmp / "gunicorn.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
             "fault_app:create_app()"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            env=env(BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1", THREADS="2",
                    LOG_LEVEL=log_level))
    try:
        wait_for(port, process, log)
        yield port, log
    finally:
        stop(process)


@pytest.mark.timeout(120)
def test_the_development_server_logs_nothing_about_a_request(tmp_path):
    port = free_port()
    log = tmp_path / "dev.log"
    code = ("import fault_app; from portal.serve import serve; "
            f"serve(fault_app.create_app(), {port})")
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=out,
                                   stderr=subprocess.STDOUT, env=env())
    try:
        wait_for(port, process, log)
        answers = send_batch(port)
    finally:
        stop(process)
    assert status(answers["page"]) == 200
    assert status(answers["search"]) == 200
    assert status(answers["bad parameter"]) == 400
    assert status(answers["crash"]) == 500
    assert b"08000 121 700" in answers["crash"]
    for name, code in (("bad version", 505), ("http/2 line", 505), ("long line", 414),
                       ("many fields", 431)):
        assert status(answers[name]) == code, name
    text = log.read_text(errors="replace")
    assert "crash: RuntimeError in fault (fault " in text
    assert "could not answer a request (details withheld)" in text  # the WSGI fault
    assert_nothing_leaked(text)


@pytest.mark.timeout(120)
def test_gunicorn_logs_nothing_about_a_request(tmp_path):
    with gunicorn(tmp_path) as (port, log):
        answers = send_batch(port)
        time.sleep(0.5)
    assert status(answers["page"]) == 200
    assert status(answers["crash"]) == 500
    assert status(answers["server crash"]) == 500
    assert status(answers["bad method"]) == 400
    text = log.read_text(errors="replace")
    assert "crash: RuntimeError in fault (fault " in text
    assert "Error handling request: ValueError (details withheld)" in text
    assert "Invalid request (details withheld)" in text
    assert_nothing_leaked(text)


@pytest.mark.timeout(120)
def test_gunicorn_stops_without_an_https_public_url(tmp_path):
    for value in ("", "http://portal.test"):
        port = free_port()
        result = subprocess.run(
            [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
             "portal:create_app()"], cwd=ROOT, capture_output=True, text=True, timeout=90,
            env={**env(BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1"),
                 "PORTAL_PUBLIC_URL": value})
        assert result.returncode != 0
        assert "not starting: PUBLIC_URL" in result.stderr, result.stderr


# nginx from the freeze, in front of gunicorn -------------------------------------------

REFUSED_BY_NGINX = {  # what gunicorn would refuse with its own bare page
    "bad version": 505, "http/2 line": 505, "bad method": 400, "short method": 405,
    "raw bytes": 400, "control byte": 400, "junk": 400, "long line": 414,
    "long field": 431, "folded field": 400, "two hosts": 400, "smuggling": 400,
    "big body": 413,
}


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    app = create_app({"PUBLIC_URL": "https://portal.test", "RELOAD_INTERVAL": 60.0})
    out = tmp_path_factory.mktemp("edge") / "site"
    return out, freeze(app, out, codes=["en", "ar"])


@contextlib.contextmanager
def nginx(export, tmp: Path, upstream: int):
    out, exported = export
    port = free_port()
    runtime = tmp / "run"
    runtime.mkdir()
    conf = tmp / "nginx.conf"
    conf.write_text(nginx_conf(exported, out, listen=f"127.0.0.1:{port}",
                               upstream=f"127.0.0.1:{upstream}", runtime=runtime,
                               brotli=brotli_module(),
                               user="root" if os.geteuid() == 0 else None))
    log = tmp / "nginx.out"
    with open(log, "wb") as stream:
        process = subprocess.Popen(["nginx", "-c", str(conf), "-g", "daemon off;"],
                                   stdout=stream, stderr=subprocess.STDOUT)
    try:
        wait_for(port, process, log)
        yield port, runtime
    finally:
        stop(process)


needs_nginx = pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed")


@needs_nginx
@pytest.mark.timeout(180)
def test_nginx_and_gunicorn_behind_it_log_nothing_about_a_request(export, tmp_path):
    with gunicorn(tmp_path) as (upstream, gunicorn_log):
        with nginx(export, tmp_path, upstream) as (port, runtime):
            answers = send_batch(port)
            time.sleep(0.5)
        nginx_text = "".join(p.read_text(errors="replace") for p in runtime.glob("*.log"))
        nginx_text += (tmp_path / "nginx.out").read_text(errors="replace")
    assert status(answers["crash"]) == 500
    assert status(answers["search"]) == 200
    for secret in SECRETS:
        assert secret not in nginx_text, f"{secret!r} in nginx's log:\n{nginx_text}"
    text = gunicorn_log.read_text(errors="replace")
    assert "crash: RuntimeError in fault (fault " in text
    assert_nothing_leaked(text)
    # nginx passes on only the headers the app reads, and the configured Host.
    assert "header-quux" not in text and "cookie-zork" not in text


@needs_nginx
@pytest.mark.timeout(180)
def test_nginx_refuses_first_with_the_portals_page(export, tmp_path):
    out, _ = export
    with gunicorn(tmp_path) as (upstream, gunicorn_log):
        with nginx(export, tmp_path, upstream) as (port, _runtime):
            answers = send_batch(port)
            app_pages = {url: send(port, request(f"GET {url} HTTP/1.1"))
                         for url in ("/ar/news?page=x", "/ar/no-such-page", "/ar/fault")}
    for name, code in REFUSED_BY_NGINX.items():
        answer = answers[name]
        assert status(answer) == code, (name, answer[:200])
        body = answer.split(b"\r\n\r\n", 1)[1]
        page = "_too_long.html" if code in (413, 414, 431) else "_bad_request.html"
        assert body == (out / page).read_bytes(), name
        assert b'href="/exit"' in body and b"999" in body and b"08000 121 700" in body
    # gunicorn never had to refuse anything itself.
    assert "Invalid request" not in gunicorn_log.read_text(errors="replace")
    # The app's own translated pages pass through as they are.
    client = create_app({"PUBLIC_URL": "https://portal.test"}).test_client()
    for url, code in (("/ar/news?page=x", 400), ("/ar/no-such-page", 404)):
        answer = app_pages[url]
        assert status(answer) == code
        body = answer.split(b"\r\n\r\n", 1)[1]
        assert body == client.get(url, headers={"Accept-Encoding": "identity"}).data
    assert status(app_pages["/ar/fault"]) == 500
    assert b'<html lang="ar"' in app_pages["/ar/fault"]


# In process: the crash line itself -------------------------------------------------------

def test_a_crash_is_one_line_without_the_request(caplog):
    import logging

    app = create_app({"PUBLIC_URL": "https://portal.test", "PROPAGATE_EXCEPTIONS": False})
    from flask import request as current

    def boom(**_):
        raise KeyError(f"{current.full_path} {current.headers.get('User-Agent')}")

    app.view_functions["news.listing"] = boom
    client = app.test_client()
    with caplog.at_level(logging.DEBUG):
        first = client.get("/ar/news?q=passport-xyzzy", headers={"User-Agent": UA},
                           environ_base={"REMOTE_ADDR": CLIENT})
        second = client.get("/en/news?boss-plugh=1")
    assert first.status_code == second.status_code == 500
    assert '<html lang="ar"' in first.get_data(as_text=True)
    records = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(records) == 2
    lines = [r.getMessage() for r in records]
    assert all(r.exc_info is None and not r.exc_text for r in records)
    assert lines[0] == lines[1]  # the same fault, the same id, whatever the request
    assert re.fullmatch(r"crash: KeyError in news\.listing \(fault [0-9a-f]{12}\)", lines[0])
    text = "\n".join(f"{r.name} {r.getMessage()}" for r in caplog.records)
    for secret in SECRETS + ("/ar/news", "Exception on"):
        assert secret not in text


def test_a_broken_error_page_still_answers_with_the_numbers(monkeypatch, caplog):
    import logging

    from portal.views import errors

    app = create_app({"PUBLIC_URL": "https://portal.test", "PROPAGATE_EXCEPTIONS": False})

    def boom(**_):
        raise RuntimeError("passport-xyzzy")

    def broken_page(*_args, **_kwargs):
        raise OSError("boss-plugh")

    app.view_functions["news.listing"] = boom
    monkeypatch.setattr(errors, "error_page", broken_page)
    with caplog.at_level(logging.DEBUG):
        response = app.test_client().get("/en/news")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "999" in body and "08000 121 700" in body and 'href="/exit"' in body
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "error page failed: OSError" in text
    assert "passport-xyzzy" not in text and "boss-plugh" not in text
