"""Per-entry review records, kept in the PO files, and who may make them.

A record is one translator comment on the entry (gettext tools, ``msgmerge``, Poedit
and Weblate all keep translator comments as they are)::

    # review: second-reader:machine sr-m-01 2026-12-06 1a2b3c4d/5e6f7a8b

that is: the kind of review (``native``, ``second-reader:human``,
``second-reader:machine``), the reviewer's pseudonymous id, the date, and two short
hashes: of the English (context and source) and of the translation as reviewed. A
record counts only when both hashes still match the entry, its reviewer is listed in
``translations/reviewers.yaml`` for that kind and language, and the reviewer is not
the entry's translator; so an edited file cannot forge review, and a changed English
or translation clears it (``i18n update`` removes records whose English changed).
The line is kept under 76 characters so that no tool wraps it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

FILENAME = "reviewers.yaml"
KINDS = ("native", "second-reader:human", "second-reader:machine")
REVIEWER_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,11}$")
RECORD = re.compile(
    r"^review: (?P<kind>[a-z:-]+) (?P<by>[a-z0-9-]+) (?P<on>\d{4}-\d{2}-\d{2}) "
    r"(?P<src>[0-9a-f]{8})/(?P<tr>[0-9a-f]{8})$"
)
# An optional translator comment naming the entry's translator, when it is not the
# file's Last-Translator.
TRANSLATED_BY = re.compile(r"^translated-by: (?P<by>[a-z0-9-]+)$")


def _digest(parts) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:8]


def source_hash(message) -> str:
    ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
    return _digest([message.context or "", *ids])


def translation_hash(message) -> str:
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    return _digest([s or "" for s in strings])


@dataclass(frozen=True)
class Record:
    kind: str
    by: str
    on: str
    src: str
    tr: str

    @property
    def line(self) -> str:
        return f"review: {self.kind} {self.by} {self.on} {self.src}/{self.tr}"

    def matches(self, message) -> bool:
        return self.src == source_hash(message) and self.tr == translation_hash(message)


def records(message) -> list[Record]:
    found = []
    for comment in message.user_comments:
        m = RECORD.match(comment.strip())
        if m:
            found.append(Record(**m.groupdict()))
    return found


def record_for(message, kind: str, by: str, on: str) -> Record:
    return Record(kind, by, on, source_hash(message), translation_hash(message))


def add(message, record: Record):
    """Record a review, replacing this reviewer's earlier record of the same kind."""
    keep = [c for c in message.user_comments
            if not ((m := RECORD.match(c.strip())) and m["by"] == record.by
                    and m["kind"] == record.kind)]
    message.user_comments = keep + [record.line]


def clear_stale(message) -> int:
    """Remove records whose English no longer matches (the source changed)."""
    before = list(message.user_comments)
    message.user_comments = [
        c for c in before
        if not ((m := RECORD.match(c.strip())) and m["src"] != source_hash(message))
    ]
    return len(before) - len(message.user_comments)


def translator_of(message, file_translator: str) -> str:
    for comment in message.user_comments:
        m = TRANSLATED_BY.match(comment.strip())
        if m:
            return m["by"]
    return file_translator


def translator_id(last_translator: str | None) -> str:
    """The pseudonymous id at the start of a ``Last-Translator`` header."""
    value = (last_translator or "").strip().split(" ")[0].lower()
    return value if REVIEWER_ID.match(value) else ""


class Reviewers:
    """Who may record which kind of review for which languages (maintainer-owned)."""

    def __init__(self, entries: dict[str, dict]):
        self.entries = entries

    def allows(self, by: str, kind: str, code: str) -> bool:
        entry = self.entries.get(by)
        if not entry or kind not in entry["kinds"]:
            return False
        languages = entry["languages"]
        return languages == "all" or code in languages

    def __contains__(self, by: str) -> bool:
        return by in self.entries


def parse(data) -> Reviewers:
    entries = {}
    for by, raw in ((data or {}).get("reviewers") or {}).items():
        by = str(by)
        kinds = list((raw or {}).get("kinds") or [])
        languages = (raw or {}).get("languages") or []
        if not REVIEWER_ID.match(by) or not set(kinds) <= set(KINDS):
            raise ValueError(f"reviewers: bad id or kind for {by!r}")
        if "native" in kinds and languages == "all":
            raise ValueError(f"reviewers: {by}: a native reviewer names their languages")
        entries[by] = {"kinds": kinds,
                       "languages": "all" if languages == "all" else [str(c) for c in languages]}
    return Reviewers(entries)


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> Reviewers:
    with open(path, encoding="utf-8") as fp:
        return parse(yaml.safe_load(fp))


def reviewers_for(directory: Path | str) -> Reviewers:
    path = Path(directory) / FILENAME
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return Reviewers({})
    return _load(str(path), mtime)


def counted(message, code: str, translator: str, reviewers: Reviewers) -> set[str]:
    """The kinds of review that count for one translated entry."""
    kinds = set()
    who = translator_of(message, translator)
    for record in records(message):
        if (record.by != who and reviewers.allows(record.by, record.kind, code)
                and record.matches(message)):
            kinds.add(record.kind)
    return kinds
