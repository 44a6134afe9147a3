"""What every page shares: its language, the numbers to call, the draft notice."""

from __future__ import annotations

from flask import current_app, g, render_template, request
from markupsafe import Markup

from ..content import get_content
from ..dates import partial_date
from ..delivery import send_html
from ..i18n import get_i18n
from ..locales import ENGLISH
from ..render import render_blocks, to_html

EMERGENCY = "999"
HELPLINE = "08000 121 700"


def fill_values() -> dict:
    """Values content may name in braces: e-mail addresses from configuration only, and
    counts from the language registry, so a new language leaves the prose untouched."""
    from flask_babel import gettext

    values = {"language_count": str(len(get_i18n().registry.public))}
    email = (current_app.config.get("TRAINING_EMAIL") or "").strip()
    if email:
        values["training_email"] = f"[{email}](mailto:{email})"
    else:
        values["training_email"] = gettext("its e-mail address is not published yet")
    contact = (current_app.config.get("CONTACT_EMAIL") or "").strip()
    if contact:
        values["contact_email"] = f"[{contact}](mailto:{contact})"
    else:
        values["contact_email"] = gettext("its e-mail address is not published yet")
    return values


def page_blocks(blocks, lang, i18n=None, store=None):
    i18n = i18n or get_i18n()
    store = store or get_content()
    return render_blocks(blocks, lang, i18n, store.phonebook, fill_values())


def tel(number: str) -> Markup:
    """A listed number as a ``tel:`` link, isolated from the text direction."""
    return get_content().phonebook.link(number)


def side_by_side_partner():
    """The language of ``?with=``, when it names another known language."""
    code = request.args.get("with", "")[:16]
    if not code:
        return None
    partner = get_i18n().registry.get(code.lower())
    if partner is None or partner.code == g.lang.code:
        return None
    return partner


def render_page(template: str, path: str, **context) -> str:
    i18n = get_i18n()
    lang = getattr(g, "lang", ENGLISH)
    return render_template(
        template,
        lang=lang,
        path=path,
        registry=i18n.registry,
        draft=i18n.is_draft(lang),
        tel=tel,
        emergency=EMERGENCY,
        helpline=HELPLINE,
        blocks=lambda blocks, in_lang=None: page_blocks(blocks, in_lang or lang),
        to_html=to_html,
        partial_date=lambda value: partial_date(value, lang),
        **context,
    )


def unavailable(status: int = 503):
    """A broken part: a clear page in the reader's language, never a 500."""
    return send_html(
        (getattr(g, "lang", ENGLISH).code, "unavailable", status),
        lambda: render_page("pages/error.html", path="", status=status, kind="unavailable"),
        status=status,
    )
