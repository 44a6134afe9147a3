"""Read-only views for translators: the state of every language, and a review view.

Nothing here edits a catalogue; translators work in their PO files (Poedit, Weblate)
and these pages show what a reader will get.
"""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Blueprint, current_app, render_template

from .. import pofiles, termbase
from ..catalogs import DOMAINS
from ..content import get_content
from ..i18n import get_i18n
from ..locales import ENGLISH
from ..reader import get_reader, reader_for
from ..render import render_inline

bp = Blueprint("translators", __name__, url_prefix="/translators")

_cache: dict = {}
_lock = threading.Lock()


def _po_state(lang, domain):
    """Counts per catalogue and per context, re-read only when the PO file changes."""
    directory = Path(current_app.config["TRANSLATIONS_DIR"])
    path = pofiles.po_path(directory, lang, domain)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = None
    key = (str(directory), lang.code, domain)
    with _lock:
        hit = _cache.get(key)
        if hit and hit[0] == stamp:
            return hit[1]
    phones = list(get_content().phonebook.by_number)
    totals, per_context = pofiles.count(directory, lang, domain, phones, by_context=True)
    fuzzy = set()
    if path.exists():
        for message in pofiles.read_catalog(path, lang):
            if message.id and message.fuzzy:
                fuzzy.add((message.context, message.id))
    state = (totals, per_context, fuzzy)
    with _lock:
        _cache[key] = (stamp, state)
    return state


@bp.route("/")
def overview():
    """Every language and domain: translated, fuzzy, untranslated, failing; per page too."""
    i18n = get_i18n()
    store = get_content()
    rows = []
    for lang in i18n.registry.public:
        if lang.code == "en":
            continue
        domains = {domain: _po_state(lang, domain) for domain in DOMAINS}
        catalog = i18n.catalog(lang, "messages")
        rows.append((lang, domains, catalog))
    response = current_app.make_response(render_template(
        "translators/overview.html", rows=rows, pages=store.sorted_pages(), lang=None,
        services=sorted(store.services), registry=i18n.registry, **_numbers(),
    ))
    response.headers["Cache-Control"] = "no-store"
    return response


def _numbers() -> dict:
    """The numbers the translators' pages show, as every page does (in English)."""
    english = reader_for(ENGLISH)
    return {"tel": english.tel, "emergency": english.emergency, "helpline": english.helpline}


@bp.route("/terms")
def terms():
    """The termbase: approved, forbidden and avoided renderings, and notes."""
    i18n = get_i18n()
    langs = [lang for lang in i18n.registry.public if lang.code != "en"]
    response = current_app.make_response(render_template(
        "translators/terms.html", lang=None, langs=langs,
        terms=termbase.for_directory(current_app.config["TRANSLATIONS_DIR"]).terms,
        **_numbers(),
    ))
    response.headers["Cache-Control"] = "no-store"
    return response


def block_state(lang, block, catalog, fuzzy) -> str:
    if lang.code == "en":
        return "source"
    if catalog.lookup(block.context, block.text):
        return "translated"
    if (block.context, block.text) in catalog.quarantined:
        return "quarantined"
    if (block.context, block.text) in fuzzy:
        return "fuzzy"
    return "missing"


def review_page(page):
    """A page with each block marked translated, fuzzy, missing or quarantined."""
    reader = get_reader()
    lang = reader.lang
    catalog = reader.i18n.catalog(lang, "content")
    fuzzy = _po_state(lang, "content")[2] if lang.code != "en" else set()
    phonebook = reader.store.phonebook
    rows = []
    for block in page.blocks:
        state = block_state(lang, block, catalog, fuzzy)
        shown = reader.block(block)
        rows.append({
            "block": block,
            "state": state,
            "source": render_inline(block.text, lang.code, phonebook),
            "shown": shown.html,
            "shown_lang": shown.lang,
            "problems": catalog.quarantined.get((block.context, block.text), []),
        })
    response = current_app.make_response(render_template(
        "translators/review.html", lang=lang, page=page, rows=rows,
        registry=reader.i18n.registry, **_numbers(),
    ))
    response.headers["Cache-Control"] = "no-store"
    return response
