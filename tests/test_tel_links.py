"""Codes are not numbers: only what the phone book marks dialable becomes ``tel:``.

"55" is pressed during a silent 999 call; as a link beside 999 it would read as a third
number to dial. Every page in every language is rendered and its ``tel:`` links checked.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from portal.freeze import exportable, links, seeds
from portal.phones import tel_uri

TEL = re.compile(r"""href=["']?(tel:[^"'\s>]*)""", re.I)


def _every_page(app):
    client = app.test_client()
    queue = seeds(app) + ["/en/search?q=999", "/en/services?need=help-now"]
    seen = set(queue)
    while queue:
        url = queue.pop()
        response = client.get(url)
        if response.mimetype != "text/html":
            continue
        body = response.get_data(as_text=True)
        yield url, body
        for href in links(body):
            target = urlsplit(href)._replace(fragment="").geturl()
            if target not in seen and exportable(target):
                seen.add(target)
                queue.append(target)


def test_no_page_links_a_number_the_phone_book_does_not_mark_dialable(app):
    book = app.extensions["content"].phonebook
    dialable = {tel_uri(c.number) for c in book.contacts if c.dial}
    keys = {tel_uri(c.number) for c in book.contacts if not c.dial}
    assert "tel:55" in keys  # the rule has something to catch
    pages = 0
    for url, body in _every_page(app):
        pages += 1
        bad = [t for t in TEL.findall(body) if t not in dialable]
        assert not bad, f"{url} links {bad}"
    assert pages > 300


def test_keys_to_press_read_press_not_a_link(app, client):
    from portal.locales import ENGLISH
    from portal.reader import reader_for

    # The silent-call key is named on get-help-now, never linked.
    body = client.get("/en/get-help-now").get_data(as_text=True)
    assert "press 55" in body and 'href="tel:55"' not in body
    assert 'href="tel:999"' in body
    # Any template that asks for it gets "press 55", not a link.
    with app.test_request_context("/en/"):
        shown = str(reader_for(ENGLISH).tel("55"))
    assert shown == 'press <b class="keys" dir="ltr">55</b>', shown


def test_phone_book_is_the_one_place_that_links(app):
    book = app.extensions["content"].phonebook
    assert book.dialable("999") and not book.dialable("55")
    assert "href" not in book.link("55") and "href" not in book.link("0800 000 0000")
    linked = book.linkify_html("press 55 or call 999")
    assert 'href="tel:999"' in linked and "tel:55" not in linked


def test_content_check_fails_on_keys_marked_dialable(make_app):
    from portal.content_check import check_content

    app = make_app()
    contacts = Path(app.config["CONTENT_DIR"]) / "contacts.yaml"
    text = contacts.read_text(encoding="utf-8")
    contacts.write_text(text.replace("  dial: false", "  dial: true"), encoding="utf-8")
    store = app.extensions["content"]
    store.load()
    errors, _ = check_content(store, app.extensions["i18n"].registry, app=app)
    assert any("55 is not a number anyone can dial" in e for e in errors), errors
    assert app.test_cli_runner().invoke(args=["content", "check"]).exit_code == 1
