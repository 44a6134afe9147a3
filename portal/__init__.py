"""The portal: help on modern slavery and exploitation, in the languages victims speak."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

from flask import Flask

from .app import Portal
from .config import ROOT, defaults


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: defaults, instance config, ``PORTAL_*`` variables, test overrides."""
    # Portal: a Flask whose crash log and redirects carry nothing a visitor sent.
    app = Portal(
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

    for name in SETUP_ORDER:
        importlib.import_module(f".{name}", __name__).init_app(app)
    return app


# The order subsystems are set up in, each after those it uses: i18n reads the
# content's phone book, delivery caches by content and catalogue generations,
# security needs delivery's stylesheet hash, search the language registry, views all
# of them; caching wraps what delivery sends; search's slots come after search. An
# accessor used too early raises ``NotSetUp`` (portal/extensions.py).
SETUP_ORDER = ("content", "i18n", "delivery", "caching", "security", "search", "slots",
               "seo", "views", "cli")
