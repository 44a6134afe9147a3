"""Babel extractors for ``content/``: every block becomes a message of the ``content``
domain, with a context naming where it comes from (``page:<slug>``, ``service:<id>``).

Registered under the ``babel.extractors`` entry point (``setup.cfg``) and mapped in
``babel.cfg``.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from . import termbase
from .blocks import Block
from .checks import EMAIL, LINK_TARGET, PLACEHOLDER, URL
from .pages import parse_page
from .phones import PHONE_LIKE
from .services import parse_service

KIND_NOTES = {
    "title": "page title",
    "summary": "one-line summary",
    "h2": "heading",
    "h3": "heading",
    "h4": "heading",
    "p": "paragraph",
    "ul": "list item",
    "ol": "numbered list item",
    "field": "service field",
    "synonym": ("search synonyms: before the colon, words a reader may type (separated "
                "by commas); after it, the words this language's pages use for them. "
                "Translate both sides as readers and pages in your language say it; keep "
                "the colon and the commas"),
}


def translator_notes(block: Block) -> list[str]:
    """Extracted comments: what the block is, what must not change, which terms it uses."""
    notes = [KIND_NOTES.get(block.kind, block.kind) + (f" ({block.name})" if block.name else "")]
    return notes + keep_notes(block.text) + term_notes(block.text)


def term_notes(text: str) -> list[str]:
    """Name the termbase's terms in the entry, so Poedit and Weblate show them."""
    from .config import ROOT

    return termbase.for_directory(ROOT / "translations").notes_for(text)


def keep_notes(text: str) -> list[str]:
    """Tell translators which numbers, links and placeholders must stay as they are."""
    keep = []
    keep += PHONE_LIKE.findall(text)
    keep += [m for m in _short_numbers(text) if m not in " ".join(keep)]
    keep += URL.findall(text) + EMAIL.findall(text)
    keep += [f"({target})" for target in LINK_TARGET.findall(text)]
    keep += [m.group(0) for m in PLACEHOLDER.finditer(text) if m.group(0).startswith("%")]
    notes = []
    if keep:
        notes.append("Keep exactly as in English: " + "; ".join(dict.fromkeys(keep)))
    if "{" in text:
        notes.append("Keep {names} in braces as they are: the site fills them in.")
    return notes


def _short_numbers(text: str) -> list[str]:
    import re

    return re.findall(r"(?<![\w.])\d+(?![\w])", text)


def _emit(blocks):
    for block in blocks:
        yield block.line or 1, "pgettext", (block.context, block.text), translator_notes(block)


def extract_content(fileobj, keywords, comment_tags, options):
    """Pages and news items: Markdown with front matter."""
    name = getattr(fileobj, "name", "page.md")
    path = Path(name)
    kind = "news" if path.parent.name == "news" else "page"
    page = parse_page(fileobj.read().decode("utf-8"), path.stem, path, kind=kind)
    yield from _emit(page.blocks)


def extract_synonyms(fileobj, keywords, comment_tags, options):
    """The search's reviewed synonyms (``content/synonyms.yaml``): one message each."""
    from .search.synonyms import parse_file

    yield from _emit(parse_file(fileobj.read().decode("utf-8")))


def extract_services(fileobj, keywords, comment_tags, options):
    """Service records: the fields a reader sees in their language."""
    name = getattr(fileobj, "name", "service.yaml")
    data = yaml.safe_load(fileobj.read().decode("utf-8"))
    service = parse_service(data, Path(name).stem, name)
    yield from _emit(service.blocks)
