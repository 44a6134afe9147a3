"""The reader: what a reader of one language sees.

Built once per request from the URL's language (``use_reader``), or for any language
outside a request (``reader_for``: the search index, the freeze). It is the one place
that turns blocks and interface strings into what that reader sees: the translation
or the English, marked as English; listed numbers as ``tel:`` links; the values
content may name in braces; the side-by-side partner. Views, the news feed, the
languages page, the translators' review view and the search index all ask it, so the
index holds the text the pages show by construction.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from flask import Flask, current_app, g, has_request_context
from markupsafe import Markup, escape

from .content import ContentStore, get_content
from .dates import local_date, partial_date
from .i18n import I18n, get_i18n
from .locales import ENGLISH, Lang
from .render import Rendered, render_block, to_html

# Contacts every page shows, by their role in content/contacts.yaml.
EMERGENCY_ROLE = "emergency"
HELPLINE_ROLE = "helpline"
SIDE_BY_SIDE_CAP = 16  # characters of ?with= read


@dataclass
class Reader:
    """One language's view of the content and the interface."""

    lang: Lang
    i18n: I18n
    store: ContentStore
    training_email: str = ""
    contact_email: str = ""

    # Interface strings ---------------------------------------------------------------
    def ui(self, text: str, **values) -> tuple[str, Lang]:
        """An interface string as this reader sees it, and the language it is in."""
        shown = self.i18n.catalog(self.lang, "messages").translations.ugettext(text)
        shown_lang = self.lang if shown != text or self.lang.code == ENGLISH.code else ENGLISH
        if values:
            try:
                shown = shown % values
            except (KeyError, ValueError, TypeError, IndexError):
                shown, shown_lang = text % values, ENGLISH
        return shown, shown_lang

    def gettext(self, text: str, **values) -> str:
        return self.ui(text, **values)[0]

    @property
    def draft(self) -> bool:
        return self.i18n.is_draft(self.lang)

    # Content -------------------------------------------------------------------------
    @cached_property
    def fill(self) -> dict:
        """Values content may name in braces: e-mail addresses from configuration only, and
        counts from the language registry, so a new language leaves the prose untouched."""
        values = {"language_count": str(len(self.i18n.registry.public))}
        for key, email in (("training_email", self.training_email),
                           ("contact_email", self.contact_email)):
            email = (email or "").strip()
            values[key] = (f"[{email}](mailto:{email})" if email else
                           self.gettext("its e-mail address is not published yet"))
        return values

    def block(self, block) -> Rendered:
        """One block: its translation, or the English marked as English."""
        return render_block(block, self.lang, self.i18n, self.store.phonebook, self.fill)

    def blocks(self, blocks, in_lang: Lang | None = None) -> list[Rendered]:
        """Blocks as this reader (or, side by side, the reader of ``in_lang``) sees them."""
        reader = self if in_lang is None or in_lang.code == self.lang.code else self.other(in_lang)
        return [reader.block(b) for b in blocks]

    def html(self, rendered: list[Rendered]) -> Markup:
        return to_html(rendered, self.lang)

    def other(self, lang: Lang) -> Reader:
        """The reader of another language, over the same content and catalogues."""
        return Reader(lang, self.i18n, self.store, self.training_email, self.contact_email)

    def partner(self, code: str | None) -> Lang | None:
        """The side-by-side language ``?with=`` names, when it is another known one."""
        code = (code or "")[:SIDE_BY_SIDE_CAP]
        if not code:
            return None
        partner = self.i18n.registry.get(code.lower())
        if partner is None or partner.code == self.lang.code:
            return None
        return partner

    # Numbers and dates ---------------------------------------------------------------
    def tel(self, number: str) -> Markup:
        """A listed number as a ``tel:`` link, isolated from the text direction. The phone
        book decides what is dialable: keys pressed during a call ("55") read "press 55"."""
        book = self.store.phonebook
        shown = book.link(number)
        if book.dialable(number) or number not in book:
            return shown
        # The translation is untrusted: escaped, with the number put in afterwards.
        return escape(self.gettext("press %(keys)s")) % {"keys": shown}

    @property
    def emergency(self) -> str:
        return self.store.phonebook.role(EMERGENCY_ROLE)

    @property
    def helpline(self) -> str:
        return self.store.phonebook.role(HELPLINE_ROLE)

    def date(self, value) -> str:
        return local_date(value, self.lang)

    def partial_date(self, value) -> str | None:
        return partial_date(value, self.lang)


def reader_for(lang: Lang, app: Flask | None = None) -> Reader:
    """The reader of ``lang`` over an app's content (outside a request too)."""
    app = app or current_app
    return Reader(lang, get_i18n(app), get_content(app), app.config["TRAINING_EMAIL"] or "",
                  app.config["CONTACT_EMAIL"] or "")


def use_reader(lang: Lang) -> Reader:
    """Make the reader of ``lang`` this request's reader."""
    g.reader = reader = reader_for(lang)
    return reader


def get_reader() -> Reader:
    """This request's reader: the URL's language, or English before one is known."""
    reader = g.get("reader") if has_request_context() else None
    if reader is None:
        return reader_for(ENGLISH)
    return reader
