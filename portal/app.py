"""The portal's Flask: two of Flask's defaults would write down what a visitor sent."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import RequestRedirect

from .logs import log_crash
from .urls import relative_redirect


class Portal(Flask):
    def log_exception(self, exc_info) -> None:
        """A crash: its class, the endpoint and a fault id, never the request."""
        log_crash(exc_info[1])

    def raise_routing_exception(self, request):
        """Slash redirects relative, never built from the Host header."""
        if isinstance(request.routing_exception, RequestRedirect):
            relative_redirect(request.routing_exception)
        super().raise_routing_exception(request)
