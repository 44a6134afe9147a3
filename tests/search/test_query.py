"""Queries are built, never parsed: hostile text is only ever words."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh.query import FuzzyTerm, Phrase, Term

from portal.locales import SERVED
from portal.search.query import build_query, clean
from portal.search.snippets import snippet, within_one

CODES = [lang.code for lang in SERVED]

HOSTILE = [
    "field:foo",
    "title:passport body:*",
    "*",
    "pass*",
    "?assport",
    "pa?sport*",
    "[a TO z]",
    "{a TO z}",
    "date:[20200101 TO 20301231]",
    "help AND passport",
    "help OR NOT passport",
    "NOT",
    "AND OR NOT",
    '"unterminated phrase',
    '"passport taken"~5',
    "((((((((((help",
    "help)))))",
    "passport^100",
    "help~2",
    "\u202eedisrever\u202c \u2066isolate\u2069",
    "help\x00passport",
    "\x00\x01\x02\x7f",
    "\ud800 lone surrogate",
    "\ufeffbom",
    "a" * 10_000,
    "help " * 2_000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00%2a",
    "",
    "   ",
]


def _terms(query):
    if query is None:
        return []
    out = []
    for q in query.leaves():
        out.append(q)
    return out


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("code", ["en", "ar", "zh-hans", "hi", "vi"])
def test_hostile_input_is_only_words(text, code):
    built = build_query(text, code)
    for leaf in _terms(built.strict) + _terms(built.loose) + _terms(built.phrase):
        assert isinstance(leaf, Term | FuzzyTerm | Phrase)
        assert leaf.fieldname in {"title", "summary", "body", "ftitle", "fbody"}
        words = leaf.words if isinstance(leaf, Phrase) else [leaf.text]
        for word in words:
            assert not set(word) & set("*?[]{}():^~\"\x00\u202e\u2066")
            assert len(word) <= 64


def test_field_syntax_is_two_plain_words():
    built = build_query("field:foo", "en")
    assert [w.text for w in built.words] == ["field", "foo"]


def test_operators_are_words_or_stop_words():
    built = build_query("help AND passport", "en")
    # "and" is an English stop word; nothing else happens to it
    assert [w.exact for w in built.words] == [["help"], ["passport"]]
    built = build_query("hilfe AND pass", "pl")
    assert [w.text for w in built.words] == ["hilfe", "AND", "pass"]


def test_query_is_cut_before_parsing_and_words_are_capped():
    built = build_query("help " * 2_000, "en")
    assert len(built.text) == 200
    assert len(built.words) <= 12
    assert len(build_query("x" * 10_000, "en").text) == 200


def test_invisible_and_control_characters_are_separators():
    assert clean("help\x00me") == "help me"
    assert clean("\u202epass\u202c") == " pass "
    assert clean("می\u200cخواهم") == "می\u200cخواهم"  # ZWNJ is part of a word


def test_typos_are_fuzzy_only_for_words_of_four_letters_or_more():
    fuzzy = [q for q in _terms(build_query("pasport", "en").strict)
             if isinstance(q, FuzzyTerm)]
    assert fuzzy and all(q.maxdist == 1 and q.fieldname in ("ftitle", "fbody")
                         for q in fuzzy)
    assert not [q for q in _terms(build_query("pay", "en").strict)
                if isinstance(q, FuzzyTerm)]


def test_phrase_is_sought_for_two_words_or_more():
    leaves = _terms(build_query("passport taken", "en").phrase)
    assert leaves and all(isinstance(q, Phrase) for q in leaves)
    assert build_query("passport", "en").phrase is None


def test_only_stop_words_is_an_empty_query():
    assert build_query("the and of", "en").empty
    assert build_query("***", "en").empty


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=400), code=st.sampled_from(CODES + ["en-xa", "xx", ""]))
def test_build_query_never_raises(text, code):
    built = build_query(text, code)
    assert len(built.text) <= 200


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_snippet_never_raises_and_escapes(text):
    built = build_query(text, "en")
    passage, _ = snippet([(text, "en"), ("<b>help</b> & more", "en")], built)
    assert "<b>" not in str(passage)


def test_snippet_marks_matches_and_escapes_the_rest():
    built = build_query("passport", "en")
    passage, code = snippet([("Someone <b>keeps</b> your passport & ID.", "en")], built)
    assert str(passage) == ("Someone &lt;b&gt;keeps&lt;/b&gt; your <mark>passport</mark> "
                            "&amp; ID.")
    assert code == "en"


def test_snippet_marks_folded_and_typo_matches():
    built = build_query("quyen", "vi")
    passage, _ = snippet([("Bạn có quyền được giúp đỡ.", "vi")], built)
    assert "<mark>quyền</mark>" in str(passage)
    built = build_query("pasport", "en")
    passage, _ = snippet([("Keep your passport safe.", "en")], built)
    assert "<mark>passport</mark>" in str(passage)


def test_snippet_is_short():
    built = build_query("help", "en")
    text = "word " * 200 + "help " + "word " * 200
    passage, _ = snippet([(text, "en")], built)
    assert len(str(passage)) < 220
    assert "<mark>help</mark>" in str(passage)


def test_within_one():
    assert within_one("passport", "pasport")
    assert within_one("passport", "passpprt")
    assert within_one("help", "helps")
    assert not within_one("help", "hello!")
    assert not within_one("passport", "psasport")
