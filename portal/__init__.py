"""The portal: help on modern slavery and exploitation, in the languages victims speak."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask

from .config import ROOT, defaults


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: defaults, instance config, ``PORTAL_*`` variables, test overrides."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=None,
    )
    app.config.from_mapping(defaults())
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("PORTAL")
    if test_config:
        app.config.update(test_config)
    for key in ("CONTENT_DIR", "TRANSLATIONS_DIR", "INDEX_DIR", "STATIC_DIR"):
        app.config[key] = str(Path(app.config[key]).resolve())
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = app.config["TRANSLATIONS_DIR"]
    # Sessions are never used: no key means Flask cannot sign (or set) one.
    app.config["SECRET_KEY"] = None
    logging.getLogger("portal").setLevel(logging.INFO)

    from . import cli, content, delivery, i18n, search, security, seo, views

    content.init_app(app)
    i18n.init_app(app)
    delivery.init_app(app)
    security.init_app(app)
    search.init_app(app)
    seo.init_app(app)
    views.init_app(app)
    cli.init_app(app)
    return app
