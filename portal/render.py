"""Blocks to safe HTML in the reader's language.

Markdown is rendered with markdown-it-py (no raw HTML), then sanitised with nh3, so
no translation can carry markup beyond what its source allows. Listed phone numbers
become ``tel:`` links isolated from the text's direction, and in right-to-left text
a bracketed English term is isolated too, so a line break cannot reorder its pieces.
A block without a safe translation is shown in English with ``lang="en" dir="ltr"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import nh3
from markupsafe import Markup, escape

from .blocks import Block, markdown
from .locales import ENGLISH, Lang
from .phones import PhoneBook

INTERNAL = re.compile(r"^[a-z0-9][a-z0-9-]*(?:/[a-z0-9][a-z0-9-]*)?(?:#[a-z0-9-]+)?$")
ALLOWED_TAGS = {"a", "strong", "em", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href", "rel"}}
URL_SCHEMES = {"http", "https", "mailto"}

_MD = markdown()


def _link_open(renderer, tokens, idx, options, env):
    token = tokens[idx]
    href = token.attrGet("href") or ""
    if INTERNAL.match(href):
        token.attrSet("href", f"/{env['code']}/{href}")
    elif href.startswith(("http://", "https://")):
        token.attrSet("rel", "noreferrer")
    return renderer.renderToken(tokens, idx, options, env)


_MD.add_render_rule("link_open", _link_open)


@lru_cache(maxsize=32768)
def _inline_html(text: str, code: str) -> str:
    html = _MD.renderInline(text, {"code": code})
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )


def render_inline(text: str, code: str, phonebook: PhoneBook | None = None) -> Markup:
    """One block's Markdown as sanitised inline HTML, with phone numbers linked."""
    html = _inline_html(text, code)
    if phonebook is not None:
        html = phonebook.linkify_html(html)
    return Markup(html)


# A bracketed run of Latin-script text, as it appears in sanitised HTML text: "(NRM)",
# "(Modern Slavery &amp; Exploitation Helpline)". No "<" or ">" can be inside.
LATIN_IN_BRACKETS = re.compile(
    r"\((?=[^()<>]*[A-Za-z])[A-Za-z0-9][A-Za-z0-9 .,:;&#'\u2019/\u2010-\u2014-]*\)")


def isolate_latin(html: str) -> str:
    """Wrap each bracketed Latin term in the text of sanitised HTML in ``<bdi dir="ltr">``.

    Only text between tags changes (never a tag or an attribute), and only with fixed
    markup around text that is already escaped, so the sanitiser's guarantees hold.
    """
    pieces = re.split(r"(<[^>]*>)", html)
    for i, piece in enumerate(pieces):
        if piece and not piece.startswith("<"):
            pieces[i] = LATIN_IN_BRACKETS.sub(lambda m: f'<bdi dir="ltr">{m.group(0)}</bdi>',
                                              piece)
    return "".join(pieces)


def isolate_latin_for(value, lang: Lang) -> Markup:
    """Template filter: an interface string (escaped if it is not markup already) with its
    bracketed Latin terms isolated when ``lang`` is right-to-left."""
    html = escape(value)
    return Markup(isolate_latin(str(html))) if lang.dir == "rtl" else html


@dataclass
class Rendered:
    """One block as a reader sees it: its HTML and the language it is really in."""

    block: Block
    html: Markup
    lang: Lang  # the language of the text shown (English when it fell back)
    state: str  # "source", "translated" or "fallback"

    def lang_attrs(self, page_lang: Lang) -> Markup:
        """``lang``/``dir`` attributes when this block's language differs from the page's."""
        if self.lang.code == page_lang.code:
            return Markup("")
        return Markup(' lang="{}" dir="{}"').format(self.lang.bcp47, self.lang.dir)


def render_block(block: Block, lang: Lang, i18n, phonebook: PhoneBook, fill=None) -> Rendered:
    text, shown = i18n.translate(lang, block.context, block.text)
    if fill:
        text = _fill(text, fill)
    state = "source" if lang.code == ENGLISH.code else (
        "translated" if shown.code == lang.code else "fallback")
    # Links in an English fallback still lead to the reader's language.
    html = render_inline(text, lang.code, phonebook)
    if shown.dir == "rtl":
        html = Markup(isolate_latin(html))
    return Rendered(block, html, shown, state)


def _fill(text: str, values: dict) -> str:
    """Configuration values in content ({training_email}); unknown names stay as they are."""
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), text)


def to_html(rendered: list[Rendered], page_lang: Lang) -> Markup:
    """Rendered blocks as HTML, list items grouped into their lists."""
    out: list[str] = []
    open_group = None
    for item in rendered:
        block = item.block
        group = (block.kind, block.group) if block.is_list_item else None
        if group != open_group:
            if open_group:
                out.append(f"</{open_group[0]}>")
            if group:
                out.append(f"<{group[0]}>")
            open_group = group
        tag = block.tag
        out.append(f"<{tag}{item.lang_attrs(page_lang)}>{item.html}</{tag}>")
    if open_group:
        out.append(f"</{open_group[0]}>")
    return Markup("".join(out))


def text_of(rendered: Rendered) -> str:
    """Plain text of a rendered block (for titles and search)."""
    return rendered.html.striptags()
