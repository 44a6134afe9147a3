"""What keeps a search cheap (issue 20), asserted as behaviour, never as timings:
indexes opened on demand under an LRU bound, typos looked up only when needed, a
result cache keyed by the normalised query, per-language synonyms, snippets that skip
blocks without a query term, and a page cache bounded in bytes."""

from __future__ import annotations

import pytest
import yaml
from whoosh.reading import SegmentReader

from portal.config import ROOT
from portal.delivery import Entry, PageCache
from portal.locales import SERVED, WAVE1
from portal.search import MIN_HITS, WhooshSearch
from portal.search.cache import normalised
from portal.search.opened import LocaleIndex
from portal.search.query import build_query
from portal.search.snippets import snippet
from portal.search.synonyms import MAX_ENTRIES, Synonyms, blocks, parse


@pytest.fixture
def fresh(search_app):
    """A new engine over the session's index: nothing open, nothing cached."""

    def make(**options):
        config = search_app.config
        return WhooshSearch(config["INDEX_DIR"], reload_interval=60.0,
                            locales=tuple(lang.code for lang in WAVE1), **options)

    return make


# Opening -----------------------------------------------------------------------------

def test_indexes_open_on_demand(fresh, langs):
    engine = fresh()
    assert engine.open_codes() == []
    engine.search(langs.get("pl"), "paszport")
    assert "pl" in engine.open_codes()
    assert "vi" not in engine.open_codes()


def test_at_most_the_configured_number_of_indexes_stay_open(fresh, monkeypatch):
    closed = []
    real_close = LocaleIndex.close

    def spy(index):
        closed.append(index)
        real_close(index)

    monkeypatch.setattr(LocaleIndex, "close", spy)
    engine = fresh(open_indexes=2, cache_items=0)
    for code in ("en", "pl", "ro", "en", "vi"):
        with engine._searcher(code):
            pass
    # Least recently used first out: en (for ro), pl (for en again), ro (for vi).
    assert engine.open_codes() == ["en", "vi"]
    assert len(closed) == 3 and all(index.evicted for index in closed)
    assert all(index.busy == 0 and not index.idle for index in closed)


def test_an_evicted_index_closes_only_when_its_last_search_ends(fresh):
    engine = fresh(open_indexes=1)
    opened = engine._current()
    with engine._searcher("en") as (_, index):
        opened.index("pl")  # evicts en while a search holds one of its searchers
        assert index.evicted and index.busy == 1
        closed = []
        index.close = lambda: closed.append(True)
    assert closed == [True]


def test_searchers_are_reused_not_opened_per_search(fresh, langs, monkeypatch):
    engine = fresh(cache_items=0)
    engine.search(langs.get("en"), "passport")
    index = engine._current().index("en")
    opened = []
    real = index.ix.searcher
    monkeypatch.setattr(index.ix, "searcher", lambda: opened.append(1) or real())
    for text in ("passport", "helpline", "police", "work"):
        engine.search(langs.get("en"), text)
    assert opened == []


# Typos -------------------------------------------------------------------------------

@pytest.fixture
def lexicon_walks(monkeypatch):
    calls = []
    real = SegmentReader.terms_within

    def spy(self, fieldname, text, maxdist, prefix=0):
        calls.append(text)
        return real(self, fieldname, text, maxdist, prefix=prefix)

    monkeypatch.setattr(SegmentReader, "terms_within", spy)
    return calls


def test_no_typo_lookup_when_the_words_as_typed_find_enough(fresh, langs, lexicon_walks):
    found = fresh(cache_items=0).search(langs.get("en"), "passport employer police")
    assert len(found.hits) >= 3
    assert lexicon_walks == []


def test_a_word_the_index_does_not_hold_is_looked_up_one_typo_away(fresh, langs,
                                                                   lexicon_walks):
    found = fresh(cache_items=0).search(langs.get("en"), "pasport")
    assert "pasport" in lexicon_walks
    assert any("documents" in h.url or "rights-at-work" in h.url for h in found.hits[:5])


def test_short_words_are_never_looked_up_for_typos(fresh, lexicon_walks):
    from portal.search.ranking import run

    engine = fresh(cache_items=0)
    with engine._searcher("en") as (searcher, _):
        run(searcher, build_query("zqx pasport", "en"), 20, 0.5)
    assert lexicon_walks == ["pasport"]


# The result cache ----------------------------------------------------------------------

def test_the_cache_is_keyed_by_the_normalised_query(fresh, langs, monkeypatch):
    engine = fresh(cache_items=16)
    runs = []
    real = engine._search_one
    monkeypatch.setattr(engine, "_search_one", lambda *a: runs.append(a[1]) or real(*a))
    first = engine.search(langs.get("en"), "Passport  HELP")
    again = engine.search(langs.get("en"), " passport help\u00a0")
    assert again is first and runs == ["Passport  HELP"]
    engine.search(langs.get("pl"), "passport help")  # another language: its own entry
    assert len(runs) == 2
    assert normalised("ＰＡＳＳＰＯＲＴ\x00help", 200) == "passport help"


def test_the_cache_is_bounded(fresh, langs):
    engine = fresh(cache_items=3)
    for text in ("help", "police", "passport", "work", "money"):
        engine.search(langs.get("en"), text)
    assert len(engine.cache) == 3


def test_the_english_fallback_is_searched_once_per_query(fresh, langs, monkeypatch):
    engine = fresh(cache_items=16)
    english = []
    real = engine._search_one
    monkeypatch.setattr(engine, "_search_one",
                        lambda lang, *a: english.append(lang.code) or real(lang, *a))
    # A word few pages hold: two languages look for more in English.
    for code in ("pl", "ro"):
        found = engine.search(langs.get(code), "Kalayaan")
        assert len(found.hits) < MIN_HITS
    assert english.count("en") == 1


# Synonyms ------------------------------------------------------------------------------

def test_the_synonym_list_is_short_and_every_entry_parses():
    entries = blocks(ROOT / "content")
    assert 0 < len(entries) <= MAX_ENTRIES
    raw = yaml.safe_load((ROOT / "content" / "synonyms.yaml").read_text(encoding="utf-8"))
    assert len(raw) <= MAX_ENTRIES
    for block in entries:
        typed, pages = parse(block.text)
        assert typed and pages, block.text


def test_every_translated_entry_parses(search_app):
    """A translation that lost its colon or commas would silently do nothing."""
    i18n = search_app.extensions["i18n"]
    for lang in SERVED[1:]:
        for block in blocks(ROOT / "content"):
            text, shown = i18n.translate(lang, block.context, block.text)
            if shown.code == lang.code:
                typed, pages = parse(text)
                assert typed and pages, (lang.code, text)


def test_synonyms_are_each_languages_own(fresh):
    engine = fresh()
    phrases = {}
    for code in ("en", "pl"):
        with engine._searcher(code) as (_, index):
            phrases[code] = {rule.phrase for rule in index.synonyms.rules}
    assert ("boss",) in phrases["en"]
    assert ("szef",) in phrases["pl"] and ("boss",) not in phrases["pl"]


def test_a_phrase_gets_the_pages_words_as_alternatives():
    synonyms = Synonyms.from_json([{"phrase": ["send", "back"], "alts": [["removed", "uk"]]}])
    built = build_query("will they send me back home", "en", synonyms=synonyms)
    texts = [w.text for w in built.words]
    assert "send me back" in texts
    group = built.words[texts.index("send me back")]
    assert group.alts == [["removed", "uk"]] and group.fold == ["send", "back"]
    plain = build_query("will they send me back home", "en")
    assert all(not w.alts for w in plain.words)


def test_a_synonym_finds_a_page_that_never_uses_the_readers_words(engine, langs):
    # The pages say "employer"; readers say "boss".
    found = engine.search(langs.get("en"), "boss keeps my passport")
    assert "getting-your-documents-back" in [h.url.split("/", 2)[2] for h in found.hits[:3]]


def test_a_page_named_in_the_pages_words_ranks_as_if_named_in_the_readers(engine, langs):
    # "have sex" → "sexual exploitation": its page's title holds the pages' words, and
    # now counts as a title holding the reader's; other pages hold "forced" and "men".
    found = engine.search(langs.get("en"), "forced to have sex with men")
    assert found.hits[0].url.split("/", 2)[2] == "sexual-exploitation"


# Snippets ------------------------------------------------------------------------------

def test_snippets_skip_blocks_whose_stored_terms_hold_no_query_word(monkeypatch):
    from portal.search import snippets

    built = build_query("passport", "en")
    built.words[0].typos = []  # looked up: nothing one typo away
    analysed = []
    real = snippets.match_spans
    monkeypatch.setattr(snippets, "match_spans",
                        lambda text, m: analysed.append(text) or real(text, m))
    texts = [("Nothing here.", "en"), ("Keep your passport safe.", "en")]
    passage, _ = snippet(texts, built, terms=[" noth ", " keep passport safe "])
    assert "<mark>passport</mark>" in passage
    assert analysed == ["Keep your passport safe."]


def test_stored_terms_keep_exact_stems_apart_from_folded_words():
    """Turkish stems "telefonlarda" to "telefon", the folded form of the query word
    "telefon" (whose own stem is "telefo"): the block holds no form of the query word
    as the snippet's analysis reads it, so its stored terms must not say it does."""
    from portal.search.analysis import analysis_for
    from portal.search.index import block_terms
    from portal.search.snippets import Matcher, match_spans

    text = "Başka telefonlarda ya da bilgisayarlarda"
    held = block_terms(analysis_for("tr"), text)
    assert " telefon " in held and " ~telefonlarda " in held
    built = build_query("telefon", "tr")
    built.words[0].typos = []
    matcher = Matcher(built)
    assert built.words[0].fold == ["telefon"] and built.words[0].exact != ["telefon"]
    assert match_spans(text, matcher)[0] == []
    assert not matcher.may_match(held) and matcher.count(held) == 0


def test_a_block_that_cannot_hold_more_query_words_is_not_analysed(monkeypatch):
    from portal.search import snippets

    analysed = []
    real = snippets.match_spans
    monkeypatch.setattr(snippets, "match_spans",
                        lambda text, m: analysed.append(text) or real(text, m))
    built = build_query("passport safe", "en")
    for word in built.words:
        word.typos = []
    texts = [("Your passport.", "en"), ("A passport again.", "en"),
             ("Keep your passport safe.", "en")]
    terms = [" passport your ~passport ~your ", " again passport ~again ~passport ",
             " keep passport safe your ~keep ~passport ~safe ~your "]
    passage, _ = snippet(texts, built, terms=terms)
    assert "<mark>safe</mark>" in passage
    # The second holds one word, as the first did: only the first and the third read.
    assert analysed == ["Your passport.", "Keep your passport safe."]


# The page cache ----------------------------------------------------------------------------

def test_the_page_cache_is_bounded_in_bytes():
    entries = [Entry.build(f"<p>{i}</p>" + "x" * 2000) for i in range(10)]
    size = entries[0].size
    cache = PageCache(1000, max_bytes=size * 3)
    for i, entry in enumerate(entries):
        cache.put(i, 1, entry)
    assert len(cache) == 3 and cache.bytes <= size * 3
    assert cache.get(9, 1) is entries[9] and cache.get(0, 1) is None
    cache.put("huge", 1, Entry.build("y" * 100_000))
    assert cache.get("huge", 1) is None  # larger than the whole cache: never kept


def test_the_page_cache_bound_comes_from_configuration(make_app):
    app = make_app(PAGE_CACHE_BYTES=12345)
    assert app.extensions["delivery"].max_bytes == 12345
