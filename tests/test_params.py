"""Every route, every parameter: strict parsing, a 400 in the reader's language for a
value outside its domain, never a 500 (``str.isdigit()`` once let "²" reach ``int()``)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal import create_app
from portal.config import ROOT
from portal.params import Choice, Flag, Language, Number, Text, declared, names

# Digits that are not ASCII: superscripts, circled, Arabic-Indic, Persian, Devanagari,
# Kharoshthi (U+10A40), fullwidth, mathematical bold.
OTHER_DIGITS = "²³¹①⑨٠١٢٣۰۱۲۳४५੬༣၃០᠑𐩀０９𝟎𝟗"
# Any code point at all, lone surrogates included (sent as their UTF-8-style bytes).
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=40)
ALLOWED = {200, 301, 302, 303, 304, 308, 400, 404, 405, 414, 503}
EVERY_NAME = {"page", "need", "who", "with", "review", "q", "lang", "next"}


@pytest.fixture(scope="module")
def app():
    # Crashes become 500 responses here, as in production, for the test to see.
    return create_app({"TESTING": True, "PROPAGATE_EXCEPTIONS": False,
                       "RELOAD_INTERVAL": 60.0, "PSEUDO_LOCALES": False})


def encode(value: str) -> str:
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def get_rules(app):
    return sorted((r for r in app.url_map.iter_rules() if "GET" in (r.methods or ())),
                  key=lambda r: r.rule)


def good_value(kind, app):
    if isinstance(kind, Number):
        return st.integers(1, kind.maximum).map(str)
    if isinstance(kind, Choice):
        return st.sampled_from(kind.allowed)
    if isinstance(kind, Flag):
        return st.just("1")
    if isinstance(kind, Language):
        return st.sampled_from([lang.code for lang in app.extensions["i18n"].registry])
    return ANY_TEXT


def hostile_value():
    return st.one_of(
        ANY_TEXT,
        st.text(st.sampled_from(OTHER_DIGITS), min_size=1, max_size=6),
        st.text(st.sampled_from("0123456789" + OTHER_DIGITS + "-+. \n\x00"), min_size=1,
                max_size=8),
        st.integers(-10**30, 10**30).map(str),
        st.text(st.characters(codec="ascii"), max_size=80),
    )


def in_domain(kind, raw: str, app) -> bool:
    if raw == "" or isinstance(kind, Text):
        return True
    if len(raw) > (kind.max_length or len(raw)) or not raw.isascii():
        return False
    try:
        with app.test_request_context("/"):
            kind.parse(raw)
    except ValueError:
        return False
    return True


def test_every_query_reading_view_declares_its_parameters():
    """No view reads the query string except through ``portal.params``."""
    allowed = {"params.py", "caching.py", "locale.py"}
    for path in (ROOT / "portal").rglob("*.py"):
        if path.name in allowed:
            continue
        text = path.read_text(encoding="utf-8")
        found = re.findall(r"request\.(args|values|query_string|form)\b", text)
        assert not found, f"{Path(path).relative_to(ROOT)} reads request.{found[0]}"


def test_the_declared_parameters(app):
    found = {rule.endpoint: set(declared(app.view_functions[rule.endpoint]).params)
             for rule in get_rules(app)}
    assert found["news.listing"] == {"page"}
    assert found["services.directory"] == {"need", "who"}
    assert found["pages.page"] == {"with", "review"}
    assert found["search.results"] == {"q"}
    assert declared(app.view_functions["search.results"]).private


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(data=st.data())
def test_any_value_of_any_parameter_of_any_route(app, data):
    client = app.test_client()
    registry = app.extensions["i18n"].registry
    rule = data.draw(st.sampled_from(get_rules(app)), label="rule")
    url = rule.rule
    lang = None
    for arg in sorted(rule.arguments):
        if arg == "lang":
            value = data.draw(st.one_of(st.sampled_from([lang.code for lang in registry]),
                                        ANY_TEXT.filter(bool)), label="lang")
            lang = registry.get(value)
        else:
            value = data.draw(ANY_TEXT.filter(bool), label=arg)
        url = re.sub(r"<(?:[^:>]+:)?" + arg + ">", encode(value), url)
    view = app.view_functions[rule.endpoint]
    params = declared(view).params
    sent = {}
    for name, kind in params.items():
        choice = data.draw(st.sampled_from(["absent", "good", "hostile"]), label=name)
        if choice == "good":
            sent[name] = data.draw(good_value(kind, app), label=name)
        elif choice == "hostile":
            sent[name] = data.draw(hostile_value(), label=name)
    # Every parameter any route reads, sent to every route too: a view that read one
    # without declaring it would still meet hostile values here.
    for name in sorted(EVERY_NAME | names(app.view_functions.values()) - set(params)):
        if data.draw(st.booleans(), label=f"send {name}"):
            sent[name] = data.draw(hostile_value(), label=name)
    query = "&".join(f"{name}={encode(value)}" for name, value in sent.items())
    response = client.get(url + ("?" + query if query else ""))
    assert response.status_code in ALLOWED, (url, query, response.status_code)
    outside = [name for name, value in sent.items()
               if name in params and not in_domain(params[name], value, app)]
    with app.test_request_context(url + ("?" + query if query else "")) as ctx:
        routed = ctx.request.url_rule is not None and (
            ctx.request.url_rule.endpoint == rule.endpoint)
    if routed and lang is not None and outside:
        assert response.status_code == 400, (url, query, outside)
    if response.status_code == 400 and lang is not None:
        assert f'<html lang="{lang.bcp47}"' in response.get_data(as_text=True)


@pytest.mark.parametrize("value", list(OTHER_DIGITS))
def test_no_digit_of_another_script_is_a_page_number(app, value):
    response = app.test_client().get("/en/news?page=" + encode(value))
    assert response.status_code == 400


@pytest.mark.parametrize("value", ["1", "2", "0001", "9999"])
def test_ascii_page_numbers_are_pages(app, value):
    assert app.test_client().get(f"/en/news?page={value}").status_code in (200, 404)


@pytest.mark.parametrize("value", ["00001", "10000", "0", "9" * 40])
def test_page_numbers_are_bounded(app, value):
    assert app.test_client().get(f"/en/news?page={value}").status_code == 400
