"""Languages at run time: the registry, the catalogues, and Flask-Babel wired to both.

State lives in ``app.extensions["i18n"]`` (``get_i18n()``). The reader's language
always comes from the URL (the request's ``Reader``, ``portal/reader.py``); nothing
is remembered between requests.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.support import NullTranslations
from flask import Flask, g, has_request_context
from flask_babel import Babel, Domain, get_translations
from jinja2 import pass_context
from markupsafe import Markup, escape

from .catalogs import Catalog, CatalogStore
from .extensions import extension
from .locales import ENGLISH, Lang, Registry


@dataclass
class I18n:
    registry: Registry
    catalogs: CatalogStore

    def catalog(self, lang: Lang, domain: str) -> Catalog:
        return self.catalogs.get(lang, domain)

    def translate(self, lang: Lang, context: str | None, text: str) -> tuple[str, Lang]:
        """A content message in ``lang``, or its English source, with the language shown."""
        if lang.code == ENGLISH.code:
            return text, ENGLISH
        found = self.catalogs.get(lang, "content").lookup(context, text)
        if found:
            return found, lang
        return text, ENGLISH

    def is_draft(self, lang: Lang) -> bool:
        if lang.code == ENGLISH.code or lang.pseudo:
            return False
        return self.catalogs.get(lang, "messages").is_draft


class PortalDomain(Domain):
    """The ``messages`` domain, served from the quarantined catalogues.

    A translation that would raise when formatted (a placeholder the check did not
    know) falls back to the English string instead of becoming a 500.
    """

    def get_translations(self):
        lang = _request_lang()
        if lang is None:
            return NullTranslations()
        return get_i18n().catalogs.get(lang, "messages").translations

    def gettext(self, string, **variables):
        try:
            return super().gettext(string, **variables)
        except (KeyError, ValueError, TypeError, IndexError):
            return string % variables if variables else string

    def ngettext(self, singular, plural, num, **variables):
        try:
            return super().ngettext(singular, plural, num, **variables)
        except (KeyError, ValueError, TypeError, IndexError):
            variables.setdefault("num", num)
            return (singular if num == 1 else plural) % variables

    def pgettext(self, context, string, **variables):
        try:
            return super().pgettext(context, string, **variables)
        except (KeyError, ValueError, TypeError, IndexError):
            return string % variables if variables else string


def _request_lang() -> Lang | None:
    """The language of this request's reader (``portal/reader.py``), if any yet."""
    reader = g.get("reader") if has_request_context() else None
    return reader.lang if reader is not None else None


def _format(context, translated: str, source: str, variables: dict):
    if context.eval_ctx.autoescape:
        translated, source = Markup(translated), Markup(source)
    if not variables:
        return translated
    try:
        return translated % variables
    except (KeyError, ValueError, TypeError, IndexError):
        return source % variables


@pass_context
def _gettext(context, string, **variables):
    return _format(context, get_translations().ugettext(string), string, variables)


@pass_context
def _ngettext(context, singular, plural, num, **variables):
    variables.setdefault("num", num)
    translated = get_translations().ungettext(singular, plural, num)
    return _format(context, translated, singular if num == 1 else plural, variables)


@pass_context
def _pgettext(context, ctx, string, **variables):
    return _format(context, get_translations().upgettext(ctx, string), string, variables)


@pass_context
def _text(context, string, **variables):
    """A translation as escaped text, never markup: for the quick exit and the numbers
    to call, which no translation may change. Only the values (``tel()`` links) are
    markup; a quote or a tag in the translation stays text, even inside an attribute."""
    translated = get_translations().ugettext(string)
    if not variables:
        return escape(translated)
    try:
        return escape(translated) % variables
    except (KeyError, ValueError, TypeError, IndexError):
        return escape(string) % variables


def init_app(app: Flask):
    registry = Registry(pseudo=app.config["PSEUDO_LOCALES"])
    from .content import get_content

    content = get_content(app)

    from .pseudo import pseudo_catalog

    catalogs = CatalogStore(
        app.config["TRANSLATIONS_DIR"],
        registry.langs,
        phones=lambda: list(content.phonebook.by_number),
        reload_interval=app.config["RELOAD_INTERVAL"],
        pseudo_factory=pseudo_catalog,
    )
    app.extensions["i18n"] = I18n(registry, catalogs)

    def locale_selector():
        return (_request_lang() or ENGLISH).locale

    babel = Babel()
    babel.init_app(app, locale_selector=locale_selector, default_domain="messages")
    # Flask-Babel reads its default domain from this cached property; ours quarantines.
    babel.domain_instance = PortalDomain(domain="messages")
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    # Jinja's own newstyle gettext formats outside any guard; these fall back to
    # the English string instead of raising on a broken placeholder.
    app.jinja_env.globals.update(
        gettext=_gettext, _=_gettext, ngettext=_ngettext, pgettext=_pgettext, _t=_text
    )

    @app.before_request
    def _refresh_catalogs():
        catalogs.refresh()


def get_i18n(app: Flask | None = None) -> I18n:
    return extension("i18n", app)
