"""Response headers that protect a reader who may be watched, on every response.

A strict CSP (scripts only from the portal, the one inline stylesheet by its hash),
no referrer, no cookies ever, and redirects that can only stay on the portal.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, abort, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

from .delivery import get_assets


def csp(style_hashes: list[str]) -> str:
    styles = " ".join(f"'sha256-{h}'" for h in style_hashes) or "'none'"
    return "; ".join(
        (
            "default-src 'none'",
            "script-src 'self'",
            f"style-src {styles}",
            "img-src 'self' data:",
            "form-action 'self'",
            # Only the portal itself. Nothing of ours fetches, but tools that read a
            # page the way search engines do (Lighthouse's robots.txt audit) fetch from
            # inside the page, and 'none' would block them.
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
        )
    )


HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def _keep_redirects_local(response):
    """Redirects go to the portal's own paths or the exit site, whatever the Host said.

    Werkzeug builds its slash redirects from the Host header; keep only the path.
    """
    location = response.headers.get("Location")
    if not location or location == current_app.config["EXIT_URL"]:
        return
    parts = urlsplit(location)
    if parts.scheme or parts.netloc or location.startswith("//"):
        path = "/" + parts.path.lstrip("/")
        response.headers["Location"] = path + (f"?{parts.query}" if parts.query else "")


def init_app(app: Flask):
    assets = get_assets(app)
    if app.config["TRUSTED_PROXIES"]:
        count = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)

    @app.before_request
    def _caps():
        """Size caps, enforced before anything parses the request."""
        environ = request.environ
        raw = len(environ.get("PATH_INFO", "")) + len(environ.get("QUERY_STRING", ""))
        if raw > current_app.config["MAX_URL_LENGTH"]:
            abort(414)
        length = request.content_length
        if length is not None and length > current_app.config["MAX_CONTENT_LENGTH"]:
            abort(413)

    @app.after_request
    def _secure(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        response.headers.setdefault("Content-Security-Policy", csp(assets.style_hashes))
        if current_app.config["HSTS"]:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        _keep_redirects_local(response)
        # Nothing the portal does needs a cookie, and one could give a reader away.
        response.headers.pop("Set-Cookie", None)
        while "Set-Cookie" in response.headers:
            del response.headers["Set-Cookie"]
        return response
