"""Adding a language is one ``Lang(...)`` line: a throw-away Dutch, declared in this
test only, gets routing, catalogues, rendering and a working search with no other
code change (its text rules come from its script: Latin)."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po, write_po

from portal import locales, scripts
from portal.pofiles import po_path
from portal.search.cli import build_index


def html(response) -> str:
    return response.get_data(as_text=True)


DUTCH = locales.Lang("nl", "nl", "Dutch", aliases=("nl-nl", "nl-be"))


@pytest.fixture
def dutch_app(make_app, monkeypatch):
    monkeypatch.setattr(locales, "SERVED", locales.SERVED + (DUTCH,))
    monkeypatch.setattr(locales, "ALL", locales.ALL + (DUTCH,))
    app = make_app()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["i18n", "init", "nl"])
    assert result.exit_code == 0, result.output
    translate(po_path(make_app.translations, DUTCH, "content"), {
        ("page:get-help-now", "Get help now"): "Nu hulp krijgen",
        ("page:get-help-now", "What to do if you are in danger now, or if you need to "
                              "talk to someone about your situation."):
            "Wat u moet doen als u nu in gevaar bent of met iemand wilt praten over "
            "uw situatie.",
    })
    translate(po_path(make_app.translations, DUTCH, "messages"), {
        (None, "Leave this site now"): "Verlaat deze site nu",
    })
    result = runner.invoke(args=["i18n", "compile", "nl"])
    assert result.exit_code == 0, result.output
    return app


def translate(path, entries: dict):
    with open(path, "rb") as fp:
        catalog = read_po(fp)
    for (context, msgid), text in entries.items():
        message = catalog.get(msgid, context=context)
        assert message is not None, msgid
        message.string = text
    with open(path, "wb") as fp:
        write_po(fp, catalog)


def test_the_language_gets_its_script_rules():
    assert DUTCH.rules is scripts.LATIN
    assert DUTCH.dir == "ltr" and DUTCH.bcp47 == "nl"


def test_routing_negotiation_and_aliases(dutch_app):
    client = dutch_app.test_client()
    response = client.get("/", headers={"Accept-Language": "nl-BE,nl;q=0.9"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/nl/")
    response = client.get("/nl-NL/get-help-now")
    assert response.status_code == 301
    assert response.headers["Location"] == "/nl/get-help-now"


def test_catalogues_render_with_marked_fallback(dutch_app):
    page = html(dutch_app.test_client().get("/nl/get-help-now"))
    assert '<html lang="nl" dir="ltr"' in page
    assert "Nu hulp krijgen" in page
    assert "Verlaat deze site nu" in page
    # An untranslated paragraph is the English, marked as English.
    assert 'lang="en" dir="ltr"' in page
    assert ">Nederlands<" in page  # Babel's endonym in the language list


def test_search_works_in_the_new_language(dutch_app):
    with dutch_app.app_context():
        build_index(dutch_app, codes=("en", "nl"))
    client = dutch_app.test_client()
    response = client.get("/nl/search?q=hulp+krygen")  # a typo, as readers type
    assert response.status_code == 200
    page = html(response)
    assert 'href="/nl/get-help-now"' in page
    assert "<mark>" in page
