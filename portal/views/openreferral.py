"""The Open Referral UK v3 API, under one stub (``/openreferral/``), as the profile's
OpenAPI document describes it: other directories read the portal's services here.

Only these JSON responses may be read by any site (``Access-Control-Allow-Origin: *``,
as the profile requires); every page of the portal stays same-origin.
"""

from __future__ import annotations

import re

from flask import Blueprint, abort, jsonify, redirect
from werkzeug.exceptions import HTTPException

from .. import openreferral as oruk
from ..content import get_content
from ..params import Number, Text, query

bp = Blueprint("openreferral", __name__, url_prefix="/openreferral")
legacy = Blueprint("services_export", __name__)

PER_PAGE = 50
MAX_PER_PAGE = 100
MAX_PAGE = 10_000
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@bp.record_once
def _register_legacy(state):
    state.app.register_blueprint(legacy)


# Page numbers parsed strictly (portal/params.py): ASCII digits, bounded, else a 400.
PAGED = {"page": Number(MAX_PAGE), "per_page": Number(MAX_PER_PAGE, default=PER_PAGE)}
# A taxonomy id to filter by: one that names nothing simply matches nothing.
TERM_ID = Text(max_length=64)


def _json(data, status: int = 200):
    response = jsonify(data)
    response.status_code = status
    # Shared caches may keep the directory a few minutes; browsers keep nothing.
    response.headers["Cache-Control"] = "no-store"
    if status == 200:
        response.headers["CDN-Cache-Control"] = "public, max-age=300"
    return response


@bp.after_request
@legacy.after_request
def _open_to_other_sites(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@bp.errorhandler(HTTPException)
def _json_error(exc: HTTPException):
    return _json({"error": exc.code, "message": exc.description}, exc.code or 500)


@bp.route("/")
def meta():
    return _json({"version": oruk.HSDS_VERSION, "profile": oruk.PROFILE_URL,
                  "openapi_url": oruk.OPENAPI_URL})


@bp.route("/services")
@query(**PAGED, taxonomy_term_id=TERM_ID, taxonomy_id=TERM_ID)
def services(page: int, per_page: int, taxonomy_term_id: str, taxonomy_id: str):
    number, size = page, per_page
    store = get_content()
    term_id, taxonomy_id = taxonomy_term_id, taxonomy_id
    chosen = list(oruk.services_by_uuid(store).values())
    if term_id or taxonomy_id:
        chosen = [s for s in chosen if _has_term(s, term_id, taxonomy_id)]
    contents = [oruk.service_summary(s, store) for s in chosen]
    return _json(oruk.paginate(contents, number, size))


def _has_term(service, term_id: str, taxonomy_id: str) -> bool:
    links = [("needs", need) for need in service.needs] + [("eligibility",
                                                            service.eligibility)]
    return any((not term_id or oruk.uid("taxonomy", key, code) == term_id)
               and (not taxonomy_id or oruk.uid("taxonomy", key) == taxonomy_id)
               for key, code in links)


@bp.route("/services/<sid>")
def service(sid):
    if not UUID.match(sid):
        abort(404, "no service has this id")
    store = get_content()
    found = oruk.services_by_uuid(store).get(sid)
    if found is None:
        abort(404, "no service has this id")
    return _json(oruk.service_full(found, store))


@bp.route("/taxonomies")
@query(**PAGED)
def taxonomies(page: int, per_page: int):
    return _json(oruk.paginate([oruk.taxonomy(key) for key in oruk.TAXONOMIES],
                               page, per_page))


@bp.route("/taxonomies/<tid>")
def taxonomy(tid):
    for key in oruk.TAXONOMIES:
        if oruk.uid("taxonomy", key) == tid:
            return _json(oruk.taxonomy(key, with_terms=True))
    abort(404, "no taxonomy has this id")


@bp.route("/taxonomy_terms")
@query(**PAGED)
def taxonomy_terms(page: int, per_page: int):
    return _json(oruk.paginate(oruk.all_terms(), page, per_page))


@bp.route("/taxonomy_terms/<tid>")
def taxonomy_term(tid):
    for record in oruk.all_terms():
        if record["id"] == tid:
            return _json(record)
    abort(404, "no taxonomy term has this id")


@legacy.route("/services.json")
def services_json():
    """The old export's address: the same directory, now in the profile's shape."""
    return redirect("/openreferral/services", 301)
