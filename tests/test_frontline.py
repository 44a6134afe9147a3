"""Frontline tools (issue 19): the "point to your language" page, the helpline card with
its address and QR code, the discreet card, and the header's one language control."""

from __future__ import annotations

import html
import re

import pytest
import zxingcpp

from portal import create_app
from portal.views.languages import POINT_LINE, REFERRAL_ORDER

PUBLIC = "https://help.example.org"
PARTNERSHIP = "Hertfordshire Modern Slavery Partnership"


@pytest.fixture(scope="module")
def public_app():
    return create_app({"TESTING": True, "PUBLIC_URL": PUBLIC})


def codes(app):
    return [lang.code for lang in app.extensions["i18n"].registry.public]


def qr_modules(svg: str) -> list[list[bool]]:
    """The dark modules of segno's one-path SVG (``M``/``m`` moves, ``h`` runs of
    stroke width 1 along the middle of a row), as a grid."""
    # htmlmin writes viewbox; an HTML parser restores the case.
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg, re.I).group(1))
    path = re.search(r'<path[^>]* d="([^"]+)"', svg).group(1)
    grid = [[False] * size for _ in range(size)]
    x = y = 0.0
    for op, args in re.findall(r"([MmHh])([^MmHh]*)", path):
        nums = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", args)]
        if op in "Mm":
            x, y = (nums[0], nums[1]) if op == "M" else (x + nums[0], y + nums[1])
        else:
            end = nums[0] if op == "H" else x + nums[0]
            for column in range(int(x), int(end)):
                grid[int(y)][column] = True
            x = end
    return grid


def decode(svg: str) -> list[str]:
    """Rasterise the QR code (8 px a module, white quiet zone) and read it with zxing-cpp."""
    grid, scale = qr_modules(svg), 8
    rows = bytearray()
    for row in grid:
        line = bytes(0 if dark else 255 for dark in row for _ in range(scale))
        rows += line * scale
    side = len(grid) * scale
    image = memoryview(bytes(rows)).cast("B", (side, side))
    return [code.text for code in zxingcpp.read_barcodes(image)]


def test_the_decoder_reads_a_known_code():
    """The rasteriser and decoder are right, so a failure below is the card's."""
    from portal.qr import qr_svg

    assert decode(str(qr_svg("https://example.org/xx/", "x"))) == ["https://example.org/xx/"]
    assert decode(str(qr_svg("https://example.org/yy/", "x"))) != ["https://example.org/xx/"]


def test_card_prints_the_full_address_and_a_qr_code_to_it(public_app):
    client = public_app.test_client()
    for code in codes(public_app):
        body = client.get(f"/{code}/card").get_data(as_text=True)
        address = f"{PUBLIC}/{code}/"
        assert f'href="{address}"' in body and f">{address}</a>" in body, code
        svgs = re.findall(r"<svg\b.*?</svg>", body, re.S)
        assert len(svgs) == 1 and 'class="qr"' in svgs[0], code
        assert f'aria-label="{address}"' in svgs[0]
        assert decode(svgs[0]) == [address], code


def test_card_address_comes_from_configuration_not_the_request(public_app):
    body = public_app.test_client().get(
        "/en/card", headers={"Host": "evil.example"}, base_url="http://evil.example"
    ).get_data(as_text=True)
    assert "evil.example" not in body
    assert decode(re.search(r"<svg\b.*?</svg>", body, re.S).group(0)) == [f"{PUBLIC}/en/"]


def test_qr_code_is_only_on_the_card(public_app):
    client = public_app.test_client()
    for url in ("/en/", "/ar/get-help-now", "/languages", "/en/useful-numbers"):
        assert "<svg" not in client.get(url).get_data(as_text=True), url


def test_discreet_card_names_nothing_but_the_numbers(public_app, app):
    client = public_app.test_client()
    i18n = app.extensions["i18n"]
    for code in codes(public_app):
        lang = i18n.registry.get(code)
        catalog = i18n.catalog(lang, "messages").translations
        body = client.get(f"/{code}/useful-numbers").get_data(as_text=True)
        title = html.unescape(re.search(r"<title>(.*?)</title>", body).group(1))
        assert title == catalog.ugettext("Useful numbers"), code
        assert 'class="discreet"' in body
        main = body.split('<main id="main">', 1)[1].split("</main>", 1)[0]
        assert "tel:999" in main and "tel:+448000121700" in main
        for giveaway in (PUBLIC, "<svg", catalog.ugettext(PARTNERSHIP), "lavery",
                         catalog.ugettext("Modern Slavery & Exploitation Helpline")):
            assert giveaway not in main, (code, giveaway)


def test_languages_page_says_i_speak_in_every_language_in_referral_order(app, client):
    body = client.get("/languages").get_data(as_text=True)
    # The minifier drops lang="en" where <html lang="en"> already says it.
    tiles = re.findall(r'<li><a href="/([^/"]+)/"(?: lang="([^"]+)")? dir="(ltr|rtl)"[^>]*>'
                       r"<b>[^<]+</b>(?:<span>([^<]*)</span>)?", body)
    registry = app.extensions["i18n"].registry
    assert [t[0] for t in tiles] == [c for c in REFERRAL_ORDER if registry.get(c)]
    for code, tag, direction, line in tiles:
        lang = registry.get(code)
        assert (tag or "en", direction) == (lang.bcp47, lang.dir)
        assert line, f"{code}: no 'I speak …' line"
        assert (line == POINT_LINE) == (code == "en"), (code, line)


def test_header_has_one_language_control_not_every_language(client):
    body = client.get("/sq/").get_data(as_text=True)
    header = body.split("<header>", 1)[1].split("</header>", 1)[0]
    assert header.count('href="/languages"') == 1
    assert not re.search(r'href="/(vi|ar|ti|zh-hans)/', header)
    # The word for "language" in Albanian and in English, and the language's own name.
    assert "Gjuha" in header and ">Language<" in header and "Shqip" in header


def test_latin_isolation_only_wraps_text_and_keeps_markup_safe(app):
    from markupsafe import Markup

    from portal.render import isolate_latin, isolate_latin_for

    registry = app.extensions["i18n"].registry
    ar, en = registry.get("ar"), registry.get("en")
    hostile = 'خط (Helpline) <script>alert(1)</script> (x" onmouseover="y)'
    out = str(isolate_latin_for(hostile, ar))
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert '<bdi dir="ltr">(Helpline)</bdi>' in out
    assert 'onmouseover="' not in out  # quotes stay escaped, inside or outside an isolate
    assert str(isolate_latin_for("A (B) term", en)) == "A (B) term"  # left to right: as is
    # Tags and attributes are never touched, only the text between them.
    markup = '<a href="/ar/x" title="(NRM)">(NRM)</a> (<strong>NRM</strong>)'
    assert isolate_latin(markup) == ('<a href="/ar/x" title="(NRM)"><bdi dir="ltr">(NRM)</bdi>'
                                     '</a> (<strong>NRM</strong>)')
    assert isolate_latin_for(Markup("<b>(NRM)</b>"), ar) == '<b><bdi dir="ltr">(NRM)</bdi></b>'
