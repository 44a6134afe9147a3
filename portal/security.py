"""Response headers that protect a reader who may be watched, on every response.

A strict CSP (scripts only from the portal, the one inline stylesheet by its hash),
no referrer, no cookies ever, and redirects that can only stay on the portal.
"""

from __future__ import annotations

from flask import Flask, current_app
from werkzeug.middleware.proxy_fix import ProxyFix


def csp(style_hashes: list[str]) -> str:
    styles = " ".join(f"'sha256-{h}'" for h in style_hashes) or "'none'"
    return "; ".join(
        (
            "default-src 'none'",
            "script-src 'self'",
            f"style-src {styles}",
            "img-src 'self' data:",
            "form-action 'self'",
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


def init_app(app: Flask):
    if app.config["TRUSTED_PROXIES"]:
        count = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)

    @app.after_request
    def _secure(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        assets = current_app.extensions["assets"]
        response.headers.setdefault("Content-Security-Policy", csp(assets.style_hashes))
        if current_app.config["HSTS"]:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        # Nothing the portal does needs a cookie, and one could give a reader away.
        response.headers.pop("Set-Cookie", None)
        while "Set-Cookie" in response.headers:
            del response.headers["Set-Cookie"]
        return response
