"""The exit bar as text browsers (w3m, lynx) and screen readers get it (issue 19's
separator, built with issue 14 so that one person edits the exit bar)."""

from __future__ import annotations

import re

import pytest


def _text(html: str) -> str:
    bar = re.search(r'<div class="exit" id="exit-bar".*?</div>', html, re.S).group(0)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", bar)).strip()


@pytest.mark.parametrize("code", ["en", "ar", "so"])
def test_exit_and_stay_safe_online_are_separated_as_text(client, code):
    app = client.application
    lang = app.extensions["i18n"].registry.get(code)
    ugettext = app.extensions["i18n"].catalog(lang, "messages").translations.ugettext
    text = _text(client.get(f"/{code}/").get_data(as_text=True))
    assert text == f'{ugettext("Leave this site now")} | {ugettext("Stay safe online")}'
