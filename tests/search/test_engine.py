"""The engine over the session index: results, English fallback, suggestions, bounds."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh.query import Or, Term

from portal.search import MIN_HITS, Found


def urls(found: Found):
    return [h.url for h in found.hits]


def test_every_public_locale_is_indexed_with_pages_and_services(search_app, engine, langs):
    from portal.search.index import read_stamp

    stamp = read_stamp(search_app.config["INDEX_DIR"])
    store = search_app.extensions["content"]
    # pages, services, news, and the two app pages (partners, resources)
    expected = len(store.pages) + len(store.services) + len(store.news) + 2
    assert sorted(stamp["locales"]) == sorted(lang.code for lang in langs.public)
    assert set(stamp["documents"].values()) == {expected}


def test_results_link_to_the_readers_locale(engine, langs):
    found = engine.search(langs.get("en"), "passport")
    assert found.hits
    assert all(h.url.startswith("/en/") for h in found.hits)
    found = engine.search(langs.get("sq"), "helpline")
    assert found.hits and all(h.url.startswith("/sq/") for h in found.hits)


def test_services_link_to_their_page(engine, langs):
    found = engine.search(langs.get("en"), "childline")
    assert "/en/services/childline" in urls(found)[:3]
    hit = next(h for h in found.hits if h.url == "/en/services/childline")
    assert hit.kind == "service"


def test_title_matches_rank_first(engine, langs):
    assert urls(engine.search(langs.get("en"), "domestic servitude"))[0] == (
        "/en/domestic-servitude")


def test_all_words_before_any_word(engine, langs):
    found = engine.search(langs.get("en"), "cuckooing gang")
    assert urls(found)[0] == "/en/criminal-exploitation"


def test_a_close_typo_still_matches(engine, langs):
    assert "/en/criminal-exploitation" in urls(engine.search(langs.get("en"), "cuckoing"))
    found = engine.search(langs.get("en"), "pasport")
    assert found.hits
    assert "passport" in str(found.hits[0].snippet)


def test_short_words_are_not_fuzzy(engine, langs):
    # "pya" is three letters: no typo matching, so no results
    found = engine.search(langs.get("en"), "pya")
    assert not found.hits


def test_did_you_mean_uses_real_words(engine, langs):
    assert engine.search(langs.get("en"), "pasport taken").suggestion == "passport taken"
    assert engine.search(langs.get("en"), "passport").suggestion is None


def test_missing_diacritics_match(engine, langs):
    written = engine.search(langs.get("sq"), "pasaportën")
    typed = engine.search(langs.get("sq"), "pasaporten")
    # The same best page, and the same pages near the top: the exact spelling may
    # order near-equal pages a little differently (it scores an exact match higher).
    assert typed.hits and urls(typed)[0] == urls(written)[0]
    assert set(urls(written)[:3]) <= set(urls(typed)[:5])


def test_snippets_are_escaped_and_marked(engine, langs):
    found = engine.search(langs.get("en"), "passport")
    for hit in found.hits:
        assert "<mark>" in str(hit.snippet)
        assert "<script" not in str(hit.snippet)
        assert len(hit.snippet.striptags()) <= 200


def test_english_results_follow_when_a_locale_finds_few(engine, langs):
    # English words on the Albanian site: few Albanian hits, English ones follow.
    found = engine.search(langs.get("sq"), "housework underfed")
    assert len(found.hits) < MIN_HITS
    assert found.english
    assert all(h.english and h.url.startswith("/en/") for h in found.english)
    assert all(h.title_lang.code == "en" for h in found.english)
    assert not {h.key for h in found.hits} & {h.key for h in found.english}


def test_no_english_section_on_the_english_site(engine, langs):
    assert not engine.search(langs.get("en"), "xyzzy plugh").english


def test_at_most_the_limit(engine, langs):
    found = engine.search(langs.get("en"), "help", limit=10)
    assert len(found.hits) <= 10


def test_news_is_found_and_links_to_its_page(search_app, engine, langs):
    with search_app.test_request_context("/en/search"):
        found = engine.search(langs.get("en"), "portal launched partnership")
    news = [h for h in found.hits if h.kind == "news"]
    assert news
    client = search_app.test_client()
    for hit in news:
        assert client.get(hit.url).status_code == 200, hit.url


@pytest.mark.parametrize("collected_by", ["held postings", "Whoosh's collectors"])
def test_zero_time_limit_gives_partial_results_not_errors(search_app, langs, monkeypatch,
                                                          collected_by):
    from portal.search import WhooshSearch, ranking

    if collected_by != "held postings":  # as for an index too large to hold
        monkeypatch.setattr(ranking, "SMALL_INDEX", 0)

    hurried = WhooshSearch(search_app.config["INDEX_DIR"], reload_interval=0,
                           time_limit=0.0, locales=("en",))
    patient = WhooshSearch(search_app.config["INDEX_DIR"], reload_interval=0,
                           time_limit=30.0, locales=("en",))
    query = "help passport work pay"
    with search_app.test_request_context("/en/search"):
        partial = hurried.search(langs.get("en"), query)  # raises if the cut is an error
        full = patient.search(langs.get("en"), query)
    assert full.hits
    # The limit cuts (the clock is read at each match, or at each document of the
    # top-level group for held postings: one hit per tier at most) and
    # what it keeps are real matches: documents holding at least one of the words.
    assert len(partial.hits) <= 4 < len(full.hits)
    with patient._searcher("en") as (searcher, _):
        words = Or([Term("fbody", w) for w in query.split()])
        holding = {searcher.stored_fields(d)["key"] for d in words.docs(searcher)}
    assert partial.hits and {h.key for h in partial.hits} <= holding
    assert partial.total == len(partial.hits) + len(partial.english)


def test_serving_never_writes_to_the_index(search_app, engine, langs):
    root = os.path.realpath(os.path.join(search_app.config["INDEX_DIR"], "current"))

    def snapshot():
        out = {}
        for dirpath, _, files in os.walk(root):
            for name in files:
                path = os.path.join(dirpath, name)
                out[path] = os.stat(path).st_mtime_ns
        return out

    before = snapshot()
    with search_app.test_request_context("/en/search"):
        for code in ("en", "ar", "zh-hans", "vi"):
            engine.search(langs.get(code), "help passport pasport")
    assert snapshot() == before


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow,
                                 HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=250), code=st.sampled_from(["en", "ar", "zh-hans", "pl", "fa"]))
def test_search_never_raises(search_app, engine, langs, text, code):
    with search_app.test_request_context("/en/search"):
        found = engine.search(langs.get(code), text)
    assert len(found.hits) + len(found.english) <= 10


def test_suggestion_keeps_the_readers_typing_style(engine, langs):
    # typed without tones: the suggestion has none either (tôi, not tội)
    assert engine.search(langs.get("vi"), "quyen cua toii").suggestion == "quyen cua toi"
