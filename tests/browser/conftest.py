"""Real-browser fixtures: Debian's /usr/bin/chromium through pytest-playwright (never
``playwright install``), the portal on a live local server, and a neutral page for the
quick exit to land on, so no test touches the internet.

Without /usr/bin/chromium (or java, for the HTML checker) the tests skip, unless
``PORTAL_REQUIRE_BROWSER=1`` (CI) makes them fail instead.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from browser_support import (
    AXE_JS,
    AXE_TAGS,
    CHROMIUM,
    CHROMIUM_ARGS,
    NEUTRAL_TITLE,
    VNU_JAR,
    Quiet,
    missing,
)
from werkzeug.serving import make_server

from portal import create_app


class LiveServer:
    """A WSGI app served on 127.0.0.1 at a free port, from a daemon thread."""

    def __init__(self, wsgi_app):
        self.server = make_server("127.0.0.1", 0, wsgi_app, threaded=True,
                                  request_handler=Quiet)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def neutral_app(environ, start_response):
    """Stands in for the neutral site (BBC Weather in production)."""
    body = (f"<!doctype html><html lang=en><title>{NEUTRAL_TITLE}</title>"
            "<h1>Weather</h1><p>Sunny spells.</p></html>").encode()
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                              ("Content-Length", str(len(body)))])
    return [body]


@pytest.fixture(scope="session")
def neutral():
    server = LiveServer(neutral_app)
    yield server.url + "/weather"
    server.stop()


@pytest.fixture(scope="session")
def portal_app(neutral):
    return create_app({"TESTING": True, "EXIT_URL": neutral, "PSEUDO_LOCALES": True})


@pytest.fixture(scope="session")
def live_server(portal_app):
    server = LiveServer(portal_app)
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def base_url(live_server):
    """Lets tests call ``page.goto("/en/")``."""
    return live_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        missing(CHROMIUM)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_JS.exists():
        missing(f"{AXE_JS} (run `npm ci`)")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def axe(axe_source):
    """``axe(page)`` -> the WCAG A/AA violations on the page (needs JavaScript on).

    The portal's CSP forbids injected script tags, so axe is evaluated through the
    DevTools protocol, which the CSP does not govern.
    """

    def run(page):
        if not page.evaluate("typeof axe !== 'undefined'"):
            page.evaluate(axe_source)
        return page.evaluate(
            """tags => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']})
            .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': '
                                                + n.failureSummary)})))""",
            AXE_TAGS,
        )

    return run


@pytest.fixture(scope="session")
def vnu():
    """The command that runs the Nu HTML checker with the system java."""
    java = shutil.which("java")
    if java is None:
        missing("java")
    if not VNU_JAR.exists():
        missing(f"{VNU_JAR} (run `npm ci`)")
    return [java, "-jar", str(VNU_JAR)]


@pytest.fixture(scope="session")
def translated(portal_app):
    """``translated(lang_code, message)``: what the portal's catalogue gives."""
    i18n = portal_app.extensions["i18n"]

    def lookup(lang_code: str, message: str) -> str:
        lang = i18n.registry.get(lang_code)
        return i18n.catalog(lang, "messages").translations.ugettext(message)

    return lookup
