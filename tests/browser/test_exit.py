"""The quick exit (issue 5) in a real Chromium: click, Shift x3, no JavaScript, one
Back entry for a whole visit, nothing stored, and the exit control's geometry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_support import LANGS, NEUTRAL_TITLE
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def follow(page: Page, selector: str, url_tail: str):
    """Click a link and wait until the page it leads to is loaded."""
    page.locator(selector).first.click()
    page.wait_for_url(re.compile(re.escape(url_tail) + "$"))
    page.wait_for_load_state()


def history_length(page: Page) -> int:
    return page.evaluate("history.length")


def back_list(page: Page) -> list[str]:
    """Every URL Back reaches from here, walking back as far as the tab goes."""
    seen = []
    page.wait_for_load_state()
    for _ in range(history_length(page)):
        before = page.url
        for attempt in range(3):
            try:
                page.go_back(wait_until="commit")
                break
            except PlaywrightError as error:
                # Leaving a Cross-Origin-Opener-Policy page swaps the browsing context
                # group; DevTools can briefly lose the page while that settles.
                if "Not attached" not in str(error) or attempt == 2:
                    raise
                page.wait_for_load_state()  # until the swapped page is attached again
        if page.url == before:
            break
        seen.append(page.url)
    return seen


def read_several_pages(page: Page, lang: str):
    page.goto(f"/{lang}/")
    follow(page, f'main a[href="/{lang}/get-help-now"]', f"/{lang}/get-help-now")
    follow(page, f'footer a[href="/{lang}/services"]', f"/{lang}/services")
    follow(page, f'main a[href="/{lang}/services/modern-slavery-helpline"]',
           f"/{lang}/services/modern-slavery-helpline")
    follow(page, f'footer a[href="/{lang}/card"]', f"/{lang}/card")


@pytest.mark.parametrize("lang", LANGS)
def test_click_exit_after_reading_leaves_no_portal_page_in_back(page: Page, base_url, neutral,
                                                               lang):
    page.goto(f"/{lang}/")
    start = history_length(page)
    read_several_pages(page, lang)
    assert history_length(page) == start, "links must replace, not add, history entries"
    page.locator("#exit").click()
    page.wait_for_url(neutral)
    expect(page).to_have_title(NEUTRAL_TITLE)
    assert history_length(page) == start
    earlier = back_list(page)
    assert not [u for u in earlier if u.startswith(base_url)], earlier


@pytest.mark.parametrize("lang", LANGS)
def test_exit_blanks_page_and_title_and_announces_leaving(page: Page, lang):
    # 204 No Content: the browser stays on the page, so what is left can be seen.
    exits = []
    page.route("**/exit", lambda route: (exits.append(route.request.url),
                                         route.fulfill(status=204)))
    page.goto(f"/{lang}/get-help-now")
    leaving = page.locator("#exit-bar").get_attribute("data-leaving")
    assert leaving
    page.locator("#exit").click()
    expect(page.locator("#exit-status")).to_have_text(leaving)
    assert page.evaluate("document.title.trim()") == ""
    assert page.locator("#exit, main, header, footer, .urgent").count() == 0
    # All that is left is the status message, kept off screen for screen readers.
    assert page.evaluate("""() => {
        const shown = [...document.body.querySelectorAll('*')].filter(el => {
            const r = el.getBoundingClientRect();
            return r.width && r.height && r.right > 0 && r.left < innerWidth;
        });
        return shown.length + ':' + document.body.innerText.replace(/\\s/g, '').length;
    }""").startswith("0:")
    assert len(exits) == 1
    # Restored from the back-forward cache: it blanks again and leaves again.
    with page.expect_request("**/exit") as again:
        page.evaluate("""() => {
            document.body.appendChild(document.createElement('main')).textContent = 'secret';
            document.title = 'secret';
            dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}));
        }""")
    assert again.value.url.endswith("/exit")
    assert page.locator("main").count() == 0
    assert page.evaluate("document.title.trim()") == ""


@pytest.mark.parametrize("lang", LANGS)
def test_shift_three_times_exits_with_progress_announced(page: Page, base_url, neutral,
                                                         translated, lang):
    page.goto(f"/{lang}/get-help-now")
    start = history_length(page)
    bar, status = page.locator("#exit-bar"), page.locator("#exit-status")
    two, one = bar.get_attribute("data-two"), bar.get_attribute("data-one")
    assert two == translated(lang, "Press Shift 2 more times to leave this site.")
    assert one == translated(lang, "Press Shift 1 more time to leave this site.")
    assert two != one
    expect(status).to_have_text("")
    page.keyboard.press("Shift")
    expect(status).to_have_text(two)
    page.keyboard.press("Shift")
    expect(status).to_have_text(one)
    page.keyboard.press("Shift")
    page.wait_for_url(neutral)
    assert history_length(page) == start
    assert not [u for u in back_list(page) if u.startswith(base_url)]


@pytest.mark.parametrize("lang", LANGS)
def test_typing_capitals_does_not_exit(page: Page, lang):
    page.goto(f"/{lang}/")
    url = page.url
    page.locator("#q").click()
    for letter in "HELP":
        page.keyboard.down("Shift")
        page.keyboard.press(f"Key{letter}")
        page.keyboard.up("Shift")
    page.keyboard.type(" me ")
    for letter in "NOW":
        page.keyboard.down("Shift")
        page.keyboard.press(f"Key{letter}")
        page.keyboard.up("Shift")
    # Every key has been handled once the box holds them all; an exit would have
    # announced itself (synchronously, in the key handler) and emptied the page.
    expect(page.locator("#q")).to_have_value("HELP me NOW")
    expect(page.locator("#exit-status")).to_have_text("")
    assert page.url == url


@pytest.mark.parametrize("lang", LANGS)
def test_another_key_resets_the_count(page: Page, lang):
    page.goto(f"/{lang}/")
    url = page.url
    two = page.locator("#exit-bar").get_attribute("data-two")
    for key in ("Shift", "Shift", "x", "Shift"):
        page.keyboard.press(key)
    # "two more" after the last Shift: the count started again at the x (before it,
    # the status said "one more"), and nothing left.
    expect(page.locator("#exit-status")).to_have_text(two)
    assert page.url == url


def test_presses_more_than_five_seconds_apart_do_not_exit(page: Page):
    page.clock.install()
    page.goto("/en/")
    url = page.url
    page.keyboard.press("Shift")
    page.clock.fast_forward(4_000)
    page.keyboard.press("Shift")
    page.clock.fast_forward(5_100)
    page.keyboard.press("Shift")
    two = page.locator("#exit-bar").get_attribute("data-two")
    expect(page.locator("#exit-status")).to_have_text(two)
    assert page.url == url


@pytest.mark.parametrize("lang", LANGS)
def test_search_form_replaces_the_history_entry(page: Page, lang):
    page.goto(f"/{lang}/get-help-now")
    start = history_length(page)
    page.locator("#q").fill("no pay & passport")
    page.locator("#q").press("Enter")
    page.wait_for_url(re.compile(rf"/{lang}/search\?q=no\+pay\+%26\+passport$"))
    page.wait_for_load_state()
    assert history_length(page) == start
    expect(page.locator("#q")).to_have_value("no pay & passport")


def test_services_filter_form_replaces_the_history_entry(page: Page):
    page.goto("/en/services")
    start = history_length(page)
    page.locator("#need").select_option("legal")
    page.locator("main form button").click()
    page.wait_for_url(re.compile(r"/en/services\?need=legal&who=$"))
    assert history_length(page) == start


def test_modified_clicks_and_other_links_are_left_alone(page: Page, context):
    page.goto("/en/get-help-now")
    assert page.locator('a[href^="tel:"]').count() > 0
    # A ctrl-click opens a new tab, as usual, and leaves this page where it was.
    with context.expect_page() as opened:
        page.locator('footer a[href="/en/services"]').click(modifiers=["Control"])
    opened.value.close()
    assert page.url.endswith("/en/get-help-now")
    # The script does not touch links to other sites (checked without following them).
    prevented = page.evaluate("""() => {
        const a = document.createElement('a');
        a.href = 'https://example.org/'; a.textContent = 'x';
        document.querySelector('main').appendChild(a);
        let prevented = null;
        document.addEventListener('click', e => { prevented = e.defaultPrevented;
                                                   e.preventDefault(); });
        a.click();
        const t = document.querySelector('a[href^="tel:"]');
        t.click();
        return prevented;
    }""")
    assert prevented is False


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_without_javascript_the_link_exits_through_the_server(page: Page, base_url, neutral):
    page.goto("/en/get-help-now")
    follow(page, 'footer a[href="/en/services"]', "/en/services")
    with page.expect_response(lambda r: r.url == base_url + "/exit") as caught:
        page.locator("#exit").click()
    page.wait_for_url(neutral)
    response = caught.value
    headers = response.all_headers()
    assert response.status == 303
    assert headers["location"] == neutral
    assert headers["clear-site-data"] == '"cookies", "storage"'
    assert "no-store" in headers["cache-control"]
    assert headers["referrer-policy"] == "no-referrer"
    # Without script, links behave as links: Back goes to the page before.
    page.go_back()
    assert page.url == base_url + "/en/services"


def test_exit_ignores_parameters(portal_app, neutral):
    client = portal_app.test_client()
    for url in ("/exit?next=https://evil.example/", "/exit?url=//evil.example"):
        response = client.get(url)
        assert response.status_code == 303
        assert response.headers["Location"] == neutral


@pytest.mark.parametrize("lang", LANGS)
def test_nothing_is_stored(page: Page, context, lang):
    set_cookies = []
    page.on("response", lambda r: set_cookies.extend(
        [r.url] if "set-cookie" in r.all_headers() else []))
    read_several_pages(page, lang)
    page.locator("#q").fill("help")
    page.locator("#q").press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=help$"))
    page.wait_for_load_state()
    stored = page.evaluate("""async () => ({
        cookie: document.cookie,
        local: localStorage.length,
        session: sessionStorage.length,
        idb: indexedDB.databases ? (await indexedDB.databases()).length : 0,
        workers: navigator.serviceWorker
            ? (await navigator.serviceWorker.getRegistrations()).length : 0,
    })""")
    assert stored == {"cookie": "", "local": 0, "session": 0, "idb": 0, "workers": 0}
    assert context.cookies() == []
    assert set_cookies == []


@pytest.mark.parametrize("lang", LANGS)
def test_exit_control_geometry(page: Page, translated, lang):
    page.set_viewport_size({"width": 320, "height": 568})
    page.goto(f"/{lang}/services")
    link = page.locator("#exit")
    expect(link).to_have_text(translated(lang, "Leave this site now"))
    box = link.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44, box
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    assert page.evaluate("scrollY") > 500, "the page should be long enough to scroll"
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320, box
    assert box["y"] >= 0 and box["y"] + box["height"] <= 568, box
    on_top = page.evaluate("""() => {
        const r = document.getElementById('exit').getBoundingClientRect();
        const el = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return el && el.closest('#exit') !== null;
    }""")
    assert on_top, "something covers the exit link"


@pytest.mark.parametrize("lang", LANGS)
def test_exit_is_first_control_after_skip_link(page: Page, lang):
    page.goto(f"/{lang}/card")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "exit"


@pytest.mark.parametrize("lang", LANGS)
def test_exit_hidden_in_print(page: Page, lang):
    page.goto(f"/{lang}/get-help-now")
    expect(page.locator("#exit")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("#exit")).to_be_hidden()
    expect(page.locator("#exit-bar")).to_be_hidden()


def test_skip_link_still_moves_focus_and_adds_no_entry(page: Page):
    page.goto("/en/get-help-now")
    start = history_length(page)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/en/get-help-now#main$"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
    assert history_length(page) == start


def test_exit_script_is_small_es5_and_stores_nothing(portal_app, page: Page):
    source = (Path(portal_app.config["STATIC_DIR"]) / "exit.js").read_bytes()
    assert len(source) < 2000, f"exit.js is {len(source)} bytes"
    text = source.decode("ascii")  # plain ASCII: no encoding surprises on old phones
    for es6 in ("=>", "`", "let ", "const ", "class ", "...", "async ", "?.", "??"):
        assert es6 not in text, es6
    for store in ("cookie", "Storage", "indexedDB", "serviceWorker", "caches"):
        assert store not in text, store
    # Served fingerprinted and cacheable, from the portal's own origin.
    page.goto("/en/")
    src = page.locator("script").get_attribute("src")
    assert re.fullmatch(r"/static/exit\.[0-9a-f]{10}\.js", src), src
    response = page.request.get(src)
    assert response.ok and "immutable" in response.headers["cache-control"]
