"""The directory of support services: filtered lists, one page each, and an export."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, jsonify, request

from ..content import get_content
from ..delivery import send_html
from ..services import ELIGIBILITY, NEEDS
from .layout import page_blocks, render_page
from .locale import localised

bp = localised("services", __name__)
export = Blueprint("services_export", __name__)


@bp.record_once
def _register_export(state):
    state.app.register_blueprint(export)


def _filter_value(name: str, allowed) -> str:
    value = request.args.get(name, "")[:32]
    return value if value in allowed else ""


@bp.route("/services")
def directory():
    """All services, filtered by need and by who they help (plain GET, no script)."""
    store = get_content()
    need = _filter_value("need", NEEDS)
    who = _filter_value("who", ELIGIBILITY)
    services = sorted(store.services.values(), key=lambda s: (s.area_served != "national",
                                                               s.name.lower()))
    if need:
        services = [s for s in services if need in s.needs]
    if who:
        services = [s for s in services if s.eligibility in (who, "anyone")]

    def build():
        rows = []
        for service in services:
            name, summary = page_blocks([service.name_block, service.fields["description"]],
                                        g.lang)
            # A phone service's hours and cost, so the list never hides what a call costs.
            extra = [service.fields[f] for f in ("schedule", "fees_description")
                     if service.phones and f in service.fields]
            rows.append((service, name, summary, page_blocks(extra, g.lang)))
        return render_page("services/list.html", path="services", rows=rows, need=need,
                           who=who, needs=NEEDS, eligibility=ELIGIBILITY)

    return send_html((g.lang.code, "services", need, who), build)


@bp.route("/services/<sid>")
def service(sid):
    """One service: how to reach it, and where its details come from."""
    store = get_content()
    item = store.services.get(sid[:80])
    if item is None:
        abort(404)
    return send_html(
        (g.lang.code, "service", sid),
        lambda: render_page("services/one.html", path=f"services/{sid}", service=item),
    )


@export.route("/services.json")
def services_json():
    """The directory in the shape of Open Referral UK (HSDS)."""
    store = get_content()
    data = [hsds(s) for s in sorted(store.services.values(), key=lambda s: s.id)]
    response = jsonify({"services": data, "count": len(data)})
    response.headers["Cache-Control"] = "no-store"
    response.headers["CDN-Cache-Control"] = "public, max-age=300"
    return response


def hsds(service) -> dict:
    fields = service.fields
    base = current_app.config.get("PUBLIC_URL", "")
    return {
        "id": service.id,
        "name": service.name,
        "organization": {"name": service.organization},
        "description": fields["description"].text if "description" in fields else "",
        "url": service.url,
        "email": service.email,
        "status": "active",
        "fees": fields["fees_description"].text if "fees_description" in fields else None,
        "is_free": service.is_free,
        "eligibilitys": [{"eligibility": service.eligibility}],
        "eligibility_description": fields["eligibility_description"].text
        if "eligibility_description" in fields else None,
        "service_areas": [{"service_area": service.area_served}],
        "languages": [{"note": fields["languages"].text}] if "languages" in fields else [],
        "regular_schedules": [{"description": fields["schedule"].text}]
        if "schedule" in fields else [],
        "phones": [
            {"number": p.number,
             "description": p.description.text if p.description else None}
            for p in service.phones
        ],
        "taxonomys": [{"id": need, "vocabulary": "portal-needs"} for need in service.needs],
        "source_url": service.source_url,
        "source_date": service.source_date,
        "assured_date": service.checked_on,
        "checked_on": service.checked_on,
        "web_page": f"{base}/en/services/{service.id}",
    }
