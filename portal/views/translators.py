"""Read-only views for translators: the state of every language, and a review view."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("translators", __name__, url_prefix="/translators")


def review_page(page):
    from flask import abort

    abort(404)
