"""Ranking: every word first, any word when that finds too little; BM25F times the
share of query words a document holds (so documents with every word come first),
lifted when they hold the words as a phrase, then weighted by audience and kind. The
collection has a result cap and a time limit.

Over a language's index (small) the query is evaluated on postings held in memory
(``postings.py``); over a large one, by Whoosh's collectors."""

from __future__ import annotations

import time

from whoosh.collectors import TimeLimit, TimeLimitCollector
from whoosh.query import Query

from .postings import SMALL_INDEX, Evaluation, Postings, Unsupported
from .query import Built, Word, docs_holding, expand_stems, expand_typos, tiers, word_known

PHRASE_BONUS = 1.5  # hits holding the words as a phrase

# Most people who search are the people the portal is for: their pages first, then
# the public's, then professionals' and businesses', then pages about the site.
AUDIENCE_WEIGHT = {"victims": 1.3, "public": 1.1, "anyone": 1.1, "about": 0.8}
KIND_WEIGHT = {"news": 0.6}


VARIANT_MATCH = 0.75  # a word found only through a typo or a stem-like prefix
# A word held by fewer documents than this, as typed or as a form of it, is looked
# up one typo away (it may be misspelt); so is every word when the search found
# fewer hits than this.
RARE = 3


def _walk(matcher, docs: list[int], out: set[int]):
    """Add to ``out`` those of ``docs`` (sorted) that ``matcher`` is on: skip_to only."""
    for docnum in docs:
        if docnum in out:
            continue
        if not matcher.is_active():
            break
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            out.add(docnum)


def _holders(searcher, query: Query, docnums: list[int],
             evaluation: Evaluation | None = None) -> set[int]:
    """Which of ``docnums`` (sorted) match ``query``: one pass of skip_to, no scoring.

    With an evaluation, a phrase is sought only in documents holding all its words
    (most hold none of the phrases): its positions are read for those alone."""
    out: set[int] = set()
    if evaluation is None:
        _walk(query.matcher(searcher, searcher.boolean_context()), docnums, out)
        return out
    for phrase in [query] if query.is_leaf() else query.leaves():
        docs = set(docnums)
        for word in phrase.words:
            docs = evaluation.holding(phrase.fieldname, word, docs)
        docs -= out
        if docs:
            _walk(phrase.matcher(searcher, searcher.boolean_context()), sorted(docs), out)
    return out


def _term_holders(reader, terms: list[tuple[str, str]], docs: list[int]) -> set[int]:
    """Which of ``docs`` (sorted) hold any of ``terms`` ((field, text) pairs): each
    posting list walked with skip_to, no union matcher, no scoring."""
    out: set[int] = set()
    for name, text in terms:
        if reader.doc_frequency(name, text):
            _walk(reader.postings(name, text), docs, out)
    return out


def coordination(searcher, words: list[Word], docnums: list[int],
                 evaluation: Evaluation | None = None) -> dict[int, float]:
    """Per document, the share of the query's words it holds (a typo or a
    prefix-sharing form counts ``VARIANT_MATCH``). Checked for the top hits only."""
    docs = sorted(docnums)
    share = dict.fromkeys(docs, 0.0)
    if not words:
        return dict.fromkeys(docs, 1.0)
    if evaluation is None:
        reader = searcher.reader()

        def holders(terms, among):
            return _term_holders(reader, terms, among)
    else:
        def holders(terms, among):
            return {d for name, t in terms for d in evaluation.holding(name, t, among)}
    for word in words:
        plain = [(name, t) for t in word.exact for name in ("title", "summary", "body")]
        plain += [(name, t) for t in word.fold for name in ("ftitle", "fbody")]
        found = holders(plain, docs)
        # A synonym holds the word when it holds all of its terms.
        for alt in word.alts:
            held = set(docs)
            for t in alt:
                held &= holders([("fbody", t)], docs)
            found |= held
        variants = [("fbody", t) for t in (word.typos or []) + word.stems]
        rest = [d for d in docs if d not in found]
        near = holders(variants, rest) if variants and rest else set()
        for docnum in docs:
            if docnum in found:
                share[docnum] += 1.0
            elif docnum in near:
                share[docnum] += VARIANT_MATCH
    return {d: v / len(words) for d, v in share.items()}


def _collect_tiers(searcher, reader, built: Built, cap: int, time_limit: float,
                   enough: int, evaluation: Evaluation | None):
    known = [word_known(reader, w) for w in built.words]
    queries, phrase = tiers(built.words, known)
    scores: dict[int, float] = {}
    for query in queries:
        for docnum, score in collect(searcher, query, cap, time_limit, evaluation):
            scores.setdefault(docnum, score)
        if len(scores) >= enough:
            break
    return known, phrase, scores


def run(searcher, built: Built, cap: int, time_limit: float, enough: int = 10,
        postings: Postings | None = None) -> list[tuple[int, dict]]:
    """Every word first; any word when that does not find ``enough``.

    Typos are sought (a walk of the lexicon per word) only for words the index
    barely holds, or for every word when the exact search found fewer than ``RARE``
    hits; never when the words as typed already find enough.

    The top ``cap`` candidates are ranked by BM25F score times the square of the
    share of query words they hold, so documents with all the words come first, and
    a strong match on most words beats a document that holds the last one only as a
    typo; times a bonus when they hold the words as a phrase; then by audience (the
    portal's readers first) and kind (news last).

    :param postings: the open index's ``Postings``; without it, nothing looked up
        is kept beyond this search.
    :return: (docnum, stored fields) for the best ``enough`` hits, best first.
    """
    if built.empty:
        return []
    if postings is None:
        postings = Postings()
    reader = postings.reader(searcher.reader())
    evaluation = (Evaluation(searcher, postings)
                  if searcher.doc_count_all() <= SMALL_INDEX else None)
    rare = []
    for word in built.words:
        expand_stems(reader, word, postings)
        word.typos = []  # none unless looked up below: never a FuzzyTerm while collecting
        if word.fuzzy() and docs_holding(reader, word) < RARE:
            rare.append(word)
    for word in rare:
        expand_typos(reader, word, postings)
    known, phrase, scores = _collect_tiers(searcher, reader, built, cap, time_limit, enough,
                                           evaluation)
    if len(scores) < RARE:
        more = [w for w in built.words if w.fuzzy() and w not in rare]
        for word in more:
            expand_typos(reader, word, postings)
        if any(w.typos for w in more):
            known, phrase, scores = _collect_tiers(searcher, reader, built, cap, time_limit,
                                                   enough, evaluation)
    words = [w for w, k in zip(built.words, known, strict=False) if k]
    docs = sorted(scores)
    shares = coordination(searcher, words, docs, evaluation) if len(words) > 1 else {}
    in_phrase = (_holders(searcher, phrase, docs, evaluation) if phrase is not None
                 else set())
    ranked = []
    for docnum, score in scores.items():
        weight = _weight(postings.stored(searcher, docnum))
        if docnum in in_phrase:
            weight *= PHRASE_BONUS
        share = shares.get(docnum, 1.0)
        ranked.append((score * weight * share * share, docnum))
    ranked.sort(key=lambda item: (-item[0], item[1]))
    return [(docnum, postings.stored(searcher, docnum)) for _, docnum in ranked[:enough]]


def _weight(stored: dict) -> float:
    return (AUDIENCE_WEIGHT.get(stored.get("audience", ""), 1.0)
            * KIND_WEIGHT.get(stored.get("kind", ""), 1.0))


class Deadline(TimeLimitCollector):
    """Whoosh's time limit, read from the clock at each match. Whoosh's own starts a
    timer thread per search, which the profile showed as a sixth of a query's time
    (more on a loaded machine, where the new thread waits for a core)."""

    def prepare(self, top_searcher, q, context):
        self.child.prepare(top_searcher, q, context)
        self.timedout = False
        self.deadline = time.monotonic() + self.timelimit

    def collect_matches(self):
        child = self.child
        for sub_docnum in child.matches():
            child.collect(sub_docnum)
            if time.monotonic() > self.deadline:
                self.timedout = True
                raise TimeLimit

    def finish(self):
        self.child.finish()


def collect(searcher, query: Query, cap: int, time_limit: float,
            evaluation: Evaluation | None = None) -> list[tuple[int, float]]:
    """Top ``cap`` hits as (docnum, score), cut off after ``time_limit`` seconds
    (partial results kept)."""
    if evaluation is not None:
        try:
            return evaluation.top(query, cap, time.monotonic() + time_limit)
        except Unsupported:
            pass
    collector = Deadline(searcher.collector(limit=cap), timelimit=time_limit,
                         use_alarm=False)
    try:
        searcher.search_with_collector(query, collector)
    except TimeLimit:
        pass
    return [(hit.docnum, hit.score) for hit in collector.results()]
