"""The Open Referral UK v3 API: every response validates against the profile's own
schemas (vendored in tests/data/openreferral-uk-v3, CC BY-SA 4.0), formats included;
ids are UUIDs that stay the same between builds; only these JSON responses are open to
other sites."""

from __future__ import annotations

import copy
import json
import re
import uuid
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from portal import create_app
from portal.openreferral import NAMESPACE, uid

SCHEMAS = Path(__file__).parent / "data" / "openreferral-uk-v3"
PUBLISHED = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
LOCAL = {"compiled/service.json": "service.json",
         "compiled/service_list.json": "service_list.json",
         "taxonomy.json": "taxonomy.json", "taxonomy_term.json": "taxonomy_term.json"}
OPENAPI = json.loads((SCHEMAS / "openapi.json").read_text(encoding="utf-8"))
PAGE_FIELDS = set(OPENAPI["components"]["schemas"]["Page"]["properties"])


def _registry() -> Registry:
    resources = []
    for published, local in LOCAL.items():
        contents = json.loads((SCHEMAS / local).read_text(encoding="utf-8"))
        resources.append((PUBLISHED + published,
                          Resource.from_contents(contents, default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def _inline_components(node):
    """The OpenAPI document's own ``#/components/...`` refs, replaced by their target."""
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/components/"):
            target = OPENAPI
            for part in ref[2:].split("/"):
                target = target[part]
            return _inline_components(copy.deepcopy(target))
        return {key: _inline_components(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline_components(item) for item in node]
    return node


def validator(api_path: str) -> Draft202012Validator:
    """The schema of a 200 response of ``api_path`` as the profile's OpenAPI gives it."""
    operation = OPENAPI["paths"][api_path]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    return Draft202012Validator(_inline_components(schema), registry=REGISTRY,
                                format_checker=FormatChecker())


def assert_valid(api_path: str, data):
    errors = sorted(validator(api_path).iter_errors(data), key=lambda e: list(e.path))
    assert not errors, "\n".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:20])


@pytest.fixture(scope="module")
def api(app):
    return app.test_client()


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.get_data(as_text=True)[:200])
    assert response.mimetype == "application/json", url
    return response.get_json()


def _all_pages(client, url, per_page=7):
    first = _get(client, f"{url}?per_page={per_page}")
    pages = [first]
    for number in range(2, first["total_pages"] + 1):
        pages.append(_get(client, f"{url}?per_page={per_page}&page={number}"))
    return pages


def test_the_checker_really_checks():
    """A service missing what the profile requires, with a bad id, fails."""
    bad = {"id": "modern-slavery-helpline", "name": "X", "status": "open",
           "organization": {"name": "Unseen"}, "url": "not a url"}
    found = {e.validator for e in validator("/services/{id}").iter_errors(bad)}
    assert {"format", "enum", "required"} <= found


def test_meta(api):
    data = _get(api, "/openreferral/")
    assert_valid("/", data)
    assert data["version"].startswith("3.")


def test_every_page_of_services_validates(api, app):
    pages = _all_pages(api, "/openreferral/services")
    for page in pages:
        assert_valid("/services", page)
        assert PAGE_FIELDS <= set(page), PAGE_FIELDS - set(page)
    ids = [item["id"] for page in pages for item in page["contents"]]
    assert len(ids) == len(set(ids)) == len(app.extensions["content"].services)
    assert pages[0]["first_page"] and pages[-1]["last_page"]
    assert pages[0]["total_items"] == len(ids)
    assert sum(page["size"] for page in pages) == len(ids)


def test_every_service_validates_fully_nested(api, app):
    store = app.extensions["content"]
    for sid, service in store.services.items():
        data = _get(api, f"/openreferral/services/{uid('service', sid)}")
        assert_valid("/services/{id}", data)
        assert data["id"] == uid("service", sid)
        assert data["organization"]["id"] == data["organization_id"]
        assert data["organization"]["description"]
        assert [p["number"] for p in data["phones"]] == [p.number for p in service.phones]
        assert all(p["number"] in store.phonebook for p in data["phones"])
        # Assured only once a person has confirmed the record with the service.
        assert data.get("assured_date") == service.checked_on
        assert data["service_areas"] and data["attributes"]
        nested = re.findall(r'"id": "([^"]+)"', json.dumps(data))
        for value in nested:
            assert str(uuid.UUID(value)) == value
        # The same term may appear twice (a need and who it is for), a record id once.
        record_ids = [data["id"]] + [item["id"] for key in (
            "phones", "schedules", "service_areas", "languages", "cost_options",
            "attributes") for item in data[key]]
        assert len(record_ids) == len(set(record_ids)), sid


def test_what_the_records_hold_is_mapped(api):
    helpline = _get(api, f"/openreferral/services/{uid('service', 'modern-slavery-helpline')}")
    assert helpline["schedules"][0]["description"].startswith("24 hours a day")
    assert helpline["cost_options"][0]["amount"] == 0
    assert "interpreters" in helpline["languages"][0]["note"]
    assert helpline["phones"][0]["number"] == "08000 121 700"
    terms = {a["taxonomy_term"]["term"] for a in helpline["attributes"]}
    assert {"help-now", "report", "anyone"} <= terms


def test_taxonomies_and_terms_validate(api):
    for page in _all_pages(api, "/openreferral/taxonomies", per_page=1):
        assert_valid("/taxonomies", page)
        for item in page["contents"]:
            full = _get(api, f"/openreferral/taxonomies/{item['id']}")
            assert_valid("/taxonomies/{id}", full)
            assert full["taxonomy_terms"]
    for page in _all_pages(api, "/openreferral/taxonomy_terms"):
        assert_valid("/taxonomy_terms", page)
        for item in page["contents"]:
            assert_valid("/taxonomy_terms/{id}",
                         _get(api, f"/openreferral/taxonomy_terms/{item['id']}"))


def test_services_filter_by_taxonomy_term(api, app):
    term = uid("taxonomy", "needs", "business")
    data = _get(api, f"/openreferral/services?taxonomy_term_id={term}&per_page=100")
    names = {item["name"] for item in data["contents"]}
    expected = {s.name for s in app.extensions["content"].services.values()
                if "business" in s.needs}
    assert names == expected and expected


def test_ids_are_stable_across_builds(tmp_path):
    """Two separate builds (another app, another PUBLIC_URL) give the same ids, and the
    namespace is pinned: changing it would move every directory's links."""
    first = create_app({"TESTING": True, "PUBLIC_URL": "https://a.example"}).test_client()
    second = create_app({"TESTING": True, "PUBLIC_URL": "https://b.example",
                         "INDEX_DIR": str(tmp_path)}).test_client()
    url = "/openreferral/services?per_page=100"
    assert _get(first, url) == _get(second, url)
    assert str(NAMESPACE) == "d452346d-2706-50e6-94c0-1234e332361e"
    assert uid("service", "childline") == str(uuid.uuid5(NAMESPACE, "service:childline"))


@pytest.mark.parametrize("query", ["page=0", "page=-1", "page=x", "page=1.5", "page=%EF%BC%91",
                                   "page=99999999999", "per_page=0", "per_page=101",
                                   "per_page=1e3"])
def test_page_parameters_are_parsed_strictly(api, query):
    response = api.get(f"/openreferral/services?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"] == 400


def test_an_empty_page_parameter_is_the_first_page(api):
    """The portal's one parser (portal/params.py) reads an empty value as none."""
    first = api.get("/openreferral/services").get_json()
    assert api.get("/openreferral/services?page=").get_json() == first


def test_a_page_past_the_end_is_empty(api):
    data = _get(api, "/openreferral/services?page=999")
    assert data["empty"] and data["contents"] == [] and data["last_page"]
    assert_valid("/services", data)


# Fixed ids that name nothing (random ones would differ between xdist workers).
NOBODY = uuid.UUID("00000000-0000-4000-8000-000000000000")


@pytest.mark.parametrize("url", ["/openreferral/services/not-a-uuid",
                                 f"/openreferral/services/{NOBODY}",
                                 f"/openreferral/taxonomies/{NOBODY}",
                                 f"/openreferral/taxonomy_terms/{NOBODY}"])
def test_unknown_ids_are_a_json_404(api, url):
    response = api.get(url)
    assert response.status_code == 404
    assert response.get_json()["error"] == 404
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_only_the_api_is_open_to_other_sites(api):
    for url in ("/openreferral/", "/openreferral/services", "/openreferral/taxonomies",
                "/openreferral/taxonomy_terms"):
        assert api.get(url).headers["Access-Control-Allow-Origin"] == "*", url
    for url in ("/en/", "/en/services", "/sitemap.xml", "/robots.txt", "/en/news.atom"):
        assert "Access-Control-Allow-Origin" not in api.get(url).headers, url


def test_old_export_address_redirects_to_the_api(api):
    response = api.get("/services.json")
    assert response.status_code == 301
    assert response.headers["Location"] == "/openreferral/services"
