"""Where each subsystem keeps its state: ``app.extensions[name]``, read only through
the subsystem's accessor (``get_content()``, ``get_i18n()`` …), which says clearly
when the subsystem is not set up (``SETUP_ORDER`` in ``portal/__init__.py``)."""

from __future__ import annotations

from flask import Flask, current_app


class NotSetUp(RuntimeError):
    """A subsystem was used before ``create_app`` set it up."""


def extension(name: str, app: Flask | None = None):
    app = app or current_app
    try:
        return app.extensions[name]
    except KeyError:
        raise NotSetUp(f"{name!r} is not set up yet: create_app sets up subsystems in "
                       f"SETUP_ORDER (portal/__init__.py)") from None
