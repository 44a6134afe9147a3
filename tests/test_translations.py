"""Catalogue safety: each check catches its fault, the entry is quarantined at run time
while the site stays up, and status reports it."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from portal import pofiles
from portal.checks import check_text
from portal.config import ROOT
from portal.locales import SERVED

HELP = "get-help-now"


# Checks, one fault each ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "translation", "needle"),
    [
        ("Call 08000 121 700 now.", "اتصل على 08000 121 710 الآن.", "08000 121 700"),
        ("Call 08000 121 700 now.", "Llamar 0800 0121 700.", "08000 121 700"),
        ("Call 999.", "Rufen Sie ٩٩٩ an.", "999"),
        ("Read [your rights](your-rights).", "Lire [vos droits](report-a-concern).",
         "link targets"),
        ("See https://www.gov.uk/x for more.", "Voir https://www.gov.uk/y.", "URLs"),
        ("Mail intelligence@gla.gov.uk.", "Mail intel@gla.gov.uk.", "e-mail"),
        ("Call %(number)s.", "Appelez %(nmber)s.", "placeholders"),
        ("Show {training_email}", "Montrer {email}", "placeholders"),
        ("Safe text.", "Texte <script>alert(1)</script>.", "HTML"),
        ("You have **rights**.", "Vous avez des droits.", "emphasis"),
        ("Wait 45 days.", "Attendez 54 jours.", "numbers differ"),
        ("Under 18.", "Moins de 16 ans.", "numbers differ"),
        ("Hello", " Bonjour", "whitespace"),
        ("One line", "Une\nligne", "line breaks"),
    ],
)
def test_each_check_catches_its_fault(source, translation, needle):
    problems = check_text(source, translation, phones=["08000 121 700", "999"])
    assert any(needle in p for p in problems), problems


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("Call 08000 121 700 now.", "اتصل على 08000 121 700 الآن."),
        ("Wait 45 days.", "انتظر ٤٥ يومًا."),  # the language's own digits for a fact
        ("Read [your rights](your-rights).", "Lisez [vos droits](your-rights)."),
        ("13,000 people", "13.000 de persoane"),
        ("Call %(number)s.", "%(number)s را بگیرید."),
    ],
)
def test_safe_translations_pass(source, translation):
    assert check_text(source, translation, phones=["08000 121 700"]) == []


# Quarantine at run time ---------------------------------------------------------------
def _edit(app, code, domain, edit):
    """Change one language's PO file, compile it, and make the app see it."""
    lang = app.extensions["i18n"].registry.get(code)
    directory = Path(app.config["TRANSLATIONS_DIR"])
    path = pofiles.po_path(directory, lang, domain)
    kept = pofiles.kept_headers(path)
    catalog = pofiles.read_catalog(path, lang)
    edit(catalog)
    pofiles.write_catalog(catalog, path, domain, kept=kept)
    pofiles.compile_catalog(directory, lang, domain)
    app.extensions["i18n"].catalogs.reload_now()
    return lang


def _first_block_with(app, needle, code="ar"):
    """The first block of the help page holding ``needle`` that ``code`` translates."""
    page = app.extensions["content"].pages[HELP]
    i18n = app.extensions["i18n"]
    catalog = i18n.catalog(i18n.registry.get(code), "content")
    return next(b for b in page.blocks if needle in b.text and catalog.lookup(b.context, b.text))


@pytest.fixture
def arabic(make_app):
    app = make_app()
    lang = app.extensions["i18n"].registry.get("ar")
    if not app.extensions["i18n"].catalog(lang, "content").lookup(
        f"page:{HELP}", _first_block_with(app, "08000 121 700").text
    ):
        pytest.fail("the Arabic catalogue must translate get-help-now")
    return app


def test_changed_phone_number_is_quarantined_and_reported(arabic, caplog):
    app = arabic
    block = _first_block_with(app, "08000 121 700")

    def tamper(catalog):
        message = catalog.get(block.text, context=block.context)
        message.string = message.string.replace("08000 121 700", "08000 121 710")

    with caplog.at_level(logging.WARNING, logger="portal.catalogs"):
        _edit(app, "ar", "content", tamper)
    body = app.test_client().get(f"/ar/{HELP}").get_data(as_text=True)
    assert "121 710" not in body
    assert 'lang="en" dir="ltr">' in body
    assert '<html lang="ar" dir="rtl">' in body
    logged = [r for r in caplog.records if "quarantined" in r.getMessage()]
    assert len(logged) == 1
    app.test_client().get(f"/ar/{HELP}")
    assert len([r for r in caplog.records if "quarantined" in r.getMessage()]) == 1

    runner = app.test_cli_runner()
    result = runner.invoke(args=["i18n", "check", "ar"])
    assert result.exit_code == 1
    assert "ar content page:get-help-now" in result.output
    assert "08000 121 700" in result.output
    status = json.loads(runner.invoke(args=["i18n", "status", "--json"]).output)
    assert status["ar"]["content"]["failing"] == 1
    assert status["ar"]["messages"]["failing"] == 0


def test_changed_link_target_is_quarantined(arabic):
    app = arabic
    page = app.extensions["content"].pages[HELP]
    catalog = app.extensions["i18n"].catalog(app.extensions["i18n"].registry.get("ar"),
                                             "content")
    block = next(b for b in page.blocks if "](" in b.text and catalog.lookup(b.context, b.text))

    def tamper(catalog):
        message = catalog.get(block.text, context=block.context)
        message.string = message.string.replace("](", "](https://evil.example/", 1)

    _edit(app, "ar", "content", tamper)
    body = app.test_client().get(f"/ar/{HELP}").get_data(as_text=True)
    assert "evil.example" not in body
    result = app.test_cli_runner().invoke(args=["i18n", "check", "ar"])
    assert result.exit_code == 1 and "link targets differ" in result.output


def test_injected_script_is_never_served(arabic):
    app = arabic
    block = _first_block_with(app, "08000 121 700")

    def tamper(catalog):
        message = catalog.get(block.text, context=block.context)
        message.string += "<script>alert(1)</script><img src=x onerror=alert(2)>"

    _edit(app, "ar", "content", tamper)
    body = app.test_client().get(f"/ar/{HELP}").get_data(as_text=True)
    assert "<script>alert" not in body and "onerror" not in body
    assert "HTML markup differs" in app.test_cli_runner().invoke(
        args=["i18n", "check", "ar"]).output


def test_broken_placeholder_never_becomes_a_500(arabic):
    app = arabic

    def tamper(catalog):
        message = catalog.get("In danger now? Call %(number)s.")
        message.string = "خطر؟ اتصل %(nmber)s."

    _edit(app, "ar", "messages", tamper)
    response = app.test_client().get("/ar/")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "In danger now? Call" in body and "%(nmber)s" not in body
    result = app.test_cli_runner().invoke(args=["i18n", "check", "ar"])
    assert result.exit_code == 1 and "placeholders differ" in result.output


def test_wrong_plural_count_is_quarantined(arabic):
    app = arabic
    key = ("%(num)d service", "%(num)d services")

    def tamper(catalog):
        catalog.get(key).string = ("%(num)d خدمة", "%(num)d خدمات")

    _edit(app, "ar", "messages", tamper)
    # Babel compiles the forms a file lacks as the English plural, so a reader sees
    # English for those counts rather than nothing; the check names the entry.
    translations = app.extensions["i18n"].catalog(
        app.extensions["i18n"].registry.get("ar"), "messages").translations
    assert translations.ungettext(*key, 3) in ("%(num)d services", "%(num)d خدمات")
    response = app.test_client().get("/ar/services")
    assert response.status_code == 200
    result = app.test_cli_runner().invoke(args=["i18n", "check", "ar"])
    assert "2 plural forms, but the language has 6" in result.output


def test_corrupt_mo_falls_back_to_english_and_the_site_stays_up(make_app, caplog):
    app = make_app()
    lang = app.extensions["i18n"].registry.get("ar")
    for domain in ("messages", "content"):
        path = Path(app.config["TRANSLATIONS_DIR"]) / "ar" / "LC_MESSAGES" / f"{domain}.mo"
        path.write_bytes(b"\x00garbage, not a catalogue" * 10)
    with caplog.at_level(logging.ERROR, logger="portal.catalogs"):
        app.extensions["i18n"].catalogs.reload_now()
        client = app.test_client()
        for _ in range(3):
            response = client.get(f"/ar/{HELP}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in body
    assert "Get help now" in body
    assert app.extensions["i18n"].catalog(lang, "content").error
    errors = [r for r in caplog.records if "could not be loaded" in r.getMessage()]
    assert len(errors) == 2  # once per domain, not per request


def test_missing_compiled_catalogue_falls_back(make_app):
    app = make_app()
    for path in (Path(app.config["TRANSLATIONS_DIR"]) / "vi" / "LC_MESSAGES").glob("*.mo"):
        path.unlink()
    app.extensions["i18n"].catalogs.reload_now()
    response = app.test_client().get(f"/vi/{HELP}")
    assert response.status_code == 200
    assert '<h1 lang="en" dir="ltr">Get help now</h1>' in response.get_data(as_text=True)


def test_fuzzy_entries_are_not_served(make_app):
    app = make_app()
    block = _first_block_with(app, "08000 121 700")

    def tamper(catalog):
        catalog.get(block.text, context=block.context).flags.add("fuzzy")

    _edit(app, "vi", "content", tamper)
    body = app.test_client().get(f"/vi/{HELP}").get_data(as_text=True)
    english = block.text.split(" 08000")[0].replace("&", "&amp;")
    assert f'lang="en" dir="ltr">{english}' in body


def test_catalogue_edits_are_picked_up_without_restart(make_app):
    app = make_app(RELOAD_INTERVAL=0.0)
    client = app.test_client()
    block = _first_block_with(app, "08000 121 700")
    lang = app.extensions["i18n"].registry.get("vi")
    directory = Path(app.config["TRANSLATIONS_DIR"])
    path = pofiles.po_path(directory, lang, "content")
    catalog = pofiles.read_catalog(path, lang)
    catalog.get(block.text, context=block.context).string = (
        "Gọi 08000 121 700 ngay (mới), 24 giờ, 7 ngày.")
    pofiles.write_catalog(catalog, path, "content", kept=pofiles.kept_headers(path))
    mo = pofiles.mo_path(directory, lang, "content")
    before = mo.stat().st_mtime_ns
    pofiles.compile_catalog(directory, lang, "content")
    import os

    os.utime(mo, ns=(before + 10**9, before + 10**9))
    assert "(mới)" in client.get(f"/vi/{HELP}").get_data(as_text=True)


# Workflow -------------------------------------------------------------------------------
def test_changed_source_becomes_fuzzy_with_previous_text(make_app):
    app = make_app()
    runner = app.test_cli_runner()
    page = Path(app.config["CONTENT_DIR"]) / "pages" / f"{HELP}.md"
    text = page.read_text(encoding="utf-8")
    block = _first_block_with(app, "08000 121 700")
    changed = block.text.replace("08000 121 700", "08000 121 700, free,")
    page.write_text(text.replace(block.text, changed), encoding="utf-8")
    assert runner.invoke(args=["i18n", "extract"]).exit_code == 0
    assert runner.invoke(args=["i18n", "update", "vi"]).exit_code == 0
    po = Path(app.config["TRANSLATIONS_DIR"]) / "vi" / "LC_MESSAGES" / "content.po"
    po_text = po.read_text(encoding="utf-8")
    assert f'#| msgid "{block.text[:40]}' in po_text
    assert "X-Review-Status: draft" in po_text
    # A second update keeps that line as it is, not as a translator comment ("# |").
    assert runner.invoke(args=["i18n", "update", "vi"]).exit_code == 0
    again = po.read_text(encoding="utf-8")
    assert again.count("#| msgid") == po_text.count("#| msgid")
    assert again.count(f'#| msgid "{block.text[:40]}') == po_text.count(
        f'#| msgid "{block.text[:40]}')
    assert "# | msgid" not in again
    with po.open("rb") as fp:
        catalog = read_po(fp)
    assert catalog.get(changed, context=block.context).fuzzy
    assert runner.invoke(args=["i18n", "compile", "vi"]).exit_code == 0
    app.extensions["content"].load()
    app.extensions["i18n"].catalogs.reload_now()
    body = app.test_client().get(f"/vi/{HELP}").get_data(as_text=True)
    assert "free," in body  # the English, until a translator updates it


def test_content_messages_never_carry_python_format():
    text = (ROOT / "translations" / "content.pot").read_text(encoding="utf-8")
    assert "python-format" not in text
    for po in (ROOT / "translations").glob("*/LC_MESSAGES/content.po"):
        assert "python-format" not in po.read_text(encoding="utf-8"), po


def test_entries_with_numbers_or_links_tell_translators_to_keep_them():
    text = (ROOT / "translations" / "content.pot").read_text(encoding="utf-8")
    for entry in text.split("\n\n"):
        if 'msgid "' in entry and "08000 121 700" in entry.split("msgctxt", 1)[-1]:
            assert "#. Keep exactly as in English:" in entry, entry


def test_extracted_templates_are_up_to_date(runner, app, tmp_path):
    templates = pofiles.extract(ROOT, ROOT / "babel.cfg", Path(app.config["CONTENT_DIR"]))
    for domain, catalog in templates.items():
        fresh = tmp_path / f"{domain}.pot"
        pofiles.write_catalog(catalog, fresh, domain, template=True)
        committed = ROOT / "translations" / f"{domain}.pot"
        assert fresh.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), (
            f"{committed} is out of date: run `flask --app portal i18n extract`")


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext's msgfmt is not installed")
def test_every_catalogue_passes_msgfmt_check():
    files = sorted((ROOT / "translations").glob("*/LC_MESSAGES/*.po"))
    assert files
    for po in files:
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)],
                                capture_output=True, text=True)
        assert result.returncode == 0, f"{po}: {result.stderr}"


def test_status_json_shape(runner):
    result = runner.invoke(args=["i18n", "status", "--json"])
    data = json.loads(result.output)
    # Issue 21: 32 languages, so 31 catalogues besides English, each with review counts.
    assert set(data) == {lang.code for lang in SERVED if lang.code != "en"} and len(data) == 31
    for domains in data.values():
        assert set(domains) == {"messages", "content"}
        for counts in domains.values():
            assert {"total", "translated", "fuzzy", "untranslated", "failing",
                    "term_warnings"} <= set(counts)
            assert counts["translated"] + counts["fuzzy"] + counts["untranslated"] == counts[
                "total"]


def test_translators_overview_and_review_view(client):
    overview = client.get("/translators/")
    assert overview.status_code == 200
    assert 'href="/ar/get-help-now?review=1"' in overview.get_data(as_text=True)
    review = client.get(f"/ar/{HELP}?review=1").get_data(as_text=True)
    assert "state-translated" in review or "state-missing" in review
    assert 'lang="en" dir="ltr">' in review


def test_review_view_marks_quarantined_blocks(arabic):
    app = arabic
    block = _first_block_with(app, "08000 121 700")

    def tamper(catalog):
        message = catalog.get(block.text, context=block.context)
        message.string = message.string.replace("08000 121 700", "0800 121 700")

    _edit(app, "ar", "content", tamper)
    review = app.test_client().get(f"/ar/{HELP}?review=1").get_data(as_text=True)
    assert "state-quarantined" in review
    assert "phone number 08000 121 700 must appear exactly as in the source" in review


def test_every_language_is_translated_and_passes_the_check(runner):
    """Wave 1: at least 98% of each domain translated (fuzzy does not count), none failing."""
    data = json.loads(runner.invoke(args=["i18n", "status", "--json"]).output)
    for code, domains in data.items():
        for domain, counts in domains.items():
            assert counts["failing"] == 0, (code, domain, counts)
            assert counts["translated"] >= 0.98 * counts["total"], (code, domain, counts)


def test_unreviewed_catalogues_say_draft():
    for po in (ROOT / "translations").glob("*/LC_MESSAGES/*.po"):
        head = po.read_text(encoding="utf-8")[:3000]
        assert "X-Review-Status: " in head, po
