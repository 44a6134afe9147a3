"""Every character of every catalogue can be drawn by a font the reader's phone has
(the Noto families; issue 21), checked through fontconfig without a browser.

Without fontconfig the coverage cannot be known: the test skips, unless
``PORTAL_REQUIRE_BROWSER=1`` (CI, which installs fonts-noto-core and fonts-noto-cjk)
makes it fail."""

from __future__ import annotations

import os

import pytest

from portal import glyphs
from portal.locales import SERVED


@pytest.fixture(scope="module", autouse=True)
def _fontconfig():
    try:
        glyphs.coverage()
    except glyphs.NoFontconfig as exc:
        if os.environ.get("PORTAL_REQUIRE_BROWSER") == "1":
            pytest.fail(str(exc))
        pytest.skip(str(exc))


def test_every_served_script_has_a_noto_font():
    for lang in SERVED:
        assert not glyphs.missing(lang.endonym), lang.code
    assert glyphs.missing("help \ue000 ፀ") == {"\ue000"}  # a private-use letter
    assert not glyphs.missing("سڵاو\u200c ഹലോ\u200d \u2068999\u2069")  # joiners, isolates


def test_every_character_of_every_catalogue_has_a_noto_font(runner):
    result = runner.invoke(args=["i18n", "glyphs"])
    assert result.exit_code == 0, result.output


def test_a_character_no_font_draws_is_named(make_app):
    from babel.messages.pofile import read_po, write_po

    app = make_app()
    path = make_app.translations / "vi" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fp:
        catalog = read_po(fp)
    message = next(m for m in catalog if m.id and isinstance(m.id, str) and m.string)
    message.string += " \ue000"
    with path.open("wb") as fp:
        write_po(fp, catalog)
    result = app.test_cli_runner().invoke(args=["i18n", "glyphs", "vi"])
    assert result.exit_code == 1
    assert "vi messages U+E000" in result.output
