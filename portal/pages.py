"""English source pages: Markdown files with front matter, loaded into blocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .blocks import Block, field_block, segment

AUDIENCES = ("victims", "public", "business", "professionals", "about")
# Leaflets made from existing pages, one print-ready sheet each (/<lang>/resources).
LEAFLETS = ("spot-the-signs", "your-rights")
REQUIRED = ("title", "summary", "audience")


class ContentError(ValueError):
    """A content file that cannot be used as it is."""


@dataclass
class Page:
    slug: str
    title: str
    summary: str
    audience: str
    order: int
    blocks: list[Block] = field(default_factory=list)
    path: Path | None = None
    meta: dict = field(default_factory=dict)

    @property
    def context(self) -> str:
        return f"page:{self.slug}"

    @property
    def checked(self):
        """The date the page was last checked line by line against its sources, or None."""
        return self.meta.get("checked") or None

    @property
    def title_block(self) -> Block:
        return self.blocks[0]

    @property
    def summary_block(self) -> Block:
        return self.blocks[1]

    @property
    def body(self) -> list[Block]:
        return self.blocks[2:]


def split_front_matter(text: str, where: str) -> tuple[dict, str, int]:
    """Front matter, body and the body's first line number."""
    if not text.startswith("---"):
        raise ContentError(f"{where}: no front matter (start the file with ---)")
    parts = text.split("\n---", 1)
    if len(parts) != 2:
        raise ContentError(f"{where}: front matter is not closed with ---")
    head = parts[0][3:]
    body = parts[1].split("\n", 1)[1] if "\n" in parts[1] else ""
    try:
        meta = yaml.safe_load(head) or {}
    except yaml.YAMLError as exc:
        raise ContentError(f"{where}: front matter is not valid YAML ({exc})") from exc
    if not isinstance(meta, dict):
        raise ContentError(f"{where}: front matter must be a mapping")
    return meta, body, head.count("\n") + 2


def parse_page(text: str, slug: str, path: Path | None = None, kind: str = "page") -> Page:
    where = str(path or slug)
    meta, body, offset = split_front_matter(text, where)
    missing = [key for key in REQUIRED if not str(meta.get(key) or "").strip()]
    if kind == "news":
        missing = [key for key in ("title", "summary", "date") if not meta.get(key)]
    if missing:
        raise ContentError(f"{where}: front matter lacks {', '.join(missing)}")
    audience = str(meta.get("audience") or "public")
    if kind == "page" and audience not in AUDIENCES:
        raise ContentError(f"{where}: audience must be one of {', '.join(AUDIENCES)}")
    context = f"{kind}:{slug}"
    blocks = [
        field_block(str(meta["title"]), context, "title", kind="title"),
        field_block(str(meta["summary"]), context, "summary", kind="summary"),
    ]
    try:
        blocks += segment(body, context, line_offset=offset)
    except ValueError as exc:
        raise ContentError(f"{where}: {exc}") from exc
    return Page(
        slug=slug,
        title=blocks[0].text,
        summary=blocks[1].text,
        audience=audience,
        order=int(meta.get("order") or 100),
        blocks=blocks,
        path=path,
        meta=meta,
    )


def load_page(path: Path, kind: str = "page") -> Page:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(f"{path}: cannot be read ({exc.__class__.__name__})") from exc
    return parse_page(text, path.stem, path, kind=kind)
