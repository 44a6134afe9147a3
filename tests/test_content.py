"""The English source: the extractor's messages and the content check's faults."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from portal.extract import extract_content, extract_services

PAGE = b"""---
title: Sample page
summary: A one-line summary.
audience: victims
order: 5
---
## A heading

A paragraph with [a link](get-help-now) and 08000 121 700.

- first item
- second item
"""


def _run(extractor, data: bytes, name: str):
    fileobj = io.BytesIO(data)
    fileobj.name = name
    return list(extractor(fileobj, {}, [], {}))


def test_extractor_gives_one_message_per_block_with_context():
    messages = _run(extract_content, PAGE, "content/pages/sample.md")
    texts = [(funcname, msg) for _, funcname, msg, _ in messages]
    assert texts == [
        ("pgettext", ("page:sample", "Sample page")),
        ("pgettext", ("page:sample", "A one-line summary.")),
        ("pgettext", ("page:sample", "A heading")),
        ("pgettext", ("page:sample", "A paragraph with [a link](get-help-now) and 08000 121 700.")),
        ("pgettext", ("page:sample", "first item")),
        ("pgettext", ("page:sample", "second item")),
    ]
    notes = messages[3][3]
    assert "paragraph" in notes[0]
    assert any("08000 121 700" in n and "(get-help-now)" in n for n in notes)


def test_news_items_get_their_own_context():
    item = b"---\ntitle: T\nsummary: S\ndate: 2026-01-02\n---\nBody.\n"
    messages = _run(extract_content, item, "content/news/2026-01-02-x.md")
    assert {m[2][0] for m in messages} == {"news:2026-01-02-x"}


def test_service_fields_are_messages():
    record = b"""name: Example line
description: Helps people.
needs: [support]
eligibility: anyone
schedule: Every day.
phones:
  - number: "999"
    description: In danger.
source_url: https://example.org/
source_date: 2026-01
"""
    messages = _run(extract_services, record, "content/services/example.yaml")
    assert [m[2] for m in messages] == [
        ("service:example", "Example line"),
        ("service:example", "Helps people."),
        ("service:example", "Every day."),
        ("service:example", "In danger."),
    ]


# The content check --------------------------------------------------------------------
def _check(app):
    from portal.content_check import check_content

    app.extensions["content"].load()
    return check_content(app.extensions["content"], app.extensions["i18n"].registry,
                         today=date(2026, 12, 6), app=app)


def _write(root: Path, relative: str, text: str):
    path = root / relative
    path.write_text(text, encoding="utf-8")


def test_repository_content_passes(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "never checked with the service" in result.output


@pytest.mark.parametrize(
    ("relative", "text", "needle"),
    [
        ("pages/no-front.md", "Just text, no front matter.\n", "no front matter"),
        ("pages/no-summary.md", "---\ntitle: T\naudience: victims\n---\nBody.\n", "lacks summary"),
        ("pages/bad-number.md", "---\ntitle: T\nsummary: S\naudience: public\n---\n"
         "Call 0800 121 700 now.\n", "'0800 121 700' is not in content/contacts.yaml"),
        ("pages/bad-link.md", "---\ntitle: T\nsummary: S\naudience: public\n---\n"
         "Read [this](no-such-page).\n", "broken internal link (no-such-page)"),
        ("pages/nested.md", "---\ntitle: T\nsummary: S\naudience: public\n---\n- a\n  - b\n",
         "nested lists"),
        ("services/no-source.yaml", "name: X\ndescription: D\nneeds: [support]\n"
         "source_date: 2026-01\n", "no source URL"),
        ("services/no-date.yaml", "name: X\ndescription: D\nneeds: [support]\n"
         "source_url: https://example.org/\n", "no source date"),
        ("services/bad-phone.yaml", "name: X\ndescription: D\nneeds: [support]\n"
         "phones:\n  - number: \"0800 000 0000\"\nsource_url: https://example.org/\n"
         "source_date: 2026-01\n", "phone '0800 000 0000' is not in contacts.yaml"),
    ],
)
def test_content_check_catches_each_fault(make_app, relative, text, needle):
    app = make_app()
    _write(Path(app.config["CONTENT_DIR"]), relative, text)
    errors, _ = _check(app)
    assert any(needle in e for e in errors), errors
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 1


def test_content_check_warns_on_old_or_unchecked_sources(make_app):
    app = make_app()
    _write(Path(app.config["CONTENT_DIR"]), "services/old.yaml",
           "name: X\ndescription: D\nneeds: [support]\nsource_url: https://example.org/\n"
           "source_date: 2020-01-01\nchecked_on: 2026-11-01\n")
    errors, warnings = _check(app)
    assert not errors
    assert "service:old: source is older than 12 months (2020-01-01)" in warnings
    assert not any(w.startswith("service:old: never checked") for w in warnings)


def test_service_page_says_when_a_person_confirmed_it(make_app):
    app = make_app()
    path = Path(app.config["CONTENT_DIR"]) / "services" / "childline.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("checked_on: null",
                                                             "checked_on: 2026-11-20"),
                    encoding="utf-8")
    app.extensions["content"].load()
    body = app.test_client().get("/en/services/childline").get_data(as_text=True)
    assert "Details confirmed with the service on 20 November 2026." in body


# Every page dated ------------------------------------------------------------------------
DATED = "---\ntitle: T\nsummary: S\naudience: public\nchecked: {checked}\n---\nBody.\n"


@pytest.mark.parametrize(
    ("relative", "text", "needle"),
    [
        ("pages/undated.md", "---\ntitle: T\nsummary: S\naudience: public\n---\nBody.\n",
         "page:undated: no 'checked: YYYY-MM-DD' in the front matter"),
        ("news/2026-01-01-undated.md", "---\ntitle: T\nsummary: S\ndate: 2026-01-01\n---\nB.\n",
         "news:2026-01-01-undated: no 'checked: YYYY-MM-DD' in the front matter"),
        ("pages/bad-date.md", DATED.format(checked="last week"),
         "page:bad-date: checked 'last week' is not a date"),
        ("pages/future.md", DATED.format(checked="2027-01-01"),
         "page:future: checked 2027-01-01 is in the future"),
    ],
)
def test_content_check_fails_a_page_without_a_checked_date(make_app, relative, text, needle):
    app = make_app()
    _write(Path(app.config["CONTENT_DIR"]), relative, text)
    errors, _ = _check(app)
    assert any(needle in e for e in errors), errors


def test_content_check_warns_when_a_page_was_checked_over_a_year_ago(make_app):
    app = make_app()
    _write(Path(app.config["CONTENT_DIR"]), "pages/stale.md", DATED.format(checked="2025-12-05"))
    _write(Path(app.config["CONTENT_DIR"]), "pages/fresh.md", DATED.format(checked="2025-12-06"))
    errors, warnings = _check(app)
    assert not errors
    assert ("page:stale: last checked against its sources over 12 months ago (2025-12-05)"
            in warnings)
    assert not any(w.startswith("page:fresh:") for w in warnings)


def test_every_repository_page_and_news_item_is_dated(app):
    store = app.extensions["content"]
    for item in list(store.pages.values()) + list(store.news.values()):
        assert item.checked, item.slug


def test_pages_show_when_they_were_checked_in_the_readers_locale(make_app):
    app = make_app()
    _write(Path(app.config["CONTENT_DIR"]), "pages/dated.md", DATED.format(checked="2026-12-06"))
    app.extensions["content"].load()
    client = app.test_client()
    english = client.get("/en/dated").get_data(as_text=True)
    assert "Checked against its sources on 6 December 2026." in english
    polish = client.get("/pl/dated").get_data(as_text=True)
    assert "6 grudnia 2026" in polish
    persian = client.get("/fa/dated").get_data(as_text=True)
    assert "۶ دسامبر ۲۰۲۶" in persian
    news = client.get("/en/news/2026-02-19-nrm-statistics-2025").get_data(as_text=True)
    assert "Checked against its sources on 6 December 2026." in news


# Values filled in at render time -------------------------------------------------------
def test_language_count_comes_from_the_registry(app, client):
    count = len(app.extensions["i18n"].registry.public)
    page = app.extensions["content"].pages["about-the-partnership"]
    assert any("[{language_count} languages](languages)" in b.text for b in page.blocks)
    body = client.get("/en/about-the-partnership").get_data(as_text=True)
    assert f"{count} languages</a>" in body and "{language_count}" not in body


@pytest.mark.parametrize("slug", ["about-the-partnership", "accessibility-statement", "training"])
def test_contact_route_is_configured_and_says_it_is_not_for_help(make_app, slug):
    app = make_app(CONTACT_EMAIL="hello@example.org")
    body = app.test_client().get(f"/en/{slug}").get_data(as_text=True)
    assert 'href="mailto:hello@example.org"' in body
    assert "not for help or emergencies" in body and "stays in your sent mail" in body
    plain = make_app().test_client().get(f"/en/{slug}").get_data(as_text=True)
    assert "{contact_email}" not in plain and "hello@example.org" not in plain
    assert "its e-mail address is not published yet" in plain
