"""Every page in every language: right lang/dir, the numbers to call, safe fallbacks."""

import html
import re
from pathlib import Path

import pytest

from portal.locales import SERVED

CODES = [lang.code for lang in SERVED]


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


def test_every_language_is_linked_from_every_page(client):
    """Readers switch language through the header's one control, which leads to this
    page in every language; search engines get the alternates, with absolute URLs,
    from /sitemap.xml (tests/test_seo.py)."""
    body = client.get("/en/your-rights").get_data(as_text=True)
    assert 'href="/languages?page=your-rights"' in body
    chooser = client.get("/languages?page=your-rights").get_data(as_text=True)
    for lang in SERVED:
        assert f'href="/{lang.code}/your-rights"' in chooser, lang.code


def test_language_switcher_keeps_the_page_and_partner(client):
    body = client.get("/ar/your-rights?with=en").get_data(as_text=True)
    header = html.unescape(body.split("<header>", 1)[1].split("</header>", 1)[0])
    # One control, not a link per language (issue 19).
    assert header.count("<a ") == 2, header  # the site's name and the language control
    assert 'href="/languages?page=your-rights&with=en"' in header
    chooser = client.get("/languages?page=your-rights&with=en").get_data(as_text=True)
    assert 'href="/vi/your-rights?with=en"' in chooser
    assert 'href="/en/your-rights"' in chooser  # English itself needs no partner


@pytest.mark.parametrize("query", ["page=../../etc/passwd", "page=nope", "page=" + "x" * 500,
                                   "page=your-rights&with=zz"])
def test_language_chooser_refuses_unknown_pages_and_partners(client, query):
    """Parsed strictly (portal/params.py): a 400 page that echoes nothing it was sent."""
    response = client.get(f"/languages?{query}")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "passwd" not in body and "nope" not in body and "xxxxxxxx" not in body
    assert 'href="/exit"' in body


@pytest.mark.parametrize("code", ["sq", "ar"])
def test_language_chooser_under_a_language_refuses_in_that_language(client, code):
    # /<lang>/languages is the multilingual chooser; a bad request to it is still
    # answered in the language of its address.
    response = client.get(f"/{code}/languages?page=0")
    assert response.status_code == 400
    assert f'<html lang="{code}"' in response.get_data(as_text=True)


def test_language_chooser_without_a_page_has_no_partner(client):
    response = client.get("/languages?with=vi")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "?with=" not in body and 'href="/vi/' in body


def test_side_by_side_pairs_every_block(app, client):
    page = app.extensions["content"].pages["get-help-now"]
    body = client.get("/ar/get-help-now?with=en").get_data(as_text=True)
    pairs = body.split('<div class="pair">')[1:]
    assert len(pairs) == len(page.blocks)
    for pair in pairs:
        # A cell in the page's own language may inherit lang from <html>.
        cells = re.findall(r'<div class="cell"(?: lang="([^"]+)")? dir="(rtl|ltr)">'
                           r'<span class="cell-lang[^"]*">[^<]+</span>\s*<(\w+)', pair)
        assert len(cells) == 2, pair
        (mine, _, mine_tag), (theirs, theirs_dir, theirs_tag) = cells
        assert mine in ("", "en") and (theirs, theirs_dir) == ("en", "ltr")
        # The same element on both sides: a heading beside a heading (issue 19).
        assert mine_tag == theirs_tag, pair
    assert pairs[0].count("<h1>") == 2
    # The banner and the way back belong to the whole view, above both columns.
    head = body.split('<div class="pair">')[0]
    assert 'href="/ar/get-help-now">' in head and 'class="cols"' in head


def test_side_by_side_isolates_bracketed_english_in_right_to_left_text(client):
    for code in ("ar", "fa", "ps"):
        body = client.get(f"/{code}/get-help-now?with=en").get_data(as_text=True)
        rtl = [cell for cell in body.split('<div class="cell"')[1:]
               if cell.startswith(' dir="rtl"')]
        assert rtl, code
        terms = [(cell, term) for cell in rtl
                 for term in re.findall(r"\(([A-Za-z][^()<>]*)\)", cell)]
        assert terms, code
        for cell, term in terms:
            assert f'<bdi dir="ltr">({term})</bdi>' in cell, (code, term)


def test_an_unknown_partner_is_a_bad_request_in_the_readers_language(client):
    odd = client.get("/ar/get-help-now?with=xx")
    assert odd.status_code == 400
    assert '<html lang="ar"' in odd.get_data(as_text=True)
    assert 'class="pair"' not in odd.get_data(as_text=True)
    # Beside itself, or with the empty value a form sends, it is the plain page.
    plain = client.get("/ar/get-help-now").get_data(as_text=True)
    for same in ("?with=ar", "?with=AR", "?with="):
        assert client.get(f"/ar/get-help-now{same}").get_data(as_text=True) == plain


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
    for lang in SERVED:
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
    assert client.get("/en/services?need=<script>").status_code == 400
    assert client.get("/en/services?need=unknown").status_code == 400


def test_services_list_says_when_each_phone_service_answers_and_what_a_call_costs(client, app):
    body = client.get("/en/services").get_data(as_text=True)
    phone_services = [s for s in app.extensions["content"].services.values() if s.phones]
    assert body.count("<b>When:</b>") == len(phone_services)
    assert body.count("<b>Cost:</b>") == len(phone_services)


def test_service_page_says_where_details_come_from(client, app):
    service = app.extensions["content"].services["modern-slavery-helpline"]
    body = client.get("/en/services/modern-slavery-helpline").get_data(as_text=True)
    assert service.source_url in body
    assert "Nobody has confirmed them with the service yet" in body
    assert "These details come from the source below (" in body


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
