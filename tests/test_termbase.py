"""The termbase: its coverage, the TBX export, the check that enforces it, the notes
that name terms, and the date-aware numbers check."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.pofile import read_po

from portal import checks, pofiles, tbx, termbase
from portal.config import ROOT
from portal.locales import SERVED

LANGUAGES = tuple(lang.babel for lang in SERVED if lang.code != "en")
REQUIRED = ("modern-slavery", "exploitation", "trafficking", "smuggling", "nrm",
            "first-responder", "reasonable-grounds", "conclusive-grounds", "salvation-army",
            "helpline", "county-lines", "cuckooing", "support", "protection", "safe-house",
            "interpreter", "home-office", "immigration-adviser", "legal-aid",
            "fair-work-agency", "quick-exit")
TBX = "{urn:iso:std:iso:30042:ed-2}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SA_TI = "ገለ ግብረ-ሰናይ ትካላት ንኣብነት ሰራዊት ድሕነት (Salvation Army)ን Barnardo'sን እዮም።"


@pytest.fixture(scope="module")
def terms():
    return termbase.for_directory(ROOT / "translations")


def test_termbase_covers_the_key_terms_in_every_language(terms):
    for term_id in REQUIRED:
        term = terms.by_id[term_id]
        assert term.definition and term.match.search(term.en.replace("human ", "")
                                                     .replace("people ", "")), term_id
        for code in LANGUAGES:
            rendering = term.renderings[code]
            # The approved rendering satisfies the check's own test for it.
            assert rendering.accepted_in(termbase.normalise(rendering.approved)), (term_id, code)
            for word in rendering.forbidden:
                assert termbase.normalise(word) not in termbase.normalise(rendering.approved)


def test_the_termbase_keeps_the_issues_decisions(terms):
    sa = terms.by_id["salvation-army"].renderings
    assert "ሰራዊት ድሕነት" in sa["ti"].forbidden and "د نجات لښکر" in sa["ps"].forbidden
    assert all(r.approved.startswith("Salvation Army") for r in sa.values())
    fa = (terms.by_id["support"].renderings["fa"], terms.by_id["protection"].renderings["fa"])
    assert fa[0].approved != fa[1].approved and "حمایت" in fa[1].forbidden
    assert terms.by_id["trafficking"].renderings["fa"].approved != \
        terms.by_id["smuggling"].renderings["fa"].approved
    assert "支援" in terms.by_id["support"].renderings["zh_Hans"].avoid
    assert "استثمار" in terms.by_id["exploitation"].renderings["ps"].forbidden


def test_tbx_export_is_tbx_basic_and_parses_back(terms, tmp_path, runner):
    out = tmp_path / "termbase.tbx"
    result = runner.invoke(args=["i18n", "termbase", "--tbx", str(out)])
    assert result.exit_code == 0, result.output
    root = ET.parse(out).getroot()
    assert root.tag == f"{TBX}tbx" and root.get("type") == "TBX-Basic"
    assert root.get("style") == "dca" and root.get(XML_LANG) == "en"
    assert root.find(f"{TBX}tbxHeader/{TBX}fileDesc/{TBX}sourceDesc") is not None
    concepts = root.findall(f"{TBX}text/{TBX}body/{TBX}conceptEntry")
    assert len(concepts) == len(terms)
    allowed = set(tbx.STATUS.values())
    back = {}
    for concept in concepts:
        sections = concept.findall(f"{TBX}langSec")
        assert sections[0].get(XML_LANG) == "en"
        for section in sections:
            # TBX core: descriptions and notes come before the term sections.
            tags = [child.tag for child in section]
            assert tags[-1] == f"{TBX}termSec" and f"{TBX}termSec" in tags
            assert tags.index(f"{TBX}termSec") == len(tags) - tags[::-1].index(
                f"{TBX}termSec") - tags.count(f"{TBX}termSec")
            for term_sec in section.findall(f"{TBX}termSec"):
                status = term_sec.find(f"{TBX}termNote[@type='administrativeStatus']").text
                assert status in allowed
                back.setdefault((concept.get("id"), section.get(XML_LANG), status), []).append(
                    term_sec.find(f"{TBX}term").text)
    sa = terms.by_id["salvation-army"].renderings["ti"]
    assert back[("term-salvation-army", "ti", "preferredTerm-admn-sts")] == [sa.approved]
    assert "ሰራዊት ድሕነት" in back[("term-salvation-army", "ti", "deprecatedTerm-admn-sts")]
    assert ("term-support", "zh-Hans", "supersededTerm-admn-sts") in back


def test_a_forbidden_rendering_is_quarantined_and_a_missing_one_warns(terms):
    problems, warnings = checks.check_terms(
        "Some charities are first responders, including the Salvation Army and Barnardo's.",
        SA_TI, "ti", terms)
    assert any("Salvation Army" in p and "ሰራዊት ድሕነት" in p for p in problems)
    assert any("first responder" in w for w in warnings)
    fixed = SA_TI.replace("ሰራዊት ድሕነት (Salvation Army)", "Salvation Army (ክርስትያናዊ ግብረ-ሰናይ ትካል)")
    assert checks.check_terms("the Salvation Army", fixed, "ti", terms) == ([], [])


def test_legal_aid_called_free_is_quarantined_and_the_approved_rendering_passes(terms):
    # Legal aid in England depends on money and the kind of case: a translation that
    # calls it free legal help promises what the English does not (uk, lt and hu did).
    source = "You may be able to get **legal aid** to pay for a lawyer."
    free = {
        "uk": "Можливо, ви зможете отримати **безоплатну правову допомогу**, щоб оплатити юриста.",
        "lt": "Galbūt galėsite gauti **nemokamą teisinę pagalbą** advokatui apmokėti.",
        "hu": "Lehet, hogy kaphat **ingyenes jogi segítséget** az ügyvéd kifizetésére.",
    }
    for code, text in free.items():
        problems, _ = checks.check_terms(source, text, code, terms)
        assert any("legal aid" in p and "forbidden" in p for p in problems), (code, problems)
    approved = terms.by_id["legal-aid"].renderings["uk"].approved
    assert approved.startswith("правова допомога")
    fixed = free["uk"].replace("безоплатну правову допомогу", "правову допомогу (legal aid)")
    assert checks.check_terms(source, fixed, "uk", terms) == ([], [])
    # The search synonyms say "free lawyer" on the reader's side: that is not a claim.
    synonyms = "free lawyer, solicitor: legal aid, legal advice"
    assert checks.check_terms(
        synonyms, "безкоштовний адвокат, юрист: правова допомога, юридичні поради", "uk",
        terms) == ([], [])
    # Every catalogue's translations of the legal aid entries pass today.
    for code in ("uk", "lt", "hu"):
        with (ROOT / "translations" / code / "LC_MESSAGES" / "content.po").open("rb") as fp:
            catalog = read_po(fp)
        entries = [m for m in catalog if isinstance(m.id, str) and m.string
                   and terms.by_id["legal-aid"].match.search(m.id)]
        assert len(entries) >= 7, code
        for m in entries:
            assert checks.check_terms(m.id, m.string, code, terms) == ([], []), (code, m.id)


def test_a_word_forbidden_for_one_term_may_serve_another_in_the_same_entry(terms):
    # Persian حمایت is right for support, wrong for protection.
    assert checks.check_terms("Protection can be refused.", "حمایت رد شود", "fa", terms)[0]
    assert not checks.check_terms("Support and protection", "حمایت و محافظت", "fa", terms)[0]


def test_terms_inside_longer_terms_and_urls_do_not_count_on_their_own(terms):
    found = [t.id for t in terms.find(
        "Call the Modern Slavery & Exploitation Helpline, see https://x.org/support-victims")]
    assert found == ["helpline"]


def test_check_cli_flags_a_forbidden_rendering_put_back(make_app, caplog):
    app = make_app()
    lang = app.extensions["i18n"].registry.get("ti")
    directory = Path(app.config["TRANSLATIONS_DIR"])
    path = pofiles.po_path(directory, lang, "content")
    catalog = pofiles.read_catalog(path, lang)
    message = next(m for m in catalog if m.id and m.context == "page:first-responders"
                   and "Salvation Army" in m.id and "Salvation Army (" in m.string)
    message.string = message.string.replace("Salvation Army (ክርስትያናዊ ግብረ-ሰናይ ትካል)",
                                            "ሰራዊት ድሕነት (Salvation Army)")
    pofiles.write_catalog(catalog, path, "content", kept=pofiles.kept_headers(path))
    pofiles.compile_catalog(directory, lang, "content")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["i18n", "check", "ti"])
    assert result.exit_code == 1
    assert "forbidden rendering 'ሰራዊት ድሕነት'" in result.output
    status = json.loads(runner.invoke(args=["i18n", "status", "--json"]).output)
    assert status["ti"]["content"]["failing"] == 1
    # And a reader gets the English paragraph, not the army.
    app.extensions["i18n"].catalogs.reload_now()
    catalog = app.extensions["i18n"].catalog(lang, "content")
    assert catalog.lookup(message.context, message.id) is None


def test_catalogues_use_no_forbidden_rendering_and_status_counts_warnings(runner):
    result = runner.invoke(args=["i18n", "check"])
    assert result.exit_code == 0, result.output[-2000:]
    data = json.loads(runner.invoke(args=["i18n", "status", "--json"]).output)
    assert all("term_warnings" in c for d in data.values() for c in d.values())


def test_every_entry_names_its_terms_for_translators():
    for domain in ("content", "messages"):
        with (ROOT / "translations" / f"{domain}.pot").open("rb") as fp:
            template = read_po(fp)
        for message in template:
            source = message.id[0] if isinstance(message.id, tuple) else message.id
            if message.id and "Salvation Army" in source:
                assert "Term: Salvation Army (see the termbase)" in message.auto_comments


def test_translators_see_the_termbase(client):
    body = client.get("/translators/terms").get_data(as_text=True)
    assert 'id="term-salvation-army"' in body and "ሰራዊት ድሕነት" in body
    assert 'href="/translators/terms"' in client.get("/translators/").get_data(as_text=True)


@pytest.mark.parametrize("code, text", [
    ("zh_Hans", "一个地方委员会说，从2026年2月13日起有变化。"),
    ("vi", "Một ban địa phương cho biết có thay đổi từ ngày 13 tháng 2, 2026."),
    ("hi", "एक स्थानीय बोर्ड ने बताया कि १३ फ़रवरी २०२६ से बदलाव हुआ है।"),
])
def test_a_date_in_the_locales_own_form_passes_the_numbers_check(code, text):
    source = "A local board reported a change from 13 February 2026."
    assert checks.check_text(source, text, locale=Locale.parse(code)) == []


def test_a_different_date_still_fails_the_numbers_check():
    source = "A local board reported a change from 13 February 2026."
    zh = Locale.parse("zh_Hans")
    assert checks.check_text(source, "从2026年3月13日起", locale=zh)
    assert checks.check_text(source, "从2026年2月14日起", locale=zh)
    assert checks.check_text("Call 3 times in March 2024.", "2024年3月打电话。", locale=zh)


def test_a_date_inside_a_link_target_is_not_a_date_in_the_text():
    """A URL holding the date in the locale's short form (…/2025-11-03/…) must not be
    taken for the text's date: the date written out beside it is still the same date."""
    source = ("Source: [House of Lords debate, 3 November 2025]"
              "(https://example.org/debate/2025-11-03/lords).")
    text = ("سرچینه: [د House of Lords بحث، 3 نومبر 2025]"
            "(https://example.org/debate/2025-11-03/lords).")
    assert checks.check_text(source, text, markdown=True, locale=Locale.parse("ps")) == []
    assert checks.check_text(source, text.replace("2025]", "2024]"), markdown=True,
                             locale=Locale.parse("ps"))
