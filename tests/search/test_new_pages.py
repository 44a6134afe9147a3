"""Search finds each page victims lacked (issue 16) by the words a reader would type."""

from __future__ import annotations

import pytest

QUERIES = [
    ("if-the-decision-is-no", "the home office decision is no what can i do"),
    ("compensation", "can i get compensation"),
    ("health-care", "can i see a doctor for free"),
    ("somewhere-safe-to-live", "i have nowhere safe to live"),
    ("getting-your-documents-back", "get my passport back"),
    ("after-you-report", "what happens after i report"),
]


@pytest.mark.parametrize(("slug", "query"), QUERIES)
def test_reader_query_finds_the_page_in_the_first_three(search_app, engine, langs, slug, query):
    with search_app.test_request_context("/en/search"):
        found = engine.search(langs.get("en"), query)
    shown = [hit.url for hit in found.hits[:3]]
    assert f"/en/{slug}" in shown, shown
