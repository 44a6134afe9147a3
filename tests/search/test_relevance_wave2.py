"""Wave 2 (issue 21): every new language has at least ten search queries of its own,
written from what a reader would type (relevance-wave2.yaml), each naming pages that
exist, and at most one of them misses the first three results (the bench prints the
misses)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml
from test_relevance import rank

from portal.locales import WAVE2

CASES = yaml.safe_load(Path(__file__).with_name("relevance-wave2.yaml").read_text("utf-8"))


def test_every_wave2_language_has_ten_queries():
    counts = Counter(case["lang"] for case in CASES)
    assert {case["lang"] for case in CASES} <= {lang.code for lang in WAVE2}
    short = {lang.code: counts[lang.code] for lang in WAVE2 if counts[lang.code] < 10}
    assert not short, short


def test_wave2_queries_name_pages_that_exist(search_app):
    store = search_app.extensions["content"]
    known = set(store.pages) | {f"services/{sid}" for sid in store.services}
    for case in CASES:
        assert set(case) == {"lang", "q", "top3"}, case
        assert case["q"].strip() and set(case["top3"]) <= known, case


def test_at_most_one_miss_at_3_per_wave2_language(search_app, engine, langs):
    # Do not loosen: improve the search or the language's reviewed synonyms instead.
    misses: dict[str, list[str]] = {}
    with search_app.test_request_context("/en/search"):
        for case in CASES:
            position = rank(engine, langs, case)
            if position is None or position > 3:
                misses.setdefault(case["lang"], []).append(f"{case['q']!r} ({position})")
    assert {code: qs for code, qs in misses.items() if len(qs) > 1} == {}, misses
