"""The pages victims lacked (issue 16): each exists, is dated, is one tap from the home
page or get-help-now, and shows no number that is not in content/contacts.yaml."""

from __future__ import annotations

import re
from datetime import date

import pytest


def html(response) -> str:
    return response.get_data(as_text=True)


# slug -> the page that must link to it (besides the home page's audience lists)
NEW_PAGES = {
    "if-the-decision-is-no": "get-help-now",
    "compensation": "get-help-now",
    "health-care": "get-help-now",
    "somewhere-safe-to-live": "get-help-now",
    "getting-your-documents-back": "get-help-now",
    "after-you-report": "report-a-concern",
}

# Any run of seven or more digits, spaces or dashes allowed between them, with or
# without a leading 0 or +44: wider than the content check's rule on purpose.
DIGITS = re.compile(r"\+?\d(?:[ \u00a0-]?\d){6,}")
LINK_TARGET = re.compile(r"\]\([^)]*\)")  # addresses hold dates, not numbers to call


@pytest.fixture(scope="module")
def store(app):
    return app.extensions["content"]


@pytest.mark.parametrize("slug", sorted(NEW_PAGES))
def test_page_exists_and_says_when_it_was_checked(store, client, slug):
    page = store.pages[slug]
    assert isinstance(page.meta.get("checked"), date), f"{slug}: no checked: date"
    assert page.audience == ("public" if slug == "after-you-report" else "victims")
    response = client.get(f"/en/{slug}")
    assert response.status_code == 200
    assert f"<h1>{page.title}</h1>" in html(response)


@pytest.mark.parametrize("slug", sorted(NEW_PAGES))
def test_page_is_linked_from_home_and_its_entry_page(client, slug):
    link = f'href="/en/{slug}"'
    assert link in html(client.get("/en/"))
    assert link in html(client.get(f"/en/{NEW_PAGES[slug]}"))


@pytest.mark.parametrize("slug", sorted(NEW_PAGES))
def test_every_number_on_the_page_is_a_listed_contact(store, slug):
    listed = {contact.number for contact in store.phonebook.contacts}
    for block in store.pages[slug].blocks:
        assert not store.phonebook.unknown_numbers(block.text), block.text
        for number in DIGITS.findall(LINK_TARGET.sub("]", block.text)):
            assert number in listed, f"{slug}: {number!r} is not in contacts.yaml"


def test_the_digit_rule_sees_a_number_the_contacts_file_lacks(store):
    """Guards the test above: a changed digit or an unlisted number is caught."""
    listed = {contact.number for contact in store.phonebook.contacts}
    for text in ("Call 0800 121 700.", "Call 0207 700 7311 now.", "Ring 7243 2942."):
        assert any(n not in listed for n in DIGITS.findall(text)), text
