"""Who may keep a copy of a response: the rules, in one place.

- A reader's device keeps no page (``Cache-Control: no-store``): a watched phone should
  hold no trace of what was read. Fingerprinted scripts are the exception (a year).
- A shared cache (a CDN, nginx) may keep a page for five minutes only when its content
  follows from the URL path alone: a 200 (or its 304), asked for without a query
  string, from a view that is not private (search).
- Everything else, above all whatever depends on what a reader typed (search, ``?with=``,
  ``?review=``, filters, any query string at all) and every error or redirect, is
  ``no-store`` for browsers and CDNs alike. The frozen nginx sends every URL with a
  query string to the app and stores nothing (``portal/freeze.py``).
"""

from __future__ import annotations

from flask import Flask, current_app, request

from .params import declared

NO_STORE = "no-store"
# CDN-Cache-Control (RFC 9213): for shared caches only; browsers ignore it.
SHARED = "public, max-age=300"


def depends_on_more_than_the_path() -> bool:
    if request.query_string:
        return True
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return view is not None and declared(view).private


def apply(response):
    if response.status_code not in (200, 304) or depends_on_more_than_the_path():
        response.headers["Cache-Control"] = NO_STORE
        response.headers["CDN-Cache-Control"] = NO_STORE
    elif response.mimetype == "text/html":
        response.headers["Cache-Control"] = NO_STORE
        response.headers.setdefault("CDN-Cache-Control", SHARED)
    return response


def init_app(app: Flask):
    app.after_request(apply)
