"""Constants and small helpers shared by the browser tests (fixtures are in conftest)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler

from portal.config import ROOT

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
AXE_JS = Path(ROOT) / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = Path(ROOT) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# The WCAG 2.0, 2.1 and 2.2 A and AA rules.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# A left-to-right, a right-to-left and a Chinese page, as issue 5 asks.
LANGS = ["en", "ar", "zh-hans"]
NEUTRAL_TITLE = "Weather forecast"


def missing(what: str):
    """Skip, or fail when CI requires the browser tests to run (PORTAL_REQUIRE_BROWSER=1)."""
    if os.environ.get("PORTAL_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{what} is missing and PORTAL_REQUIRE_BROWSER=1", pytrace=False)
    pytest.skip(f"{what} is missing")


class Quiet(WSGIRequestHandler):
    """A test server's request handler that logs nothing."""

    def log_request(self, *args, **kwargs):
        pass
