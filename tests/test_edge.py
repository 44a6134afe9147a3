"""The production edge: the nginx.conf that ``flask freeze`` writes passes gixy with no
finding, is hardened against slow and oversized requests, refuses before gunicorn
would, and never builds anything from the Host header. (Real nginx in front of real
gunicorn: tests/test_logs.py.)"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from portal import create_app
from portal.freeze import freeze

GIXY = Path(sys.executable).parent / "gixy"


@pytest.fixture(scope="module")
def conf(tmp_path_factory) -> str:
    app = create_app({"PUBLIC_URL": "https://portal.example", "RELOAD_INTERVAL": 60.0})
    out = tmp_path_factory.mktemp("edge") / "site"
    freeze(app, out, codes=["en"], brotli="/usr/lib/nginx/modules/x.so")
    return str(out / "nginx.conf")


def directives(path: str) -> list[str]:
    text = Path(path).read_text(encoding="utf-8")
    return [line.split("#")[0].strip() for line in text.splitlines() if line.split("#")[0].strip()]


def value(found: list[str], name: str) -> str:
    """The first (outermost) setting of a directive."""
    line = next(d for d in found if d.startswith(name + " "))
    return line[len(name) + 1:].rstrip(";")


def size(text: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([km]?)", text).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024 * 1024}[unit]


@pytest.mark.timeout(120)
def test_gixy_finds_nothing(conf):
    assert GIXY.exists(), "gixy-ng is a test dependency (setup.cfg)"
    result = subprocess.run([str(GIXY), "-f", "json", conf], capture_output=True, text=True,
                            timeout=100)
    findings = json.loads(result.stdout or "null")
    assert findings == [], json.dumps(findings, indent=1)
    assert result.returncode == 0, result.stderr


def test_gixy_reads_the_whole_config(conf):
    """"Nothing found" means something only if gixy saw the config: a nesting error
    once left it an empty tree, and the test above passed on nothing."""
    from gixy.parser.nginx_parser import NginxParser

    tree = NginxParser(cwd=str(Path(conf).parent), allow_includes=False).parse_file(conf)
    servers = tree.find_recursive("server")
    assert servers, "gixy parsed no server block"
    assert tree.find_recursive("proxy_pass"), "gixy saw no proxy_pass"
    written = len(re.findall(r"^\s*location\b", Path(conf).read_text(encoding="utf-8"),
                             flags=re.M))
    assert len(tree.find_recursive("location")) == written > 0


@pytest.mark.timeout(120)
def test_gixy_would_see_the_old_findings(conf, tmp_path):
    """The check can fail: the three findings of the audit, put back, are reported."""
    text = Path(conf).read_text(encoding="utf-8")
    text = text.replace('proxy_set_header Host "portal.example";',
                        "proxy_set_header Host $http_host;")
    text = re.sub(r"worker_rlimit_nofile \d+;", "", text)
    text = re.sub(r"open_file_cache [^;]+;", "", text)
    broken = tmp_path / "nginx.conf"
    broken.write_text(text, encoding="utf-8")
    result = subprocess.run([str(GIXY), "-f", "json", str(broken)], capture_output=True,
                            text=True, timeout=100)
    found = {item["plugin"] for item in json.loads(result.stdout)}
    assert {"host_spoofing", "worker_rlimit_nofile_vs_connections",
            "try_files_is_evil_too"} <= found


def test_slow_and_large_requests_are_bounded(conf):
    found = directives(conf)
    connections = int(value(found, "worker_connections"))
    assert int(value(found, "worker_rlimit_nofile")) >= 2 * connections
    for name in ("client_header_timeout", "client_body_timeout", "send_timeout"):
        assert int(value(found, name).rstrip("s")) <= 15, name
    assert "reset_timedout_connection on;" in found
    assert size(value(found, "client_header_buffer_size")) <= 1024
    assert value(found, "client_max_body_size") == "16k"
    assert any(d.startswith("open_file_cache max=") for d in found)
    assert "open_file_cache_errors on;" in found


def test_nginx_refuses_before_gunicorn_would(conf):
    """nginx's limits are stricter than gunicorn's (deploy/gunicorn.conf.py keeps its
    defaults): a request line or a header field that fits one large buffer is
    shorter than gunicorn's limits; only a handful of headers is passed on."""
    from gunicorn.config import Config

    cfg = Config()
    found = directives(conf)
    count, each = value(found, "large_client_header_buffers").split()
    assert size(each) <= cfg.limit_request_line + 2
    assert size(each) <= cfg.limit_request_field_size
    assert "proxy_pass_request_headers off;" in found
    passed = [d for d in found if d.startswith("proxy_set_header ")]
    assert len(passed) < cfg.limit_request_fields // 10


def test_the_app_is_told_the_configured_host_and_nothing_about_the_reader(conf):
    text = Path(conf).read_text(encoding="utf-8")
    found = directives(conf)
    assert "$http_host" not in text and "$host" not in text
    assert 'proxy_set_header Host "portal.example";' in found
    # Only what proxy_set_header names reaches the app (the quick exit's own
    # Clear-Site-Data "cookies" is a response header, not something passed on).
    assert "proxy_pass_request_headers off;" in found
    passed = "\n".join(d for d in found if d.startswith("proxy_set_header")).lower()
    assert "accept-language" in passed  # the check reads the lines it means to
    for header in ("X-Forwarded-For", "X-Real-IP", "User-Agent", "Cookie", "Referer"):
        assert header.lower() not in passed


def test_nothing_is_stored_by_nginx(conf):
    text = "\n".join(directives(conf))
    assert "proxy_cache" not in text and "proxy_store" not in text
    # Any query string goes to the app, which says no-store (portal/caching.py).
    assert 'if ($request_uri ~ "\\?") {' in text
