"""Nothing can break the exit and the numbers, nobody is left unable to use them (issue
14), in a real Chromium: a hostile translation, keyboard focus, small targets, large
text, and a countdown a sighted Shift user can see."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
from conftest import LiveServer
from playwright.sync_api import Page, expect

from portal import create_app
from portal.config import ROOT

pytestmark = pytest.mark.browser

CODES = ["en", "sq", "vi", "ti", "ar", "so", "fa", "ps", "ro", "pl", "zh-hans", "hi"]
SELECTORS = {"exit": "#exit", "999": '.urgent a[href="tel:999"]',
             "helpline": '.urgent a[href="tel:+448000121700"]'}

# The contrast of an element's text on its own background, as WCAG computes it.
CONTRAST_JS = """el => {
  const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = c.map(v => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const style = getComputedStyle(el);
  const bg = style.backgroundColor;
  if (/rgba\\(.*, 0\\)$/.test(bg) || bg === 'transparent') return 0;
  const a = lum(rgb(style.color)), b = lum(rgb(bg));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


# A hostile translator ---------------------------------------------------------------

TAMPER = {
    "Leave this site now": '" inert x="',
    "Press Shift 2 more times to leave this site.": '" hidden x="',
    "Press Shift 1 more time to leave this site.": '" href="https://example.invalid',
    "Leaving this site…": "' inert x='",
    "Stay safe online": "' hidden x='",
    "In danger now? Call %(number)s.": "' href='https://example.invalid",
}


def _flask(env, *args):
    return subprocess.run([sys.executable, "-m", "flask", "--app", "portal", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def tampered(tmp_path_factory, neutral):
    """Somali exit-bar strings ending in attribute breakouts, compiled by the command
    `make build` runs (`flask i18n compile`, for the one changed language: the search
    index `make build` also builds has no part in the exit bar), and the portal served
    over them."""
    from babel.messages.pofile import read_po, write_po

    base = tmp_path_factory.mktemp("tampered")
    translations = base / "translations"
    shutil.copytree(ROOT / "translations", translations)
    po = translations / "so" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fp:
        catalog = read_po(fp)
    for source, breakout in TAMPER.items():
        catalog[source].string += breakout
    with po.open("wb") as fp:
        write_po(fp, catalog, width=0)
    env = {**os.environ, "PORTAL_TRANSLATIONS_DIR": str(translations),
           "PORTAL_INDEX_DIR": str(base / "index")}
    compiled = _flask(env, "i18n", "compile", "so")
    check = _flask(env, "i18n", "check", "so")
    app = create_app({"TESTING": True, "EXIT_URL": neutral,
                      "TRANSLATIONS_DIR": str(translations),
                      "INDEX_DIR": str(base / "index")})
    server = LiveServer(app)
    yield compiled, check, server.url
    server.stop()


def test_tampered_exit_strings_fail_the_check_naming_the_attribute(tampered):
    compiled, check, _ = tampered
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    assert check.returncode == 1, check.stdout
    for attribute in ("inert", "hidden", "href"):
        assert f"attribute {attribute}" in check.stdout, check.stdout


def test_tampered_language_keeps_the_exit_exactly_as_in_english(tampered, page: Page):
    _, _, base = tampered
    attributes = """el => Object.fromEntries([...el.attributes].map(a => [a.name, a.value]))"""
    page.goto(base + "/en/get-help-now")
    english = page.locator("#exit").evaluate(attributes)
    english_bar = sorted(page.locator("#exit-bar").evaluate(attributes))
    assert english == {"class": "exit-btn", "id": "exit", "href": "/exit", "rel": "noreferrer"}
    for path in ("/so/", "/so/get-help-now", "/so/services/emergency-999"):
        page.goto(base + path)
        assert page.locator("#exit").evaluate(attributes) == english
        assert sorted(page.locator("#exit-bar").evaluate(attributes)) == english_bar
        assert page.locator("[inert], [hidden], a[href*='example.invalid']").count() == 0
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "exit"
    page.locator("#exit").click()
    page.wait_for_url(re.compile(r"/weather$"))


# Focus, targets, separation ---------------------------------------------------------

@pytest.mark.parametrize("code", CODES)
def test_focused_exit_and_numbers_stay_legible(page: Page, code):
    page.set_viewport_size({"width": 360, "height": 640})
    page.goto(f"/{code}/get-help-now")
    for name, selector in SELECTORS.items():
        control = page.locator(selector).first
        control.focus()
        ratio = control.evaluate(CONTRAST_JS)
        assert ratio >= 4.5, f"{code} {name}: {ratio:.2f}:1 when focused"


@pytest.mark.parametrize("code", ["en", "ar", "so", "zh-hans"])
def test_targets_are_big_enough_and_apart(page: Page, code):
    page.set_viewport_size({"width": 360, "height": 640})
    page.goto(f"/{code}/")
    for name, selector in SELECTORS.items():
        box = page.locator(selector).first.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, (code, name, box)
    exit_box = page.locator("#exit").bounding_box()
    safe = page.locator(f'#exit-bar a[href="/{code}/staying-safe-online"]').bounding_box()
    assert safe["height"] >= 24, safe
    same_row = safe["y"] < exit_box["y"] + exit_box["height"] and \
        exit_box["y"] < safe["y"] + safe["height"]
    if same_row:
        gap = max(safe["x"] - (exit_box["x"] + exit_box["width"]),
                  exit_box["x"] - (safe["x"] + safe["width"]))
        assert gap >= 8, (code, gap)


# Large text -------------------------------------------------------------------------

STICKY_JS = """() => { let bottom = 0;
  for (const el of document.querySelectorAll('body *')) {
    const p = getComputedStyle(el).position;
    if (p !== 'sticky' && p !== 'fixed') continue;
    const r = el.getBoundingClientRect();
    if (r.bottom > 0 && r.top < innerHeight && r.height > 0) bottom = Math.max(bottom, r.bottom);
  } return bottom; }"""


@pytest.mark.parametrize("code", CODES)
def test_large_text_keeps_only_the_exit_sticky_and_999_on_the_first_screen(page: Page, code):
    page.set_viewport_size({"width": 320, "height": 640})
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.enable")
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    page.goto(f"/{code}/get-help-now")
    assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") == 32
    number = page.locator(SELECTORS["999"]).first.bounding_box()
    assert number["y"] + number["height"] <= 640, (code, number)
    if code == "en":
        helpline = page.locator(SELECTORS["helpline"]).first.bounding_box()
        assert helpline["y"] + helpline["height"] <= 640, helpline
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight / 2)")
    assert page.evaluate("scrollY") > 640
    assert page.evaluate(STICKY_JS) <= 0.15 * 640
    expect(page.locator("#exit")).to_be_in_viewport()
    sticky = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => ['sticky', 'fixed'].includes(getComputedStyle(e).position))
        .map(e => e.id || e.className)""")
    assert sticky == ["exit"], sticky


# The countdown ----------------------------------------------------------------------

def test_shift_countdown_is_seen_then_goes(page: Page, translated):
    page.set_viewport_size({"width": 360, "height": 640})
    page.goto("/so/get-help-now")
    status = page.locator("#exit-status")
    page.keyboard.press("Shift")
    expect(status).to_have_text(translated("so", "Press Shift 2 more times to leave this site."))
    expect(status).to_be_visible()
    box = status.bounding_box()
    assert box["height"] > 10 and box["y"] >= 0 and box["y"] + box["height"] <= 640
    assert status.evaluate("el => getComputedStyle(el).color") != \
        status.evaluate("el => getComputedStyle(el).backgroundColor")
    page.keyboard.press("Shift")
    expect(status).to_have_text(translated("so", "Press Shift 1 more time to leave this site."))
    # One live region, not a copy for sight: announced once.
    text = status.text_content()
    assert page.evaluate("t => document.body.innerText.split(t).length - 1", text) == 1
    expect(status).to_have_text("", timeout=8000)
    assert status.bounding_box() is None or status.bounding_box()["height"] == 0 or \
        status.evaluate("el => getComputedStyle(el).position") == "absolute"
