"""Negotiation, aliases and the unknown-language page."""

import gettext

import pytest
from babel import Locale

from portal.locales import SERVED, WAVE1, WAVE2, Registry, parse_accept_language

REG = Registry()


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh-hans"),
        ("zh-SG", "zh-hans"),
        ("zh-TW", "zh-hans"),
        ("zh-Hans-CN", "zh-hans"),
        ("ar-SD,ar;q=0.9", "ar"),
        ("fa-IR", "fa"),
        ("fa-AF", "fa-af"),
        ("fa-AF,fa;q=0.9", "fa-af"),
        ("prs-AF", "fa-af"),
        ("prs", "fa-af"),
        ("fa-Arab-AF", "fa-af"),
        ("fa-IR,fa;q=0.9", "fa"),
        ("fa", "fa"),
        ("ckb-IQ", "ckb"),
        ("ckb", "ckb"),
        ("ku-Arab-IQ", "ckb"),
        ("am-ET", "am"),
        ("ur-PK", "ur"),
        ("pa-IN", "pa"),
        ("pa-Guru-IN", "pa"),
        ("pa-Arab-PK", "ur"),
        ("pa-PK", "ur"),
        ("bn-BD", "bn"),
        ("ml-IN", "ml"),
        ("ta-LK", "ta"),
        ("uk-UA", "uk"),
        ("ru-RU", "ru"),
        ("ru-KZ", "ru"),
        ("bg-BG", "bg"),
        ("lt-LT", "lt"),
        ("sk-SK", "sk"),
        ("cs-CZ", "cs"),
        ("hu-HU", "hu"),
        ("pt-BR", "pt"),
        ("pt-PT", "pt"),
        ("pt-AO", "pt"),
        ("es-419", "es"),
        ("es-MX,es;q=0.9", "es"),
        ("fr-CD", "fr"),
        ("tr-TR", "tr"),
        ("tl", "fil"),
        ("fil-PH", "fil"),
        ("ps-AF", "ps"),
        ("ti-ER", "ti"),
        ("sq-AL", "sq"),
        ("vi-VN,vi;q=0.9", "vi"),
        ("ro-RO", "ro"),
        ("pl-PL,pl;q=0.9,en-US;q=0.8", "pl"),
        ("hi-IN", "hi"),
        ("so-SO", "so"),
        ("en-GB,en;q=0.9", "en"),
        ("de-DE,de;q=0.9", "en"),
        ("de-DE,ar;q=0.5", "ar"),
        ("en;q=0.1,ar;q=0.9", "ar"),
        ("ar;q=0,vi", "vi"),
        ("*", "en"),
        ("", "en"),
        ("x" * 5000, "en"),
        ("en-GB;q=abc,ar", "ar"),
        (",,,;;;===", "en"),
    ],
)
def test_negotiation_lands_on_the_right_language(header, code):
    assert REG.negotiate(header).code == code


def test_accept_language_is_capped_before_parsing():
    header = ",".join(["xx"] * 1000) + ",ar"
    assert parse_accept_language(header)[-1] != "ar"
    assert REG.negotiate(header).code == "en"


def test_every_wave1_language_has_name_direction_and_plural_data():
    assert [lang.code for lang in WAVE1] == [
        "en", "sq", "vi", "ti", "ar", "so", "fa", "ps", "ro", "pl", "zh-hans", "hi"]
    assert {lang.code for lang in WAVE1 if lang.dir == "rtl"} == {"ar", "fa", "ps"}
    for lang in WAVE1:
        assert lang.endonym and lang.bcp47
    assert REG.get("zh-hans").bcp47 == "zh-Hans"


def test_wave2_adds_twenty_languages_with_their_names_directions_and_codes():
    assert [lang.code for lang in WAVE2] == [
        "fa-af", "ckb", "am", "ur", "bn", "pa", "ml", "ta", "uk", "ru", "bg", "lt", "sk",
        "cs", "hu", "pt", "es", "fr", "tr", "fil"]
    assert len(SERVED) == 32 and len({lang.code for lang in SERVED}) == 32
    assert {lang.code for lang in SERVED if lang.dir == "rtl"} == {
        "ar", "fa", "ps", "fa-af", "ckb", "ur"}
    dari = REG.get("fa-af")
    assert (dari.babel, dari.bcp47, dari.endonym) == ("fa_AF", "fa-AF", "دری")
    assert REG.get("fa").bcp47 == "fa" and REG.get("fa").endonym == "فارسی"
    # Sorani is ckb, never ku (Kurmanji, Latin script, which the portal does not serve).
    assert REG.get("ckb").bcp47 == "ckb" and REG.match_tag("ku") is None
    assert REG.get("fil").babel == "fil" and REG.resolve("tl").code == "fil"
    for lang in WAVE2:
        assert lang.endonym and lang.english_name and lang.locale.language


def test_aliases_of_one_language_never_lead_to_another():
    seen = {}
    for lang in SERVED:
        for alias in (lang.code, *lang.aliases):
            assert seen.setdefault(alias, lang.code) == lang.code, alias


@pytest.mark.parametrize("lang", SERVED, ids=lambda lang: lang.code)
def test_plural_forms_follow_the_cldr_rule(lang):
    """The catalogue's gettext rule (the pinned Babel's, or locales.GETTEXT_PLURALS where
    Babel's contradicts CLDR) never splits numbers that
    CLDR puts in one category: each gettext form serves whole CLDR categories."""
    form = gettext.c2py(lang.plural_expr)
    cldr = Locale.parse(lang.babel).plural_form
    forms_of = {}
    for n in range(0, 1001):
        forms_of.setdefault(cldr(n), set()).add(form(n))
    assert all(len(forms) == 1 for forms in forms_of.values()), forms_of
    assert {f for forms in forms_of.values() for f in forms} == set(range(lang.plural_forms))


def test_root_negotiates_with_vary_and_no_cookie(client):
    response = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/zh-hans/"
    assert "Accept-Language" in response.headers["Vary"]
    assert "Set-Cookie" not in response.headers


def test_root_without_header_goes_to_english(client):
    assert client.get("/").headers["Location"] == "/en/"


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/zh-Hans/", "/zh-hans/"),
        ("/zh-CN/get-help-now", "/zh-hans/get-help-now"),
        ("/zh/your-rights", "/zh-hans/your-rights"),
        ("/EN/", "/en/"),
        ("/en-GB/get-help-now", "/en/get-help-now"),
        ("/fa-IR/", "/fa/"),
        ("/AR/services", "/ar/services"),
        ("/zh-SG/get-help-now?with=en", "/zh-hans/get-help-now?with=en"),
    ],
)
def test_aliases_answer_301_to_the_canonical_url(client, path, target):
    response = client.get(path)
    assert response.status_code == 301
    assert response.headers["Location"] == target


def test_alias_redirect_cannot_leave_the_site(client):
    response = client.get("/EN//evil.example/x", headers={"Host": "evil.example"})
    assert response.status_code in (301, 404)
    if response.status_code == 301:
        assert response.headers["Location"].startswith("/en/")
        assert not response.headers["Location"].startswith("//")


def test_unknown_language_offers_every_language_by_its_own_name(client, app):
    response = client.get("/xx/get-help-now")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    for lang in app.extensions["i18n"].registry.public:
        assert f'href="/{lang.code}/"' in body
        assert lang.endonym in body


def test_pseudo_locales_are_never_listed_publicly(client):
    body = client.get("/en/").get_data(as_text=True)
    assert "/en-xa/" not in body and "/ar-xb/" not in body
    assert client.get("/languages").get_data(as_text=True).count("/en-xa/") == 0


def test_pseudo_locales_are_off_unless_configured(make_app):
    app = make_app()
    assert app.test_client().get("/en-xa/").status_code == 404


def test_subsystems_set_up_out_of_order_fail_clearly():
    """The set-up order lives in create_app (SETUP_ORDER); using a subsystem before
    it is set up names it, instead of a bare KeyError deep in a request."""
    from flask import Flask

    from portal import SETUP_ORDER, i18n, search, security
    from portal.config import defaults
    from portal.extensions import NotSetUp

    assert SETUP_ORDER.index("content") < SETUP_ORDER.index("i18n") < SETUP_ORDER.index(
        "search")
    assert SETUP_ORDER.index("delivery") < SETUP_ORDER.index("security")
    for module, missing in ((i18n, "content"), (search, "i18n"), (security, "assets")):
        bare = Flask(__name__)
        bare.config.update(defaults())
        with pytest.raises(NotSetUp, match=missing):
            module.init_app(bare)
