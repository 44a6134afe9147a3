"""For frontline workers: "point to your language", and a helpline card to hand over (or,
where carrying it could be a risk, a discreet card with the numbers only)."""

from __future__ import annotations

from flask import current_app

from ..content import get_content
from ..delivery import send_html
from ..locales import ENGLISH
from ..params import BadParameter, Language, PagePath, query
from ..qr import qr_svg
from ..reader import get_reader, use_reader
from ..seo import resolves
from ..urls import public_url
from .layout import render_page
from .locale import localised

bp = localised("languages", __name__)



def N_(message: str) -> str:
    """Marks a string for extraction; it is looked up in each language's catalogue below."""
    return message


# Shown in each language's own tile on /languages, for a worker to hold up:
# NOTE Name YOUR language here, not English (Polish: "Mówię po polsku. …").
POINT_LINE = N_("I speak English. Show me this in my language.")

# Tiles in order of how often each language is needed, from the UK-wide NRM referral
# figures in the languages brief: UK nationals (English) first; then Eritrean (Tigrinya,
# #2 in Q2-Q4 2025), Somali (#3 in Q3 and Q4 2025), Vietnamese (#3 in Q2 2025; 2,153 in
# 2024), Albanian (2,492 in 2024, falling in 2025), Sudanese and other Arabic readers
# (1,175 Sudanese in 2024). No NRM count exists for the rest, so they follow by proxy:
# Afghan and Iranian small-boat arrivals (Persian/Dari, Pashto), the helpline's 2023
# ranking (Indian #1, Romanian #2, Chinese #5), and Hertfordshire's census (Polish).
# Wave 2 follows the same proxies: Dari beside Persian and Amharic beside Tigrinya (the
# same arrivals), Sorani beside Arabic (Iraq), the South Asian languages after Hindi
# (the helpline's Indian #1; Pakistani visas), then Europe's languages, then the rest.
# Languages added later and not listed here follow in the registry's order.
REFERRAL_ORDER = ("en", "ti", "am", "so", "vi", "sq", "ar", "ckb", "fa-af", "fa", "ps",
                  "hi", "ur", "pa", "bn", "ml", "ta", "ro", "pl", "bg", "lt", "sk", "cs",
                  "hu", "uk", "ru", "zh-hans", "pt", "es", "fr", "tr", "fil")


def by_referrals(langs):
    rank = {code: i for i, code in enumerate(REFERRAL_ORDER)}
    return sorted(langs, key=lambda lang: rank.get(lang.code, len(rank)))


@bp.record_once
def _register_root(state):
    state.app.add_url_rule("/languages", "languages.point", point)


@query(page=PagePath(), with_=Language())
def point(page: str, with_):
    """Every language by its own name, each with "I speak …" in that language.

    ``?page=<path>`` (and ``?with=<lang>``) come from the header's language control: each
    tile then leads to that page in its language (beside the same partner). The page
    must be one of the site's own (resolved through the URL map), else a 400.
    """
    # Checked before the reader turns English, so a bad request is refused in the
    # language of its address.
    if page and not resolves(current_app, f"/{ENGLISH.code}/{page}"):
        raise BadParameter()
    reader = use_reader(ENGLISH)
    partner = with_ if page else None

    def build():
        items = []
        for lang in by_referrals(reader.i18n.registry.public):
            line, shown = reader.other(lang).ui(POINT_LINE)
            # An untranslated line would be English under another language's name.
            href = f"/{lang.code}/{page}"
            if partner and partner.code != lang.code:
                href += f"?with={partner.code}"
            items.append((lang, line if shown.code == lang.code else "", href))
        return render_page("pages/languages.html", path="", items=items,
                           point_line=POINT_LINE)

    return send_html(("-", "languages", page, partner.code if partner else ""), build)


@bp.route("/languages")
def point_here():
    """Content links to ``languages`` from every language: the same page, no redirect
    (a round trip costs a reader on 2G), naming /languages as its canonical address."""
    return point()


@bp.route("/card")
def card():
    """A one-page helpline card in the reader's language, to print and hand over: the
    address of the portal in that language in full, and as a QR code."""
    store = get_content()
    helpline = store.services.get("modern-slavery-helpline")
    code = get_reader().lang.code

    def build():
        address = public_url(f"/{code}/")
        return render_page("pages/card.html", path="card", helpline_service=helpline,
                           address=address, qr=qr_svg(address, address))

    return send_html((code, "card"), build)


@bp.route("/useful-numbers")
def discreet_card():
    """The card without anything that names slavery, the partnership or the site: a
    worker offers it (after asking) when carrying the full card could be a risk."""
    return send_html(
        (get_reader().lang.code, "useful-numbers"),
        lambda: render_page("pages/card.html", path="useful-numbers", discreet=True),
    )
