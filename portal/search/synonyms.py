"""Reviewed synonyms: the words readers use for what the pages call otherwise.

``content/synonyms.yaml`` holds a short list of entries, each one message of the
``content`` domain (context ``search:synonyms``), so every language translates it
like any paragraph and can have its own. An entry reads::

    send me back, deport me: removal, removed, return

Before the colon, phrases a reader may type (any of them); after it, the words the
pages use. When a query holds one of the phrases (as the language's fold analyser
sees them: stop words out, accents folded, in order), the pages' words become
alternatives of that phrase: a page holding them is found and ranked as if it held
the phrase. The pages themselves never change to match a query.

The index build writes each locale's rules (from its translation; an entry shown in
English there is left out) to ``synonyms.json``; serving reads them with the index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from ..blocks import Block
from .analysis import analysis_for

CONTEXT = "search:synonyms"
FILE = "synonyms.yaml"
MAX_ENTRIES = 15  # every language translates each one: keep the list short
MAX_ALTS = 6  # page words per entry
_SIDES = re.compile("[:\uff1a\u1365]")  # the colon; the full-width and Ethiopic ones
_ITEMS = re.compile("[,\u060c\uff0c\u3001;\u061b\u1363\u1364]")  # , ، ， 、 ; ؛ ፣ ፤


def blocks(content_dir: Path | str) -> list[Block]:
    """The entries of ``content/synonyms.yaml`` as blocks (messages) to translate."""
    path = Path(content_dir) / FILE
    try:
        return parse_file(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []  # no synonyms: search works as before


def parse_file(text: str) -> list[Block]:
    """One block per entry of the file's YAML list (the first ``MAX_ENTRIES``)."""
    data = yaml.safe_load(text) or []
    if not isinstance(data, list):
        return []
    return [Block(kind="synonym", text=" ".join(str(e).split()), context=CONTEXT,
                  line=i + 1) for i, e in enumerate(data[:MAX_ENTRIES]) if str(e).strip()]


def parse(entry: str) -> tuple[list[str], list[str]]:
    """(phrases readers type, words the pages use) of one entry; empty when malformed."""
    sides = _SIDES.split(entry, maxsplit=1)
    if len(sides) != 2:
        return [], []
    typed, pages = ([p.strip() for p in _ITEMS.split(side) if p.strip()] for side in sides)
    return typed, pages[:MAX_ALTS]


def rules_for(code: str, entries: list[str]) -> list[dict]:
    """The rules of one language from its entries, as fold-analyser terms."""
    analysis = analysis_for(code)

    def terms(text: str) -> list[str]:
        return [t.text for t in analysis.fold(text)]

    rules = []
    for entry in entries:
        typed, pages = parse(entry)
        alts = [t for t in (terms(p) for p in pages) if t]
        for phrase in typed:
            found = terms(phrase)
            if found and alts:
                rules.append({"phrase": found, "alts": [a for a in alts if a != found]})
    return rules


@dataclass(frozen=True)
class Rule:
    phrase: tuple[str, ...]
    alts: tuple[tuple[str, ...], ...]


class Synonyms:
    """One language's rules, applied to a query's words."""

    def __init__(self, rules: list[Rule]):
        # Longest phrases first: "can't leave the house" before "leave".
        self.rules = sorted(rules, key=lambda r: -len(r.phrase))

    @classmethod
    def from_json(cls, data, code: str = "") -> Synonyms:
        rules = []
        for item in data if isinstance(data, list) else []:
            try:
                phrase = tuple(str(t) for t in item["phrase"])
                alts = tuple(tuple(str(t) for t in alt) for alt in item["alts"])
            except (KeyError, TypeError):
                continue
            if phrase and alts:
                rules.append(Rule(phrase, alts))
        return cls(rules)

    def __len__(self):
        return len(self.rules)

    def apply(self, words: list, text: str) -> list:
        """The query's words with each phrase a rule names merged into one word that
        carries the pages' words as alternatives. ``text`` is the cleaned query."""
        if not self.rules or not words:
            return words
        words = list(words)
        for rule in self.rules:
            match = _find(words, rule.phrase)
            if match is None:
                continue
            i, j = match
            group = words[i:j + 1]
            start, end = group[0].start, group[-1].end
            merged = replace(
                group[0], start=start, end=end, text=text[start:end],
                exact=[t for w in group for t in w.exact],
                fold=[t for w in group for t in w.fold],
                alts=[*group[0].alts, *(list(a) for a in rule.alts)])
            words[i:j + 1] = [merged]
        return words


def _find(words: list, phrase: tuple[str, ...]) -> tuple[int, int] | None:
    """The first run of whole words whose folded terms are exactly ``phrase``."""
    for i in range(len(words)):
        terms: list[str] = []
        for j in range(i, len(words)):
            if words[j].alts and j > i:
                break  # already part of another rule's phrase
            terms += words[j].fold
            if len(terms) > len(phrase) or tuple(terms) != phrase[:len(terms)]:
                break
            if len(terms) == len(phrase):
                return i, j
    return None
