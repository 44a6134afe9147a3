"""For frontline workers: "point to your language", and a helpline card to hand over."""

from __future__ import annotations

from ..content import get_content
from ..delivery import send_html
from ..locales import ENGLISH
from ..reader import get_reader, use_reader
from .layout import render_page
from .locale import localised

bp = localised("languages", __name__)

POINT_LINE = "I speak English. Show me this in my language."


@bp.record_once
def _register_root(state):
    state.app.add_url_rule("/languages", "languages.point", point)


def point():
    """Every language by its own name, each with one line in that language."""
    reader = use_reader(ENGLISH)

    def build():
        items = []
        for lang in reader.i18n.registry.public:
            line, shown = reader.other(lang).ui(POINT_LINE)
            # An untranslated line would be English under another language's name.
            items.append((lang, line if shown.code == lang.code else ""))
        return render_page("pages/languages.html", path="", items=items, point_line=POINT_LINE)

    return send_html(("-", "languages"), build)


@bp.route("/languages")
def point_here():
    """Content links to ``languages`` from every language: the same page, no redirect
    (a round trip costs a reader on 2G), naming /languages as its canonical address."""
    return point()


@bp.route("/card")
def card():
    """A one-page helpline card in the reader's language, to print and hand over."""
    store = get_content()
    helpline = store.services.get("modern-slavery-helpline")
    return send_html(
        (get_reader().lang.code, "card"),
        lambda: render_page("pages/card.html", path="card", helpline_service=helpline),
    )
