"""Per-entry review records: who may make them, what counts, and what clears them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portal import pofiles, review
from portal.config import ROOT

NATIVE = """
  rv-vi-01:
    kinds: [native]
    languages: [vi]
  tr-m-vi:
    kinds: [native, second-reader:human]
    languages: [vi]
"""


@pytest.fixture
def vi(make_app):
    app = make_app()
    with (make_app.translations / "reviewers.yaml").open("a", encoding="utf-8") as fp:
        fp.write(NATIVE)
    lang = app.extensions["i18n"].registry.get("vi")
    # The committed catalogues carry the second reader's records: start these tests
    # from none, so every count below is made by the test itself.
    for domain in ("messages", "content"):
        path, catalog = _catalog(app, lang, domain)
        for message in catalog:
            message.user_comments = [c for c in message.user_comments
                                     if not c.startswith("review:")]
        _save(path, catalog, domain)
    assert _status(app)["content"]["reviewed"] == 0
    return app, lang


def _status(app, code="vi"):
    result = app.test_cli_runner().invoke(args=["i18n", "status", "--json"])
    return json.loads(result.output)[code]


def _catalog(app, lang, domain="content"):
    path = pofiles.po_path(Path(app.config["TRANSLATIONS_DIR"]), lang, domain)
    return path, pofiles.read_catalog(path, lang)


def _save(path, catalog, domain="content"):
    pofiles.write_catalog(catalog, path, domain, kept=pofiles.kept_headers(path))


def test_second_reader_marks_every_entry_but_the_draft_stays(vi):
    app, lang = vi
    runner = app.test_cli_runner()
    result = runner.invoke(args=["i18n", "mark-reviewed", "vi", "--by", "sr-m-01", "--kind",
                                 "second-reader:machine", "--all-current"])
    assert result.exit_code == 0, result.output
    for domain, counts in _status(app).items():
        assert counts["reviewed"] == counts["translated"] > 0, domain
        assert counts["reviewed_by_kind"]["second-reader:machine"] == counts["translated"]
        assert counts["reviewed_by_native"] == 0
    # The record is a translator comment on each entry: what gettext tools keep.
    path, catalog = _catalog(app, lang)
    assert "# review: second-reader:machine sr-m-01 " in path.read_text(encoding="utf-8")
    result = runner.invoke(args=["i18n", "review", "vi", "--by", "rv-vi-01"])
    assert result.exit_code == 1 and "stays draft" in result.output
    assert app.extensions["i18n"].is_draft(lang)


def test_a_machine_reader_cannot_record_native_review(vi):
    app, _ = vi
    result = app.test_cli_runner().invoke(args=[
        "i18n", "mark-reviewed", "vi", "--by", "sr-m-01", "--kind", "native", "--all-current"])
    assert result.exit_code != 0
    assert _status(app)["content"]["reviewed_by_native"] == 0


def test_forged_records_do_not_count(vi):
    app, lang = vi
    path, catalog = _catalog(app, lang)
    # Entries whose translator is the file's Last-Translator (not the ones a later
    # session translated and named in a translated-by comment, such as the synonyms).
    messages = [m for m in catalog if m.id and m.string and not any(
        c.strip().startswith("translated-by:") for c in m.user_comments)][:4]
    on = "2026-12-06"
    # An unlisted id; a listed machine reader claiming native; the translator (the
    # file's Last-Translator) reviewing their own work; a record for another text.
    review.add(messages[0], review.record_for(messages[0], "native", "someone", on))
    review.add(messages[1], review.record_for(messages[1], "native", "sr-m-01", on))
    review.add(messages[2], review.record_for(messages[2], "native", "tr-m-vi", on))
    record = review.record_for(messages[3], "native", "rv-vi-01", on)
    messages[3].string += " (edited after review)"
    review.add(messages[3], record)
    _save(path, catalog)
    assert catalog.last_translator.startswith("tr-m-vi")
    counts = _status(app)["content"]
    assert counts["reviewed"] == 0 and counts["reviewed_by_native"] == 0
    # A genuine record by a listed native reviewer counts.
    path, catalog = _catalog(app, lang)
    message = next(m for m in catalog if m.id and m.string)
    review.add(message, review.record_for(message, "native", "rv-vi-01", on))
    _save(path, catalog)
    assert _status(app)["content"]["reviewed_by_native"] == 1


def test_changed_english_clears_the_review_record(vi):
    app, lang = vi
    runner = app.test_cli_runner()
    runner.invoke(args=["i18n", "mark-reviewed", "vi", "--domain", "content", "--by",
                        "sr-m-01", "--kind", "second-reader:machine", "--all-current"])
    directory = Path(app.config["TRANSLATIONS_DIR"])
    template_path = pofiles.pot_path(directory, "content")
    template = pofiles.read_catalog(template_path)
    message = next(m for m in template if m.id and m.context == "page:your-rights"
                   and m.id.startswith("You may be able to get compensation"))
    old = message.id
    template.delete(old, context=message.context)
    template.add(old.replace("compensation", "money back"), context=message.context,
                 auto_comments=message.auto_comments, locations=message.locations)
    pofiles.write_catalog(template, template_path, "content", template=True)
    pofiles.update(directory, lang, "content")
    pofiles.update(directory, lang, "content")  # a second update keeps the "#|" source
    path, catalog = _catalog(app, lang)
    assert f'#| msgid "{old[:30]}' in path.read_text(encoding="utf-8")
    changed = catalog.get(old.replace("compensation", "money back"), context=message.context)
    assert changed.fuzzy
    assert not review.records(changed)
    assert review.records(next(m for m in catalog if m.id and not m.fuzzy and m.string))


def test_native_review_of_every_entry_lifts_the_draft(vi):
    app, lang = vi
    runner = app.test_cli_runner()
    result = runner.invoke(args=["i18n", "mark-reviewed", "vi", "--by", "rv-vi-01",
                                 "--kind", "native", "--all-current"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["i18n", "review", "vi", "--by", "sr-m-01"]).exit_code != 0
    result = runner.invoke(args=["i18n", "review", "vi", "--by", "rv-vi-01",
                                 "--on", "2026-12-06"])
    assert result.exit_code == 0, result.output
    app.extensions["i18n"].catalogs.reload_now()
    assert not app.extensions["i18n"].is_draft(lang)


def test_mark_reviewed_takes_the_entries_a_reader_checked(vi, tmp_path):
    app, lang = vi
    _, catalog = _catalog(app, lang)
    checked = [{"context": m.context, "source": m.id} for m in catalog if m.id and m.string][:3]
    ids = tmp_path / "checked.json"
    ids.write_text(json.dumps(checked), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=[
        "i18n", "mark-reviewed", "vi", "--domain", "content", "--by", "sr-m-01",
        "--kind", "second-reader:machine", "--ids-file", str(ids)])
    assert result.exit_code == 0, result.output
    assert _status(app)["content"]["reviewed"] == 3


def test_update_drops_stale_wrapped_previous_lines_and_keeps_real_ones(vi):
    app, lang = vi
    directory = Path(app.config["TRANSLATIONS_DIR"])
    path = pofiles.po_path(directory, lang, "messages")
    text = path.read_text(encoding="utf-8")
    entry = 'msgid "Training"\n'
    stale = '# | msgid "Old text that was wrapped\n# over two lines"\n'
    path.write_text(text.replace(entry, stale + entry, 1), encoding="utf-8")
    pofiles.update(directory, lang, "messages")
    after = path.read_text(encoding="utf-8")
    assert "# | msgid" not in after and "# over two lines" not in after
    # A real previous source ("#|", no space) is not a comment and survives.
    previous = '#, fuzzy\n#| msgid "Trainings"\n'
    path.write_text(after.replace(entry, previous + entry, 1), encoding="utf-8")
    catalog = pofiles.read_catalog(path, lang)
    for message in catalog:
        pofiles.drop_stale_previous(message)
    _save(path, catalog, "messages")
    assert '#| msgid "Trainings"\nmsgid "Training"' in path.read_text(encoding="utf-8")


def test_catalogues_have_real_headers_and_no_stale_previous_lines():
    for po in (ROOT / "translations").glob("*/LC_MESSAGES/*.po"):
        text = po.read_text(encoding="utf-8")
        head = text[:1500]
        assert "Last-Translator: FULL NAME" not in head and "YEAR-MO-DA" not in head, po
        assert review.translator_id(
            head.split("Last-Translator: ", 1)[1].split("\\n", 1)[0]), po
        assert "\n# | msgid" not in text, po
