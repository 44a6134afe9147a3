"""Snippets: a short passage of a result around the words that matched, escaped,
the matches in ``<mark>``."""

from __future__ import annotations

import re
from collections import defaultdict

from markupsafe import Markup, escape

from .analysis import FOLDED
from .query import FUZZY_MIN, Built

SNIPPET = 160  # characters of context shown per result
SNIPPET_CANDIDATES = 4  # matching blocks compared per result

def within_one(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` are at most one edit apart."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        return a[i + 1:] == b[i + 1:]
    return a[i:] == b[i + 1:]


class Matcher:
    """Which query words a word of the text matches, cached per written word.

    Uses the analysers' cached per-word terms, and the typo and prefix variants the
    search looked up in the index (or, before any lookup, an edit-distance check).
    """

    def __init__(self, built: Built):
        self.analysis = built.analysis
        self.exact: dict[str, set[int]] = defaultdict(set)
        self.fold: dict[str, set[int]] = defaultdict(set)
        self.fuzzy: list[tuple[int, str]] = []
        for i, word in enumerate(built.words):
            for t in word.exact:
                self.exact[t].add(i)
            for t in word.fold:
                self.fold[t].add(i)
            for alt in word.alts:
                for t in alt:
                    self.fold[t].add(i)
            if word.typos is None:
                if word.fuzzy():
                    self.fuzzy.append((i, word.fold[0]))
            else:
                for t in word.typos + word.stems:
                    self.fold[t].add(i)
        self.cache: dict[str, frozenset[int]] = {}
        # Every term a block may hold to match; None when typos are not yet known
        # (then any block may match, one edit away).
        self.terms: list[str] | None = (
            None if self.fuzzy else [f" {t} " for t in self.exact]
            + [f" {FOLDED}{t} " for t in self.fold])
        # Per query word, the terms that match it, as a block's stored terms hold
        # them (exactly the words its analysis matches).
        self.words: list[list[str]] = [[] for _ in built.words]
        for table, mark in ((self.exact, ""), (self.fold, FOLDED)):
            for t, ids in table.items():
                for i in ids:
                    self.words[i].append(f" {mark}{t} ")

    def count(self, block_terms: str) -> int:
        """How many query words a block holds, read from its stored terms."""
        return sum(1 for terms in self.words if any(t in block_terms for t in terms))

    def may_match(self, block_terms: str | None) -> bool:
        """Whether a block with these stored terms can hold a match (None: unknown)."""
        if block_terms is None or self.terms is None:
            return True
        return any(t in block_terms for t in self.terms)

    def __call__(self, word: str) -> frozenset[int]:
        found = self.cache.get(word)
        if found is None:
            ids: set[int] = set()
            for t in self.analysis.exact_terms(word):
                ids |= self.exact.get(t, set())
            for t in self.analysis.fold_terms(word):
                ids |= self.fold.get(t, set())
                if len(t) >= FUZZY_MIN:
                    ids.update(i for i, q in self.fuzzy if q[0] == t[0] and within_one(q, t))
            found = self.cache[word] = frozenset(ids)
        return found


def match_spans(text: str, matcher: Matcher) -> tuple[list[tuple[int, int]], set[int]]:
    """Character spans of ``text`` that match the query, and which query words matched."""
    spans: list[tuple[int, int]] = []
    found: set[int] = set()
    for start, end, word in matcher.analysis.units(text):
        ids = matcher(word)
        if ids:
            spans.append((start, end))
            found |= ids
    return _merge(spans), found


def _merge(spans):
    out: list[list[int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


_SPACE = re.compile(r"\s")


def _cut(text: str, start: int, end: int) -> tuple[int, int]:
    """Move a window's edges to spaces, where the text has any nearby."""
    if start > 0:
        space = _SPACE.search(text, start, min(start + 20, len(text)))
        start = space.end() if space else start
    if end < len(text):
        back = text.rfind(" ", max(end - 20, start), end)
        end = back if back > start else end
    return start, end


def snippet(texts: list[tuple[str, str]], built: Built, width: int = SNIPPET,
            matcher: Matcher | None = None, terms: list[str] | None = None
            ) -> tuple[Markup, str]:
    """A short passage around the matched words, escaped, matches in ``<mark>``.

    :param texts: (text, language code) per block, in reading order.
    :param matcher: the query's ``Matcher``, shared by the hits of one search.
    :param terms: per block, its stored terms (``index.block_terms``): blocks that
        hold no query term are skipped without being analysed.
    :return: the passage and the language it is in.
    """
    matcher = matcher or Matcher(built)
    if terms is None or len(terms) != len(texts):
        terms = [None] * len(texts)
    best = None
    matching = 0
    for (text, code), held in zip(texts, terms, strict=True):
        if not text or not matcher.may_match(held):
            continue
        if (held is not None and matcher.terms is not None and best is not None
                and matcher.count(held) <= best[0]):
            # Its stored terms hold no more query words than the best block so far:
            # it cannot be better, so it is not analysed (most blocks, for a query
            # of common words).
            matching += 1
        else:
            spans, found = match_spans(text, matcher)
            if not spans:
                continue
            matching += 1
            if best is None or len(found) > best[0]:
                best = (len(found), text, code, spans)
        # Enough: a passage with every word, or the best of the first few that match.
        if best is not None and (best[0] >= len(built.words)
                                 or matching >= SNIPPET_CANDIDATES):
            break
    if best is None:
        text, code = next(((t, c) for t, c in texts if t), ("", built.code))
        start, end = _cut(text, 0, width) if len(text) > width else (0, len(text))
        return Markup(escape(text[start:end]) + ("…" if end < len(text) else "")), code
    _, text, code, spans = best
    # The window that covers the most matches, starting a little before the first.
    window_start = 0
    best_count = -1
    for a, _ in spans:
        begin = max(0, a - 30)
        count = sum(1 for s, e in spans if s >= begin and e <= begin + width)
        if count > best_count:
            window_start, best_count = begin, count
    start, end = _cut(text, window_start, min(len(text), window_start + width))
    out = ["…"] if start > 0 else []
    cursor = start
    for a, b in spans:
        if b <= start or a >= end:
            continue
        a, b = max(a, start), min(b, end)
        out.append(str(escape(text[cursor:a])))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        cursor = b
    out.append(str(escape(text[cursor:end])))
    if end < len(text):
        out.append("…")
    return Markup("".join(out)), code
