"""Postings held in memory, per open index: each term a query has looked up, with
the documents holding it and the score Whoosh's weighting gives each; and the
lexicon walks (prefix forms, typos, "did you mean"), document frequencies and stored
fields already read.

A language's index holds tens to hundreds of documents. Over an index that small,
building Whoosh's matcher trees and stepping through them in pure Python was most of
a query's time (the profile: two thirds), for a few thousand postings in all. Here
a query is evaluated term at a time with dictionary look-ups instead, with Whoosh's
own scores combined as its matchers combine them (a sum over the clauses that
match, times each clause's boost), so results are the same; a test runs both on the
relevance queries. Larger indexes keep Whoosh's matchers, whose block skipping pays
there (``SMALL_INDEX``).

What is held is bounded (``HELD``, in postings, oldest dropped first), and goes with
the index when it is closed, so a new build never sees an old one's scores.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from whoosh.query import And, AndMaybe, NullQuery, Or, Query, Term

SMALL_INDEX = 10_000  # documents: up to this many, queries are evaluated here
HELD = 100_000  # postings kept per open index (a real language's index has ~11,000)
STORED = 1_000  # documents' stored fields kept per open index (a language has ~60)


class Unsupported(Exception):
    """A query of a kind evaluated only by Whoosh's matchers (phrases, fuzzy terms)."""


class Postings:
    """One open index's looked-up terms and lexicon walks."""

    def __init__(self, held: int = HELD):
        self.held = held
        self._terms: dict[tuple[str, str], dict[int, float]] = {}
        self._count = 0
        self._walks: dict[tuple, list[str]] = {}
        self._stored: dict[int, dict] = {}
        self._df: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()

    def scores(self, searcher, name: str, text: str) -> dict[int, float]:
        """Documents holding ``text`` in field ``name``, and their unboosted scores.
        Never to be changed by the caller: it is shared."""
        key = (name, text)
        found = self._terms.get(key)
        if found is None:
            found = _read(searcher, name, text)
            with self._lock:
                if key not in self._terms:
                    self._terms[key] = found
                    self._count += len(found) + 1
                    # Oldest first: dicts keep insertion order.
                    while self._count > self.held and len(self._terms) > 1:
                        old = self._terms.pop(next(iter(self._terms)))
                        self._count -= len(old) + 1
        return found

    def walk(self, key: tuple, do: Callable[[], list[str]]) -> list[str]:
        """A lexicon walk's result (``key`` names it), done once per open index."""
        found = self._walks.get(key)
        if found is None:
            found = do()
            with self._lock:
                if len(self._walks) >= self.held // 10:
                    self._walks.clear()
                self._walks[key] = found
        return list(found)

    def stored(self, searcher, docnum: int) -> dict:
        """A document's stored fields (unpickled once: a shown hit's fields were a
        third of a query's time). Never to be changed by the caller."""
        found = self._stored.get(docnum)
        if found is None:
            found = searcher.stored_fields(docnum)
            with self._lock:
                if len(self._stored) >= STORED:
                    self._stored.clear()
                self._stored[docnum] = found
        return found

    def reader(self, reader) -> Reader:
        """``reader`` with its document frequencies looked up once per open index
        (a query asks for each of its terms' several times)."""
        return Reader(reader, self)

    def doc_frequency(self, reader, name: str, text: str) -> int:
        key = (name, text)
        found = self._df.get(key)
        if found is None:
            found = reader.doc_frequency(name, text)
            with self._lock:
                if len(self._df) >= self.held:
                    self._df.clear()
                self._df[key] = found
        return found

    def __len__(self) -> int:
        return self._count


class Reader:
    """An index reader whose ``doc_frequency`` answers from its ``Postings``."""

    def __init__(self, reader, postings: Postings):
        self._reader = reader
        self._postings = postings

    def doc_frequency(self, name: str, text: str) -> int:
        return self._postings.doc_frequency(self._reader, name, text)

    def __getattr__(self, name):
        return getattr(self._reader, name)


def _read(searcher, name: str, text: str) -> dict[int, float]:
    schema = searcher.schema
    if name not in schema:
        return {}
    try:
        btext = schema[name].to_bytes(text)
    except ValueError:
        return {}
    if (name, btext) not in searcher.reader():
        return {}
    matcher = searcher.postings(name, btext, weighting=searcher.weighting)
    out = {}
    while matcher.is_active():
        out[matcher.id()] = matcher.score()
        matcher.next()
    return out


class Evaluation:
    """One query's evaluation against one searcher: sub-results are kept for the
    query's life, so the strict and the loose tier (which share their word
    clauses) and the coordination step look each up once."""

    def __init__(self, searcher, postings: Postings):
        self.searcher = searcher
        self.postings = postings
        self._memo: dict[int, tuple[Query, dict[int, float]]] = {}

    def term(self, name: str, text: str) -> dict[int, float]:
        return self.postings.scores(self.searcher, name, text)

    def holding(self, name: str, text: str, docs) -> set[int]:
        post = self.term(name, text)
        return {d for d in docs if d in post}

    def size(self, q: Query) -> int:
        """Roughly how many documents ``q`` matches: And's subqueries run smallest
        first, so each later one is looked up only for what is left."""
        if isinstance(q, Term):
            return len(self.term(q.fieldname, q.text))
        if isinstance(q, AndMaybe):
            return self.size(q.a)
        if isinstance(q, And):
            return min((self.size(s) for s in q.subqueries), default=0)
        if isinstance(q, Or):
            return sum(self.size(s) for s in q.subqueries)
        return 0

    def scores(self, q: Query, within=None) -> dict[int, float]:
        """Documents matching ``q`` (those in ``within`` only, if given: a set or a
        dict) and their scores, as Whoosh's matchers would score them."""
        if within is None:
            kept = self._memo.get(id(q))
            if kept is not None:
                return kept[1]
            found = self._scores(q, None)
            self._memo[id(q)] = (q, found)  # q kept alive: its id stays its own
            return found
        return self._scores(q, within)

    def _scores(self, q: Query, within) -> dict[int, float]:
        boost = getattr(q, "boost", 1.0)
        if isinstance(q, Term):
            post = self.term(q.fieldname, q.text)
            if within is None:
                out = dict(post)
            elif len(within) < len(post):
                out = {d: post[d] for d in within if d in post}
            else:
                out = {d: s for d, s in post.items() if d in within}
        elif isinstance(q, AndMaybe):
            out = self._copy(self.scores(q.a, within), within)
            if out:
                for d, s in self.scores(q.b, out).items():
                    out[d] += s
            return out  # a binary query's boost lives in its subqueries
        elif _group(q):
            subs = q.subqueries
            if not subs:
                return {}
            if len(subs) == 1:  # Whoosh ignores the boost of a one-clause group
                return self.scores(subs[0], within)
            if isinstance(q, And):
                subs = sorted(subs, key=self.size)
                out = self._copy(self.scores(subs[0], within), within)
                for sub in subs[1:]:
                    if not out:
                        break
                    found = self.scores(sub, out)
                    out = {d: out[d] + s for d, s in found.items()}
            else:
                out = {}
                for sub in subs:
                    for d, s in self.scores(sub, within).items():
                        out[d] = out.get(d, 0.0) + s
        elif q is NullQuery:
            return {}
        else:
            raise Unsupported(type(q).__name__)
        if boost != 1.0:
            out = {d: s * boost for d, s in out.items()}
        return out

    @staticmethod
    def _copy(found: dict, within) -> dict:
        # A memoised result is shared: change a copy.
        return dict(found) if within is None else found

    def top(self, q: Query, cap: int, deadline: float) -> list[tuple[int, float]]:
        """The ``cap`` best documents for ``q``, ties by document number. Past the
        deadline, the documents whose scores are complete are kept: a top-level group
        is combined a document at a time, in document order, as Whoosh collects."""
        subs = getattr(q, "subqueries", ())
        if _group(q) and len(subs) > 1:
            parts = [self.scores(s) for s in subs]
            boost = q.boost
            if isinstance(q, And):
                smallest = min(parts, key=len)
                docs = sorted(d for d in smallest if all(d in p for p in parts))
            else:
                docs = sorted({d for p in parts for d in p})
            out = {}
            for d in docs:
                total = 0.0
                for p in parts:
                    s = p.get(d)
                    if s is not None:
                        total += s
                out[d] = total * boost
                if time.monotonic() > deadline:
                    break
        else:
            out = self.scores(q)
        return sorted(out.items(), key=lambda item: (-item[1], item[0]))[:cap]


def _group(q: Query) -> bool:
    """An And, or a union summing its clauses' scores (not Whoosh's ordered or
    coordination-scaled kinds)."""
    return type(q) is And or (isinstance(q, Or) and not q.scale)
