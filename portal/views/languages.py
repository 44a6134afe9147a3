"""For frontline workers: "point to your language", and a helpline card to hand over (or,
where carrying it could be a risk, a discreet card with the numbers only)."""

from __future__ import annotations

from flask import g, request

from ..content import get_content
from ..content_check import internal_targets
from ..delivery import send_html
from ..i18n import get_i18n
from ..locales import ENGLISH
from ..qr import qr_svg
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
# Languages added later and not listed here follow in the registry's order.
REFERRAL_ORDER = ("en", "ti", "so", "vi", "sq", "ar", "fa", "ps", "hi", "ro", "zh-hans", "pl")


def by_referrals(langs):
    rank = {code: i for i, code in enumerate(REFERRAL_ORDER)}
    return sorted(langs, key=lambda lang: rank.get(lang.code, len(rank)))


@bp.record_once
def _register_root(state):
    state.app.add_url_rule("/languages", "languages.point", point)


def point():
    """Every language by its own name, each with "I speak …" in that language.

    ``?page=<path>`` (and ``?with=<lang>``) come from the header's language control: each
    tile then leads to that page in its language (beside the same partner). Both are
    checked against the site's own pages and languages; anything else is ignored.
    """
    g.lang = ENGLISH
    i18n = get_i18n()
    target = request.args.get("page", "")[:120]
    if target not in internal_targets(get_content()):
        target = ""
    partner = i18n.registry.get(request.args.get("with", "")[:16].lower()) if target else None

    def build():
        items = []
        for lang in by_referrals(i18n.registry.public):
            line = i18n.catalog(lang, "messages").translations.ugettext(POINT_LINE)
            # An untranslated line would be English under another language's name.
            translated = line != POINT_LINE or lang.code == ENGLISH.code
            href = f"/{lang.code}/{target}"
            if partner and partner.code != lang.code:
                href += f"?with={partner.code}"
            items.append((lang, line if translated else "", href))
        return render_page("pages/languages.html", path="", items=items)

    return send_html(("-", "languages", target, partner.code if partner else ""), build)


@bp.route("/card")
def card():
    """A one-page helpline card in the reader's language, to print and hand over: the
    address of the portal in that language in full, and as a QR code."""
    store = get_content()
    helpline = store.services.get("modern-slavery-helpline")

    def build():
        address = public_url(f"/{g.lang.code}/")
        return render_page("pages/card.html", path="card", helpline_service=helpline,
                           address=address, qr=qr_svg(address, address))

    return send_html((g.lang.code, "card"), build)


@bp.route("/useful-numbers")
def discreet_card():
    """The card without anything that names slavery, the partnership or the site: a
    worker offers it (after asking) when carrying the full card could be a risk."""
    return send_html(
        (g.lang.code, "useful-numbers"),
        lambda: render_page("pages/card.html", path="useful-numbers", discreet=True),
    )
