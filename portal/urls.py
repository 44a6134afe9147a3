"""Absolute URLs. They come only from configuration (``PUBLIC_URL``), never from the
request: a Host header is whatever the sender typed."""

from __future__ import annotations

from flask import Flask, current_app

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
