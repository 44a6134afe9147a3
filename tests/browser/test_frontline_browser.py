"""Frontline tools in a real browser (issue 19), in every public language: help on a
phone's first screen, no sideways scrolling at 320 px, the card on one printed page, the
"point to your language" page on a feature phone, and side by side that lines up."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from portal.locales import SERVED

pytestmark = pytest.mark.browser

CODES = [lang.code for lang in SERVED]
RTL = [lang.code for lang in SERVED if lang.dir == "rtl"]

# Each box at scroll 0, and whether the point at its centre hits it (not the sticky bar).
FIRST_SCREEN_JS = """selectors => selectors.map(sel => {
    const el = document.querySelector(sel);
    if (!el) return {sel, missing: true};
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return {sel, top: r.top, bottom: r.bottom, left: r.left, right: r.right,
            hits: !!hit && (hit === el || el.contains(hit))};
})"""

EXIT = "#exit"
EMERGENCY = '.urgent a[href="tel:999"]'
HELPLINE = '.urgent a[href="tel:+448000121700"]'


@pytest.mark.parametrize("path", ["", "get-help-now"])
@pytest.mark.parametrize("code", CODES)
def test_help_is_on_the_first_screen_of_a_phone(page: Page, portal_app, code, path):
    """Exit, 999, the helpline and the way to help, all in the first 360 x 640 screen."""
    page.set_viewport_size({"width": 360, "height": 640})
    page.goto(f"/{code}/{path}")
    assert page.evaluate("window.scrollY") == 0
    # On the home page the way to help is the "I need help now" link; on get-help-now it is
    # the page itself, so its heading.
    helping = 'main a[href$="/get-help-now"]' if path == "" else "main h1"
    for box in page.evaluate(FIRST_SCREEN_JS, [EXIT, EMERGENCY, HELPLINE, helping]):
        assert not box.get("missing"), box
        assert 0 <= box["top"] and box["bottom"] <= 640, (code, path, box)
        assert 0 <= box["left"] and box["right"] <= 360, (code, path, box)
        assert box["hits"], (code, path, box)
    # A draft language's notice is one short line, linking to what it means.
    draft = page.evaluate("""() => { const a = document.querySelector('.draft-line a');
        return a && {height: a.getBoundingClientRect().height,
                     line: parseFloat(getComputedStyle(a).lineHeight),
                     target: !!document.querySelector(a.getAttribute('href'))}; }""")
    i18n = portal_app.extensions["i18n"]
    assert bool(draft) == i18n.is_draft(i18n.registry.get(code)), code
    if draft:
        assert draft["target"], code
        assert draft["height"] < 2 * draft["line"] + 20, (code, draft)  # one line, padded


def narrow_pages(app, code: str) -> list[str]:
    """Every page of one language: each guidance page and service, and the pages with
    parameters (side by side, filters, search, a 404)."""
    partner = "ar" if code == "en" else "en"
    store = app.extensions["content"]
    paths = sorted(store.pages) + [f"services/{sid}" for sid in sorted(store.services)]
    return [f"/{code}/{p}" for p in (
        "", f"your-rights?with={partner}", "services", "services?need=help-now&who=adults",
        "search?q=help", "card", "useful-numbers", "news", "no-such-page", *paths)]


@pytest.mark.parametrize("code", CODES)
def test_no_page_scrolls_sideways_at_320px(page: Page, portal_app, code):
    """Every page in every language at 320 px (one pass per page and language)."""
    page.set_viewport_size({"width": 320, "height": 640})
    urls = narrow_pages(portal_app, code)
    if code == "en":
        urls += ["/languages", "/languages?page=get-help-now&with=en", "/translators/"]
    wide = []
    for url in urls:
        page.goto(url, wait_until="domcontentloaded")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide.append((url, width))
    assert wide == []


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


@pytest.mark.parametrize("code", CODES)
def test_cards_print_on_one_page(page: Page, code):
    for path in ("card", "useful-numbers"):
        page.goto(f"/{code}/{path}")
        page.emulate_media(media="print")
        for paper in ("A4", "Letter"):
            pages = pdf_pages(page.pdf(format=paper, print_background=True))
            assert pages == 1, f"/{code}/{path} prints on {pages} {paper} sheets"
        page.emulate_media(media="screen")


def test_printed_card_shows_the_address_and_qr_code_and_the_discreet_one_neither(page: Page):
    page.emulate_media(media="print")
    page.goto("/ar/card")
    assert page.locator("svg.qr").is_visible()
    box = page.locator("svg.qr").bounding_box()
    assert box["width"] >= 100 and box["height"] >= 100, box  # big enough to scan
    assert page.locator("a.url").is_visible()
    page.goto("/ar/useful-numbers")
    visible = page.evaluate("document.body.innerText")
    assert "http" not in visible and "Hertfordshire" not in visible
    assert not page.locator(".urgent").is_visible() and not page.locator("footer").is_visible()
    assert "999" in visible and "08000 121 700" in visible


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_point_to_your_language_on_a_feature_phone(page: Page):
    """240 px, no script: every tile big enough to tap, its sentence shown, no sideways
    scrolling; each tile in its own language and direction."""
    page.set_viewport_size({"width": 240, "height": 320})
    page.goto("/languages")
    tiles = page.evaluate("""() => [...document.querySelectorAll('.pick a')].map(a => {
        const r = a.getBoundingClientRect(), span = a.querySelector('span');
        return {lang: a.closest('[lang]').lang, dir: getComputedStyle(a).direction,
                height: r.height, right: r.right,
                line: span ? span.getBoundingClientRect().height : 0};
    })""")
    assert [t["lang"] for t in tiles][:4] == ["en", "ti", "am", "so"]  # referral order
    assert len(tiles) == len(CODES)
    by_tag = {lang.bcp47: lang for lang in SERVED}
    for tile in tiles:
        assert tile["dir"] == by_tag[tile["lang"]].dir, tile
        assert tile["height"] >= 44 and tile["line"] > 0 and tile["right"] <= 240, tile
    assert page.evaluate("document.documentElement.scrollWidth") <= 240


SIDE_JS = """() => ({
    cols: [...document.querySelectorAll('.cols > *')].map(c => {
        const r = c.getBoundingClientRect();
        return {lang: c.closest('[lang]').lang, visible: r.height > 0, left: r.left};
    }),
    pairs: [...document.querySelectorAll('.pair')].map(pair => {
        const s = getComputedStyle(pair);
        return {border: parseFloat(s.borderTopWidth) + parseFloat(s.borderBottomWidth),
                sides: parseFloat(s.borderLeftWidth) + parseFloat(s.borderRightWidth),
                cells: [...pair.querySelectorAll(':scope > .cell')].map(c => {
                    const label = c.querySelector('.cell-lang');
                    const block = label.nextElementSibling;
                    return {lang: c.closest('[lang]').lang, tag: block.tagName,
                            label: label.getBoundingClientRect().height > 0
                                ? label.textContent : '',
                            left: c.getBoundingClientRect().left};
                })};
    }),
    oneLanguage: [...document.querySelectorAll('main a')].filter(a => !a.closest('.pair')
        && /get-help-now$/.test(a.getAttribute('href'))).length,
    banner: document.querySelector('.urgent .w').getBoundingClientRect().width,
    main: document.querySelector('main').getBoundingClientRect().width,
})"""


@pytest.mark.parametrize("code", ["ar", "fa", "ps", "vi", "zh-hans"])
def test_side_by_side_lines_up_on_a_wide_screen(page: Page, code):
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"/{code}/get-help-now?with=en")
    found = page.evaluate(SIDE_JS)
    # Each column's language at its top, and the banner as wide as the two columns.
    assert [c["lang"] for c in found["cols"]] == [found["pairs"][0]["cells"][0]["lang"], "en"]
    assert all(c["visible"] for c in found["cols"])
    assert abs(found["banner"] - found["main"]) <= 2, found
    assert found["oneLanguage"] == 1  # "show in one language": once, for the whole view
    headings = 0
    for pair in found["pairs"]:
        mine, theirs = pair["cells"]
        assert mine["tag"] == theirs["tag"], pair  # a heading beside a heading
        assert theirs["left"] < mine["left"] if code in RTL else mine["left"] < theirs["left"]
        headings += mine["tag"].startswith("H")
    assert headings >= 2


@pytest.mark.parametrize("code", ["ar", "ti", "pl"])
def test_side_by_side_on_a_phone_boxes_and_labels_each_pair(page: Page, code):
    page.set_viewport_size({"width": 360, "height": 640})
    page.goto(f"/{code}/get-help-now?with=en")
    found = page.evaluate(SIDE_JS)
    assert found["pairs"]
    for pair in found["pairs"]:
        assert pair["border"] >= 2 and pair["sides"] >= 2, pair  # its own box
        for cell in pair["cells"]:
            assert cell["label"], pair  # a label a worker can point to
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


# Text of RTL cells not inside an isolate that still holds a bracketed Latin term.
LOOSE_TERMS_JS = r"""() => {
    const loose = [];
    for (const cell of document.querySelectorAll('.cell[dir="rtl"]')) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            if (n.parentElement.closest('bdi, [dir="ltr"]')) continue;
            const m = n.data.match(/\([A-Za-z][^()]*\)/);
            if (m) loose.push(m[0]);
        }
    }
    const isolated = [...document.querySelectorAll('.cell[dir="rtl"] bdi')]
        .filter(b => /^\([A-Za-z]/.test(b.textContent)
                     && getComputedStyle(b).unicodeBidi === 'isolate');
    return {loose, isolated: isolated.length};
}"""


@pytest.mark.parametrize("code", RTL)
def test_bracketed_english_terms_are_isolated_in_right_to_left_text(page: Page, code):
    page.set_viewport_size({"width": 360, "height": 640})
    found = {"loose": [], "isolated": 0}
    for slug in ("get-help-now", "your-rights", "national-referral-mechanism"):
        response = page.goto(f"/{code}/{slug}?with=en")
        if response.status != 200:
            continue
        result = page.evaluate(LOOSE_TERMS_JS)
        found["loose"] += result["loose"]
        found["isolated"] += result["isolated"]
    assert found["loose"] == []
    assert found["isolated"] > 0
