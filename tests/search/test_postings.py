"""Postings held in memory (issue 20): a query over a language's small index is
evaluated on them, and must score exactly as Whoosh's own matchers do; what is held
is bounded and looked up once per open index."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from whoosh.query import And, Or, Term
from whoosh.reading import SegmentReader

from portal.search import postings as held
from portal.search import ranking
from portal.search.postings import Evaluation, Postings, Unsupported
from portal.search.query import Any, build_query, expand_stems, tiers, word_known

CASES = yaml.safe_load((Path(__file__).with_name("relevance.yaml")).read_text("utf-8"))


def whoosh_scores(searcher, query) -> dict[int, float]:
    """Every match and its score by Whoosh's matchers, no result limit (so none of
    its block-quality skipping)."""
    return {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}


def expected(searcher, query) -> dict[int, float]:
    """A tier's scores from its clauses' own Whoosh scores: a sum over the clauses
    that match; an And needs all of them. (Whoosh's intersection of AndMaybe
    clauses drops an optional clause's score when it skips ahead, so the whole
    And is not the reference: its documents are, below.)"""
    subs = query.subqueries if isinstance(query, And | Or) else [query]
    parts = [whoosh_scores(searcher, sub) for sub in subs]
    if isinstance(query, And):
        docs = set.intersection(*(set(p) for p in parts))
    else:
        docs = set().union(*parts)
    return {d: sum(p[d] for p in parts if d in p) for d in docs}


def prepared(searcher, case):
    built = build_query(case["q"], case["lang"])
    reader = searcher.reader()
    for word in built.words:
        expand_stems(reader, word)
        word.typos = []
    known = [word_known(reader, w) for w in built.words]
    return built, known


def test_every_relevance_query_scores_as_whoosh_scores_it(engine):
    compared = 0
    for case in CASES:
        with engine._searcher(case["lang"]) as (searcher, _):
            built, known = prepared(searcher, case)
            queries, phrase = tiers(built.words, known)
            evaluation = Evaluation(searcher, Postings())
            for query in queries:
                got = evaluation.scores(query)
                want = expected(searcher, query)
                assert set(got) == set(want) == set(whoosh_scores(searcher, query)), case
                for docnum, score in want.items():
                    assert got[docnum] == pytest.approx(score, rel=1e-9), (case, docnum)
                compared += len(want)
            if phrase is not None:
                docs = sorted(evaluation.scores(queries[-1]))
                assert (ranking._holders(searcher, phrase, docs, evaluation)
                        == ranking._holders(searcher, phrase, docs)), case
            words = [w for w, k in zip(built.words, known, strict=True) if k]
            docs = sorted(evaluation.scores(queries[-1])) if queries else []
            assert (ranking.coordination(searcher, words, docs, evaluation)
                    == ranking.coordination(searcher, words, docs)), case
    assert compared > 1000  # the comparison saw real results, not empty sets


def test_the_top_hits_are_the_best_scores_ties_by_document(engine):
    with engine._searcher("en") as (searcher, _):
        evaluation = Evaluation(searcher, Postings())
        query = Any([Term("fbody", "help"), Term("fbody", "police")])
        scores = evaluation.scores(query)
        top = evaluation.top(query, 5, deadline=float("inf"))
    assert [d for d, _ in top] == sorted(scores, key=lambda d: (-scores[d], d))[:5]
    assert len(scores) > 5


def test_whoosh_kinds_it_does_not_evaluate_go_to_whoosh(engine, monkeypatch):
    """A phrase or a fuzzy term is Whoosh's: ``collect`` falls back to its collector."""
    from whoosh.query import FuzzyTerm

    with engine._searcher("en") as (searcher, _):
        evaluation = Evaluation(searcher, Postings())
        fuzzy = FuzzyTerm("fbody", "pasport", maxdist=1)
        with pytest.raises(Unsupported):
            evaluation.scores(fuzzy)
        hits = ranking.collect(searcher, fuzzy, 10, 5.0, evaluation)
    assert hits and all(isinstance(d, int) for d, _ in hits)


def test_both_ways_of_collecting_find_the_same_pages(engine, monkeypatch):
    """Whoosh's collectors (large indexes) and held postings (small ones) rank the
    same pages first for the relevance queries."""

    def ranked(small_index):
        monkeypatch.setattr(ranking, "SMALL_INDEX", small_index)
        found = {}
        for case in CASES:
            with engine._searcher(case["lang"]) as (searcher, _):
                built = build_query(case["q"], case["lang"])
                found[case["lang"], case["q"]] = [
                    d for d, _ in ranking.run(searcher, built, 20, 5.0, 3)]
        return found

    whoosh, evaluated = ranked(0), ranked(held.SMALL_INDEX)
    differing = [q for q in whoosh if whoosh[q] != evaluated[q]]
    # Only where Whoosh's intersection drops an optional clause's score (above).
    assert len(differing) <= len(CASES) // 50, differing
    assert sum(map(len, whoosh.values())) > len(CASES)


# Held, and bounded --------------------------------------------------------------------

def test_what_is_held_is_bounded_oldest_first(engine):
    with engine._searcher("en") as (searcher, _):
        reader = searcher.reader()
        terms = [t for _, t in zip(range(200), reader.lexicon("fbody"), strict=False)]
        store = Postings(held=300)
        for term in terms:
            store.scores(searcher, "fbody", term.decode("utf-8"))
    assert 0 < len(store) <= 300
    kept = store._terms
    assert ("fbody", terms[0].decode("utf-8")) not in kept
    assert ("fbody", terms[-1].decode("utf-8")) in kept


def test_a_search_looks_each_term_up_once_per_open_index(search_app, langs, monkeypatch):
    from portal.locales import WAVE1
    from portal.search import WhooshSearch

    reads, walks = [], []
    real_read = held._read
    monkeypatch.setattr(held, "_read", lambda s, n, t: reads.append(t) or real_read(s, n, t))
    real_walk = SegmentReader.terms_within
    monkeypatch.setattr(SegmentReader, "terms_within",
                        lambda self, *a, **k: walks.append(a[1]) or real_walk(self, *a, **k))

    def engine():
        return WhooshSearch(search_app.config["INDEX_DIR"], reload_interval=60.0,
                            locales=tuple(lang.code for lang in WAVE1), cache_items=0)

    first = engine()
    text = "pasport employer police"
    hits = [h.key for h in first.search(langs.get("en"), text).hits]
    assert reads and walks == ["pasport", "pasport"]  # typos, then "did you mean"
    reads.clear(), walks.clear()
    assert [h.key for h in first.search(langs.get("en"), text).hits] == hits
    assert reads == [] and walks == []  # held by the open index
    # Another engine (as after a new build) opens its own index: nothing carried over.
    assert [h.key for h in engine().search(langs.get("en"), text).hits] == hits
    assert reads and walks == ["pasport", "pasport"]


def test_a_number_is_never_a_typo_or_a_stem(search_app, engine, langs, monkeypatch):
    walks = []
    real_walk = SegmentReader.terms_within
    monkeypatch.setattr(SegmentReader, "terms_within",
                        lambda self, *a, **k: walks.append(a[1]) or real_walk(self, *a, **k))
    built = build_query("helpline 08000121701", "en")
    number = built.words[-1]
    assert number.number and not number.fuzzy()
    with engine._searcher("en") as (searcher, _):
        expand_stems(searcher.reader(), number)
        assert number.stems == []
    engine.cache.clear()
    found = engine.search(langs.get("en"), "helpline 08000121701")
    assert walks == [] and found.suggestion is None
