"""The block: the one unit that extraction, checks, rendering, side by side and search share.

A page or a service record is a list of blocks (a title, a summary, a heading, a
paragraph, a list item). Each block's Markdown source is one message of the
``content`` domain, and its context says where it comes from (``page:<slug>``).
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt

# Block kinds, and the HTML element each becomes.
TAGS = {
    "title": "h1",
    "summary": "p",
    "h2": "h2",
    "h3": "h3",
    "h4": "h4",
    "p": "p",
    "ul": "li",
    "ol": "li",
    "field": "p",
}

# The Markdown a content file may use. Anything else is reported by the content
# check, because translators and the renderer only know these shapes.
_ALLOWED_BLOCK_TOKENS = {
    "heading_open",
    "heading_close",
    "paragraph_open",
    "paragraph_close",
    "inline",
    "bullet_list_open",
    "bullet_list_close",
    "ordered_list_open",
    "ordered_list_close",
    "list_item_open",
    "list_item_close",
}


class SegmentError(ValueError):
    """Markdown that the block model cannot hold (tables, HTML, nested lists …)."""


@dataclass(frozen=True)
class Block:
    """One translatable unit of a page."""

    kind: str  # a key of TAGS
    text: str  # Markdown inline source: the msgid
    context: str  # msgctxt: "page:get-help-now", "service:helpline"
    group: int = 0  # consecutive list items with the same group form one list
    line: int = 0  # source line, for extraction comments and error messages
    name: str = ""  # for service fields: which field ("description", "schedule" …)

    @property
    def tag(self) -> str:
        return TAGS[self.kind]

    @property
    def is_list_item(self) -> bool:
        return self.kind in ("ul", "ol")


def markdown() -> MarkdownIt:
    """The Markdown dialect of the portal: CommonMark, no raw HTML, no tables."""
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


_MD = markdown()


def normalise(text: str) -> str:
    """One message per block: collapse the soft line breaks of a wrapped paragraph."""
    return " ".join(text.split())


def segment(body: str, context: str, line_offset: int = 0) -> list[Block]:
    """Split a Markdown body into blocks.

    :raise SegmentError: on Markdown outside the portal's dialect.
    """
    blocks: list[Block] = []
    tokens = _MD.parse(body)
    list_depth = 0
    list_kind = ""
    group = 0
    pending = ""
    for token in tokens:
        if token.type not in _ALLOWED_BLOCK_TOKENS:
            line = (token.map[0] + 1 + line_offset) if token.map else line_offset
            raise SegmentError(f"{context}: line {line}: unsupported Markdown ({token.type})")
        if token.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
            if list_depth > 1:
                line = token.map[0] + 1 + line_offset if token.map else line_offset
                raise SegmentError(f"{context}: line {line}: nested lists are not supported")
            list_kind = "ul" if token.type == "bullet_list_open" else "ol"
            group += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif token.type == "heading_open":
            level = int(token.tag[1])
            if level < 2 or level > 4:
                raise SegmentError(
                    f"{context}: line {(token.map or [0])[0] + 1 + line_offset}: "
                    f"use ## to #### headings (the title is the page's only h1)"
                )
            pending = token.tag
        elif token.type == "paragraph_open":
            pending = list_kind if list_depth else "p"
        elif token.type == "inline":
            text = normalise(token.content)
            if text:
                line = (token.map[0] + 1 + line_offset) if token.map else line_offset
                blocks.append(
                    Block(
                        kind=pending or "p",
                        text=text,
                        context=context,
                        group=group if list_depth else 0,
                        line=line,
                    )
                )
            pending = ""
    return blocks


def field_block(text: str, context: str, name: str, kind: str = "field") -> Block:
    """A block made from one field of a record (a title, a summary, a description)."""
    return Block(kind=kind, text=normalise(text), context=context, name=name)
