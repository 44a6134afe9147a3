"""Layout in a real browser: right-to-left phone numbers, side by side pages, the
printed language sheet, and pseudo-locales with long, mirrored text at 320 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

HELPLINE = "08000 121 700"

# Each digit of each matching tel: link, with its box, in the order of the text.
DIGITS_JS = r"""want => [...document.querySelectorAll('a.tel')]
    .filter(a => a.textContent.replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
                              .trim() === want)
    .map(a => {
        const walker = document.createTreeWalker(a, NodeFilter.SHOW_TEXT);
        const digits = [];
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (let i = 0; i < node.data.length; i++) {
                if (!/\d/.test(node.data[i])) continue;
                const range = document.createRange();
                range.setStart(node, i);
                range.setEnd(node, i + 1);
                const r = range.getBoundingClientRect();
                digits.push({d: node.data[i], left: r.left, right: r.right, top: r.top});
            }
        }
        return digits;
    })"""


@pytest.mark.parametrize("path", ["/ar/get-help-now", "/fa/get-help-now",
                                  "/ar/get-help-now?with=en", "/ar-xb/get-help-now"])
def test_rtl_phone_numbers_keep_their_digit_order(page: Page, path):
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(path)
    links = page.evaluate(DIGITS_JS, HELPLINE)
    assert links, f"no {HELPLINE} link on {path}"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    groups = HELPLINE.split()
    for digits in links:
        assert "".join(d["d"] for d in digits) == "".join(groups)
        # Every digit on one line, each to the right of the one before it.
        assert len({round(d["top"]) for d in digits}) == 1, digits
        lefts = [d["left"] for d in digits]
        assert lefts == sorted(lefts) and len(set(lefts)) == len(lefts), digits
        # And so the groups: 08000 left of 121 left of 700.
        boxes, at = [], 0
        for group in groups:
            part = digits[at:at + len(group)]
            boxes.append((min(d["left"] for d in part), max(d["right"] for d in part)))
            at += len(group)
        for (_, right), (left, _) in zip(boxes, boxes[1:], strict=False):
            assert right <= left, (path, boxes)


PAIRS_JS = """() => [...document.querySelectorAll('.pair')].map(pair => [...pair.children]
    .map(el => {
        const r = el.getBoundingClientRect();
        const langEl = el.closest('[lang]');
        return {tag: el.tagName, lang: langEl ? langEl.lang : '',
                dir: getComputedStyle(el).direction,
                left: r.left, right: r.right, top: r.top, bottom: r.bottom};
    }))"""


def pairs(page: Page, width: int):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/ar/get-help-now?with=en")
    found = page.evaluate(PAIRS_JS)
    assert len(found) > 5
    for pair in found:
        assert len(pair) == 2, pair
        mine, theirs = pair
        assert mine["lang"] in ("ar", "en"), pair  # Arabic, or English until translated
        assert mine["dir"] == ("rtl" if mine["lang"] == "ar" else "ltr"), pair
        assert theirs["lang"] == "en" and theirs["dir"] == "ltr", pair
    return found


def test_side_by_side_in_two_columns_when_wide(page: Page):
    for mine, theirs in pairs(page, 1024):
        # Beside each other: their heights overlap (margins differ: h1 beside p).
        assert theirs["top"] < mine["bottom"] and mine["top"] < theirs["bottom"], (mine, theirs)
        # Right to left: the reader's language on the right, English on the left.
        assert theirs["right"] <= mine["left"], (mine, theirs)


def test_side_by_side_stacked_when_narrow(page: Page):
    for mine, theirs in pairs(page, 360):
        assert theirs["top"] >= mine["bottom"] - 1, (mine, theirs)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_language_sheet_prints_on_one_page_with_big_links(page: Page):
    page.set_viewport_size({"width": 360, "height": 640})
    page.goto("/languages")
    heights = page.evaluate("() => [...document.querySelectorAll('.pick a')]"
                            ".map(a => a.getBoundingClientRect().height)")
    assert len(heights) >= 12
    assert min(heights) >= 44, heights
    pdf = page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert pages == 1, f"/languages prints on {pages} A4 sheets"


PSEUDO_PAGES = [f"/{lang}/{path}" for lang in ("en-xa", "ar-xb")
                for path in ("", "get-help-now", "services")]

CLIPPED_JS = """() => {
    const clipped = [];
    for (const el of document.querySelectorAll('body *')) {
        const s = getComputedStyle(el);
        if (s.display === 'none' || el.closest('.skip')) continue;
        const hides = v => v === 'hidden' || v === 'clip';
        if ((hides(s.overflowX) && el.scrollWidth > el.clientWidth + 1) ||
            (hides(s.overflowY) && el.scrollHeight > el.clientHeight + 1) ||
            (s.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1)) {
            clipped.push(el.tagName + (el.id ? '#' + el.id : '') + ' ' +
                         (el.textContent || el.placeholder || '').trim().slice(0, 40));
        }
    }
    return {clipped, scroll: document.documentElement.scrollWidth};
}"""


@pytest.mark.parametrize("path", PSEUDO_PAGES)
def test_pseudo_locale_text_is_not_clipped_at_320px(page: Page, path):
    page.set_viewport_size({"width": 320, "height": 640})
    response = page.goto(path)
    assert response.status == 200
    assert page.evaluate("document.documentElement.lang").endswith(("XA", "XB"))
    found = page.evaluate(CLIPPED_JS)
    assert found["clipped"] == [], found
    assert found["scroll"] <= 320, found
    box = page.locator("#exit").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320 and box["height"] >= 44, box


@pytest.mark.parametrize("code", ["en", "ar", "ti", "zh-hans", "pl", "so", "ro"])
def test_numbers_to_call_are_visible_without_scrolling_on_a_phone(page: Page, code):
    """999 and the helpline sit in the first screen of the home page at 360 x 640."""
    page.set_viewport_size({"width": 360, "height": 640})
    page.goto(f"/{code}/")
    for href in ("tel:999", "tel:+448000121700"):
        box = page.locator(f'a.tel[href="{href}"]').first.bounding_box()
        assert box is not None, href
        assert 0 <= box["y"] and box["y"] + box["height"] <= 640, (code, href, box)
        assert 0 <= box["x"] and box["x"] + box["width"] <= 360, (code, href, box)
