"""Negotiation, aliases and the unknown-language page."""

import pytest

from portal.locales import WAVE1, Registry, parse_accept_language

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
        ("prs-AF", "fa"),
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
