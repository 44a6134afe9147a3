"""The quick exit: one server hop that clears what it can and leaves for a neutral site."""

from flask import Blueprint, Response, current_app

bp = Blueprint("exit", __name__)


@bp.route("/exit")
def leave():
    """Leave for the configured neutral site, whatever the request says."""
    response = Response(status=303)
    response.headers["Location"] = current_app.config["EXIT_URL"]
    # Not "cache": clearing the cache can freeze Chrome for seconds.
    response.headers["Clear-Site-Data"] = '"cookies", "storage"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
