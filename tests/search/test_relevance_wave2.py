"""Wave 2 (issue 21): every new language has at least ten search queries of its own,
written from what a reader would type (relevance-wave2.yaml), each naming pages that
exist. How well they are answered is measured by the bench, per language."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

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
