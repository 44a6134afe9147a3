"""Error pages in the reader's language: the right 4xx for a bad request, 503 for a
broken part, each with the numbers to call and a way back."""

from __future__ import annotations

import logging

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException, InternalServerError

from ..delivery import send_html
from ..i18n import get_i18n
from ..logs import describe
from ..reader import use_reader
from .layout import render_page
from .locale import UnknownLanguage

log = logging.getLogger(__name__)
# Sent only when rendering itself has failed, so it depends on nothing else, not even
# the content store: the numbers are typed here on purpose, and a test holds them to
# the roles in content/contacts.yaml.
EMERGENCY = "999"
HELPLINE = "08000 121 700"
FALLBACK = (f'<!doctype html><html lang="en"><title>Error</title><p><a href="/exit">Exit</a>'
            f'<p>Something is not working. In an emergency call {EMERGENCY}. Modern '
            f'Slavery Helpline: {HELPLINE}.<p><a href="/">Home</a></html>')


def reader_lang():
    """The language of the URL if it names one, else the browser's, else English."""
    reader = g.get("reader")
    if reader is not None:
        return reader.lang
    registry = get_i18n().registry
    segment = request.path.split("/")[1] if request.path.count("/") >= 1 else ""
    lang = registry.resolve(segment[:40]) if segment else None
    return lang or registry.negotiate(request.headers.get("Accept-Language"))


def error_page(status: int, kind: str = ""):
    lang = use_reader(reader_lang()).lang
    return send_html(
        (lang.code, "error", status, kind),
        lambda: render_page("pages/error.html", path="", status=status, kind=kind),
        status=status,
    )


def init_app(app: Flask):
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if exc.code is None or exc.code < 400:
            return exc
        kind = "language" if isinstance(exc, UnknownLanguage) else ""
        response = error_page(exc.code, kind)
        if exc.code == 405:
            allowed = exc.get_headers()
            for name, value in allowed:
                if name.lower() == "allow":
                    response.headers["Allow"] = value
        return response

    @app.errorhandler(InternalServerError)
    def _server_error(exc):
        # The crash is logged already, without the request (portal/logs.py).
        try:
            return error_page(500)
        except Exception as failure:
            # The error page itself broke: a bare page rather than the server's own
            # report, which would log the request with the traceback.
            log.error("error page failed: %s", describe(failure))
            return Response(FALLBACK, status=500, content_type="text/html; charset=utf-8",
                            headers={"Cache-Control": "no-store"})
