"""Relevance, measured: success@3 over queries as readers type them (relevance.yaml)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import yaml

CASES = yaml.safe_load((Path(__file__).with_name("relevance.yaml")).read_text("utf-8"))
THRESHOLD = 0.85  # do not lower: improve the search instead


def target(url: str) -> str:
    """"/vi/services/childline" -> "services/childline"."""
    return url.split("/", 2)[2]


def rank(engine, langs, case) -> int | None:
    """1-based rank of the first expected result among those shown, or None."""
    found = engine.search(langs.get(case["lang"]), case["q"])
    shown = [target(h.url) for h in found.hits + found.english]
    for i, got in enumerate(shown, 1):
        if got in case["top3"]:
            return i
    return None


def test_the_set_is_large_and_varied():
    languages = {c["lang"] for c in CASES}
    assert len(CASES) >= 60
    assert len(languages) >= 8
    for case in CASES:
        assert set(case) == {"lang", "q", "top3"}, case
        assert case["top3"] and case["q"].strip()


def test_expected_results_exist(search_app):
    store = search_app.extensions["content"]
    known = set(store.pages) | {f"services/{sid}" for sid in store.services}
    for case in CASES:
        assert set(case["top3"]) <= known, case


def test_success_at_3(search_app, engine, langs):
    per_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses = []
    with search_app.test_request_context("/en/search"):
        for case in CASES:
            position = rank(engine, langs, case)
            ok = position is not None and position <= 3
            per_lang[case["lang"]][0] += ok
            per_lang[case["lang"]][1] += 1
            if not ok:
                misses.append(f"{case['lang']}: {case['q']!r} (rank {position})")
    total = sum(v[0] for v in per_lang.values()) / len(CASES)
    report = ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(per_lang.items()))
    assert total >= THRESHOLD, f"success@3 {total:.2f} ({report}); misses: {misses}"
