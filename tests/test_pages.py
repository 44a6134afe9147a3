"""Every page in every language: right lang/dir, the numbers to call, safe fallbacks."""

import re
from pathlib import Path

import pytest

from portal.locales import WAVE1

CODES = [lang.code for lang in WAVE1]


def page_paths(app):
    store = app.extensions["content"]
    paths = ["", "services", "card"] + sorted(store.pages)
    paths += [f"services/{sid}" for sid in sorted(store.services)]
    return paths


@pytest.mark.parametrize("code", CODES)
def test_every_page_renders_with_the_right_lang_and_dir(app, client, code):
    lang = app.extensions["i18n"].registry.get(code)
    for path in page_paths(app):
        response = client.get(f"/{code}/{path}")
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        assert f'<html lang="{lang.bcp47}" dir="{lang.dir}">' in body, path
        # 999 and the helpline, as isolated tel: links, on every page
        assert 'href="tel:999" dir="ltr">999</a>' in body, path
        assert 'href="tel:+448000121700" dir="ltr">08000 121 700</a>' in body, path
        assert "Set-Cookie" not in response.headers


def test_fallback_blocks_carry_lang_en(make_app):
    app = make_app()
    page = app.extensions["content"].pages["get-help-now"]
    page.blocks.append(type(page.blocks[-1])(
        kind="p", text="A brand new paragraph nobody translated yet.", context=page.context))
    body = app.test_client().get("/ar/get-help-now").get_data(as_text=True)
    assert '<p lang="en" dir="ltr">A brand new paragraph nobody translated yet.</p>' in body
    assert '<html lang="ar" dir="rtl">' in body


def test_english_pages_have_no_fallback_markers(client):
    body = client.get("/en/get-help-now").get_data(as_text=True)
    assert ' lang="en" dir="ltr">' not in body.split("<main", 1)[1]


def test_hreflang_alternates_for_every_language(client):
    body = client.get("/en/your-rights").get_data(as_text=True)
    for lang in WAVE1:
        assert f'hreflang="{lang.bcp47}" href="/{lang.code}/your-rights"' in body


def test_language_switcher_keeps_the_page_and_partner(client):
    body = client.get("/ar/your-rights?with=en").get_data(as_text=True)
    assert 'href="/vi/your-rights?with=en"' in body
    assert 'href="/en/your-rights"' in body  # English itself needs no partner


def test_side_by_side_pairs_every_block(app, client):
    page = app.extensions["content"].pages["get-help-now"]
    body = client.get("/ar/get-help-now?with=en").get_data(as_text=True)
    pairs = re.findall(r'<div class="pair">(.*?)</div>', body, re.S)
    assert len(pairs) == len(page.blocks)
    for pair in pairs:
        assert pair.count(' lang="') >= 1
        assert 'lang="en" dir="ltr"' in pair


def test_unknown_partner_falls_back_to_the_plain_page(client):
    plain = client.get("/ar/get-help-now").get_data(as_text=True)
    odd = client.get("/ar/get-help-now?with=xx").get_data(as_text=True)
    assert odd == plain
    assert 'class="pair"' not in odd


def test_internal_links_lead_to_the_readers_language(client):
    body = client.get("/vi/get-help-now").get_data(as_text=True)
    links = re.findall(r'href="(/[^"]*)"', body)
    content_links = [h for h in links if h.count("/") >= 2 and not h.startswith("/static")]
    assert content_links
    main = body.split('<main id="main">', 1)[1]
    for href in re.findall(r'href="(/[^"]*)"', main):
        assert href.startswith(("/vi/", "/languages")), href


def test_draft_notice_only_on_draft_languages(client, app):
    i18n = app.extensions["i18n"]
    for lang in WAVE1:
        body = client.get(f"/{lang.code}/").get_data(as_text=True)
        has_notice = 'class="note draft"' in body
        assert has_notice == i18n.is_draft(lang), lang.code
    assert not i18n.is_draft(i18n.registry.get("en"))


def test_reviewed_language_loses_the_draft_notice(make_app):
    app = make_app()
    with (make_app.translations / "reviewers.yaml").open("a", encoding="utf-8") as fp:
        fp.write("  rv-vi-01:\n    kinds: [native]\n    languages: [vi]\n")
    runner = app.test_cli_runner()
    # Only native review of every entry lifts the notice.
    result = runner.invoke(args=["i18n", "review", "vi", "--by", "rv-vi-01"])
    assert result.exit_code == 1, result.output
    result = runner.invoke(args=["i18n", "mark-reviewed", "vi", "--by", "rv-vi-01", "--kind",
                                 "native", "--all-current"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["i18n", "review", "vi", "--by", "rv-vi-01", "--on",
                                 "2026-11-29"])
    assert result.exit_code == 0, result.output
    app.extensions["i18n"].catalogs.reload_now()
    assert not app.extensions["i18n"].is_draft(app.extensions["i18n"].registry.get("vi"))
    body = app.test_client().get("/vi/").get_data(as_text=True)
    assert 'class="note draft"' not in body
    po = Path(app.config["TRANSLATIONS_DIR"]) / "vi" / "LC_MESSAGES" / "content.po"
    text = po.read_text(encoding="utf-8")
    assert "X-Reviewed-By: rv-vi-01" in text


def test_services_list_filters_without_javascript(client):
    everything = client.get("/en/services").get_data(as_text=True)
    children = client.get("/en/services?need=children").get_data(as_text=True)
    assert everything.count('<li><a href="/en/services/') > children.count(
        '<li><a href="/en/services/') > 0
    assert "childline" in children
    assert client.get("/en/services?need=<script>").status_code == 200


def test_service_page_says_where_details_come_from(client, app):
    service = app.extensions["content"].services["modern-slavery-helpline"]
    body = client.get("/en/services/modern-slavery-helpline").get_data(as_text=True)
    assert service.source_url in body
    assert "Nobody has confirmed them with the service yet" in body
    assert "These details come from the source below (" in body


def test_services_json_is_open_referral_shaped(client, app):
    data = client.get("/services.json").get_json()
    assert data["count"] == len(app.extensions["content"].services) >= 20
    for item in data["services"]:
        assert item["source_url"].startswith("http")
        assert item["source_date"]
        assert "assured_date" in item and item["checked_on"] is None
        for phone in item["phones"]:
            assert phone["number"] in app.extensions["content"].phonebook


def test_home_page_entry_points_and_numbers_first(client):
    body = client.get("/en/").get_data(as_text=True)
    for slug in ("get-help-now", "spot-the-signs", "report-a-concern",
                 "modern-slavery-statements", "first-responders"):
        assert f'href="/en/{slug}"' in body
    assert body.index("tel:999") < body.index("<main")


def test_unreadable_content_file_gives_503_for_that_page_only(make_app):
    app = make_app()
    path = app.config["CONTENT_DIR"] + "/pages/your-rights.md"
    with open(path, "wb") as fp:
        fp.write(b"\xff\xfe not utf-8 and no front matter")
    app.extensions["content"].load()
    client = app.test_client()
    response = client.get("/sq/your-rights")
    assert response.status_code == 503
    assert '<html lang="sq"' in response.get_data(as_text=True)
    assert client.get("/sq/get-help-now").status_code == 200


def test_content_edit_is_served_without_restart(make_app):
    app = make_app()
    client = app.test_client()
    assert "Fresh words" not in client.get("/en/get-help-now").get_data(as_text=True)
    path = app.config["CONTENT_DIR"] + "/pages/get-help-now.md"
    with open(path, "a", encoding="utf-8") as fp:
        fp.write("\nFresh words for the test.\n")
    assert "Fresh words for the test." in client.get("/en/get-help-now").get_data(as_text=True)
