"""Wave 2 (issue 21): every new language has at least ten queries of its own, written
from what a reader would type, and misses at most one of them at rank 3."""

from __future__ import annotations

from collections import defaultdict

from test_relevance import CASES, rank

from portal.locales import WAVE2


def test_every_wave2_language_has_ten_queries():
    counts = defaultdict(int)
    for case in CASES:
        counts[case["lang"]] += 1
    short = {lang.code: counts[lang.code] for lang in WAVE2 if counts[lang.code] < 10}
    assert not short, short


def test_every_wave2_language_misses_at_most_one(search_app, engine, langs):
    misses = defaultdict(list)
    codes = {lang.code for lang in WAVE2}
    with search_app.test_request_context("/en/search"):
        for case in CASES:
            if case["lang"] not in codes:
                continue
            position = rank(engine, langs, case)
            if position is None or position > 3:
                misses[case["lang"]].append(f"{case['q']!r} (rank {position})")
    over = {code: found for code, found in misses.items() if len(found) > 1}
    assert not over, over
