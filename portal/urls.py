"""Absolute URLs. They come only from configuration (``PUBLIC_URL``), never from the
request: a Host header is whatever the sender typed."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, abort, current_app, redirect
from werkzeug.routing import RequestRedirect

# Development only: `make run` sets PUBLIC_URL to its own address; production commands
# refuse to start without an https:// PUBLIC_URL.
DEVELOPMENT_ORIGIN = "http://127.0.0.1:5000"


def public_origin(app: Flask | None = None) -> str:
    """The site's absolute origin, without a trailing slash."""
    app = app or current_app
    return (app.config.get("PUBLIC_URL") or DEVELOPMENT_ORIGIN).rstrip("/")


def public_url(path: str = "/", app: Flask | None = None) -> str:
    """``path`` (site-relative) as an absolute URL on the configured origin."""
    return public_origin(app) + "/" + path.lstrip("/")


class MissingPublicUrl(ValueError):
    """PUBLIC_URL unset or not a plain https:// origin where production needs one."""


def require_public_url(value) -> str:
    """The origin production serves from, or a clear reason why ``value`` is not one.
    ``flask freeze`` and ``make serve`` (gunicorn) call this before doing anything."""
    if not value:
        raise MissingPublicUrl(
            "PUBLIC_URL is not set: the feed and the card need the site's own address. "
            "Set PORTAL_PUBLIC_URL=https://your.domain (or PUBLIC_URL in "
            "instance/config.py).")
    text = str(value).strip().rstrip("/")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        parts = None
    if (parts is None or parts.scheme != "https" or not parts.hostname
            or parts.path or parts.query or parts.fragment or parts.username
            or parts.password or not text.isascii() or any(c.isspace() for c in text)):
        raise MissingPublicUrl(
            f"PUBLIC_URL must be the site's https:// origin (https://your.domain, "
            f"no path), not {text[:80]!r}.")
    return text


def relative_redirect(exc: RequestRedirect):
    """Werkzeug's own redirects (``/en`` to ``/en/``) name the Host header in their
    Location and body: raise the same redirect, relative."""
    parts = urlsplit(exc.new_url)
    abort(redirect(parts.path + (f"?{parts.query}" if parts.query else ""), exc.code))
