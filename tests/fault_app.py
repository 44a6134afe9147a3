"""Test only: the portal with two injected faults whose exception text carries
everything the request sent, for the log-privacy tests to run on real servers.

- ``/<lang>/fault`` raises inside a view (Flask's crash path).
- ``/wsgi-fault…`` raises outside Flask, in WSGI middleware (the server's own crash
  report: werkzeug's "Error on request", gunicorn's "Error handling request").
"""

from __future__ import annotations

import os

from flask import g, request

from portal import create_app as portal_app


def _leak() -> str:
    return f"{request.full_path} {dict(request.headers)} {request.remote_addr}"


def create_app():
    app = portal_app({"PUBLIC_URL": os.environ.get("PORTAL_PUBLIC_URL") or
                      "https://portal.test"})

    def fault(lang):
        g.lang = app.extensions["i18n"].registry.get(lang)
        raise RuntimeError(_leak())

    app.add_url_rule("/<lang>/fault", "fault", fault)
    inner = app.wsgi_app

    def wsgi(environ, start_response):
        if environ.get("PATH_INFO", "").startswith("/wsgi-fault"):
            raise ValueError(f"{environ.get('PATH_INFO')} {environ.get('QUERY_STRING')} "
                             f"{environ.get('HTTP_USER_AGENT')} {environ.get('REMOTE_ADDR')}")
        return inner(environ, start_response)

    app.wsgi_app = wsgi
    return app

