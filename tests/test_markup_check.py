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
