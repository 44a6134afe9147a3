"""What every page shares: its language, the numbers to call, the draft notice."""

from __future__ import annotations

from flask import render_template

from ..delivery import send_html
from ..reader import get_reader
from ..render import to_html


def render_page(template: str, path: str, **context) -> str:
    reader = get_reader()
    return render_template(
        template,
        lang=reader.lang,
        path=path,
        registry=reader.i18n.registry,
        draft=reader.draft,
        tel=reader.tel,
        emergency=reader.emergency,
        helpline=reader.helpline,
        blocks=reader.blocks,
        to_html=to_html,
        partial_date=reader.partial_date,
        reader=reader,
        **context,
    )


def unavailable(status: int = 503):
    """A broken part: a clear page in the reader's language, never a 500."""
    return send_html(
        (get_reader().lang.code, "unavailable", status),
        lambda: render_page("pages/error.html", path="", status=status, kind="unavailable"),
        status=status,
    )
