"""Markup in a translation is compared as a whole: tags, attributes, values, quoting.

Interface strings are output as HTML, so a quote is markup too: written into an
attribute (the exit bar's ``data-two="…"``) ``" inert x="`` would switch the exit off.
"""

from __future__ import annotations

import pytest

from portal.checks import check_markup, check_text

BREAKOUTS = [
    ('Ka bax" inert x="', "inert"),
    ('Ka bax" hidden x="', "hidden"),
    ('Ka bax" href="https://example.invalid', "href"),
    ("Ka bax' inert x='", "inert"),
    ("Ka bax' hidden x='", "hidden"),
    ("Ka bax' href='https://example.invalid", "href"),
    ('Ka bax" inert aria-hidden="true', "inert"),
]


@pytest.mark.parametrize(("translation", "attribute"), BREAKOUTS)
def test_attribute_breakout_fails_naming_the_attribute(translation, attribute):
    problems = check_text("Leave this site now", translation, markdown=False)
    assert any(f"attribute {attribute}" in p for p in problems), problems


@pytest.mark.parametrize(
    ("source", "translation", "needle"),
    [
        ('Read <a href="/en/x">this</a>.', 'Lisez <a href="/en/x" inert>ceci</a>.',
         "attribute inert added to <a>"),
        ('Read <a href="/en/x">this</a>.', 'Lisez <a href="/en/y">ceci</a>.',
         "attribute href of <a> has another value"),
        ('Read <a href="/en/x">this</a>.', "Lisez <a href='/en/x'>ceci</a>.",
         "attribute href of <a> is quoted differently"),
        ('Read <a href="/en/x">this</a>.', "Lisez <a href=/en/x>ceci</a>.",
         "attribute href of <a> is quoted differently"),
        ('<b class="k">x</b>', "<b>x</b>", "attribute class removed from <b>"),
        ("Safe text.", "Texte <script>alert(1)</script>.", "HTML markup differs"),
        ("Safe text.", 'Texte <b hidden>x</b>.', "HTML markup differs"),
    ],
)
def test_tags_are_compared_with_their_attributes(source, translation, needle):
    problems = check_markup(source, translation)
    assert any(needle in p for p in problems), problems


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("Charities", "Hay'adaha samafalka"),  # Somali: an apostrophe inside a word
        ("Printable materials", "Materiale për t'i printuar"),  # Albanian
        ('Read <a href="/en/x">this</a>.', 'Lisez <a href="/en/x">ceci</a>.'),
        ("<b>Note:</b> call.", "Appelez. <b>Note :</b>"),  # tags may move
        ('Say "yes".', 'Dites "oui".'),
    ],
)
def test_the_same_markup_passes(source, translation):
    assert check_markup(source, translation) == []


def test_quotes_in_markdown_content_are_text():
    """Content is rendered by markdown-it, which escapes quotes: only raw HTML counts."""
    source = "The Home Office says no business should claim to be slavery free."
    translation = 'Ministerstwo mówi, że żadna firma nie powinna twierdzić "wolna od niewolnictwa".'
    assert check_markup(source, translation, raw_html=False) == []
    assert check_markup(source, translation, raw_html=True) != []


def test_exit_bar_and_banner_escape_a_translation_even_unchecked(make_app, monkeypatch):
    """The second wall: were the check ever to miss one, the exit bar and the emergency
    banner would still print the breakout as text, never as an attribute."""
    from html.parser import HTMLParser

    from babel.messages.pofile import read_po, write_po

    import portal.catalogs

    make_app()  # copies content/ and translations/
    po = make_app.translations / "so" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fp:
        catalog = read_po(fp)
    for source in ("Leave this site now", "Press Shift 2 more times to leave this site.",
                   "Stay safe online", "In danger now? Call %(number)s."):
        catalog[source].string += '" inert x="<b hidden>'
    with po.open("wb") as fp:
        write_po(fp, catalog, width=0)
    monkeypatch.setattr(portal.catalogs, "quarantine", lambda *args: {})
    app = make_app()
    assert app.test_cli_runner().invoke(args=["i18n", "compile"]).exit_code == 0
    app.extensions["i18n"].catalogs.reload_now()
    body = app.test_client().get("/so/").get_data(as_text=True)

    class Attributes(HTMLParser):
        found: list = []

        def handle_starttag(self, tag, attrs):
            self.found.append((tag, dict(attrs)))

    parser = Attributes()
    parser.found = []
    parser.feed(body)
    exit_link = next(a for t, a in parser.found if a.get("id") == "exit")
    assert exit_link == {"class": "exit-btn", "id": "exit", "href": "/exit", "rel": "noreferrer"}
    bar = next(a for t, a in parser.found if a.get("id") == "exit-bar")
    assert set(bar) == {"class", "id", "data-leaving", "data-two", "data-one"}
    assert '" inert x="' in bar["data-two"]  # text, as typed
    assert not any("inert" in a or "hidden" in a for _, a in parser.found)
    assert "&lt;b hidden&gt;" in body
