"""The directory of support services: filtered lists and one page each (the export for
other directories is Open Referral, in ``openreferral.py``)."""

from __future__ import annotations

from flask import abort

from ..content import get_content
from ..delivery import send_html
from ..params import Choice, query
from ..reader import get_reader
from ..services import ELIGIBILITY, NEEDS
from .layout import render_page
from .locale import localised

bp = localised("services", __name__)


@bp.route("/services")
@query(need=Choice(tuple(NEEDS)), who=Choice(tuple(ELIGIBILITY)))
def directory(need: str, who: str):
    """All services, filtered by need and by who they help (plain GET, no script)."""
    store = get_content()
    services = sorted(store.services.values(), key=lambda s: (s.area_served != "national",
                                                               s.name.lower()))
    if need:
        services = [s for s in services if need in s.needs]
    if who:
        services = [s for s in services if s.eligibility in (who, "anyone")]

    reader = get_reader()

    def build():
        rows = []
        for service in services:
            name, summary = reader.blocks([service.name_block, service.fields["description"]])
            # A phone service's hours and cost, so the list never hides what a call costs.
            extra = [service.fields[f] for f in ("schedule", "fees_description")
                     if service.phones and f in service.fields]
            rows.append((service, name, summary, reader.blocks(extra)))
        return render_page("services/list.html", path="services", rows=rows, need=need,
                           who=who, needs=NEEDS, eligibility=ELIGIBILITY)

    return send_html((reader.lang.code, "services", need, who), build)


@bp.route("/services/<sid>")
def service(sid):
    """One service: how to reach it, and where its details come from."""
    store = get_content()
    item = store.services.get(sid[:80])
    if item is None:
        abort(404)
    return send_html(
        (get_reader().lang.code, "service", sid),
        lambda: render_page("services/one.html", path=f"services/{sid}", service=item),
    )
