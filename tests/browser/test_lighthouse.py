"""Lighthouse's SEO audit (npm ``lighthouse``, pinned in package.json) against Debian's
Chromium, offline, on a live portal whose PUBLIC_URL is its own address: the canonical
audit compares the canonical's origin with the page's.

The scores are printed (``-s`` shows them); README.md records the last run.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
from pathlib import Path

import pytest
from browser_support import CHROMIUM, CHROMIUM_ARGS, Quiet, missing
from werkzeug.serving import make_server

from portal import create_app
from portal.config import ROOT

LIGHTHOUSE = Path(ROOT) / "node_modules" / ".bin" / "lighthouse"
PAGES = ["/en/", "/ar/get-help-now", "/ti/services"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def own_origin_server():
    app = create_app({"TESTING": True})
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    # Set before the first request: pages are cached with the canonical they name.
    app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app.config["PUBLIC_URL"]
    server.shutdown()
    server.server_close()
    thread.join(5)


def lighthouse(url: str, out: Path) -> dict:
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    result = subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--only-categories=seo", "--output=json",
         f"--output-path={out}", f"--chrome-flags={flags}"],
        env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", PAGES)
def test_seo_score_is_100(own_origin_server, tmp_path, path, capsys):
    if not LIGHTHOUSE.exists():
        missing(f"{LIGHTHOUSE} (run `npm ci`)")
    if not Path(CHROMIUM).exists():
        missing(CHROMIUM)
    report = lighthouse(own_origin_server + path, tmp_path / "report.json")
    category = report["categories"]["seo"]
    failing = [
        f"{ref['id']}: {report['audits'][ref['id']].get('title')}"
        for ref in category["auditRefs"]
        if ref.get("weight") and (report["audits"][ref["id"]].get("score") or 0) < 1
    ]
    with capsys.disabled():
        print(f"\nLighthouse {report['lighthouseVersion']} SEO {path}: "
              f"{round(category['score'] * 100)}")
    assert category["score"] == 1, failing
