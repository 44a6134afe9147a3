"""The service directory in the shape of Open Referral UK v3 (the UK profile of HSDS 3.0).

Every record gets a UUID derived from the portal's own id (UUID5 in one fixed
namespace), so an id never changes between builds, machines or deployments, and a
directory that read a service yesterday finds the same service today.

What the records hold maps onto the profile like this:

==========================  ==========================================================
service YAML                Open Referral UK v3
==========================  ==========================================================
id                          ``id`` (UUID5 of the id) and every child's id
name, description, url,     the same names
email
organization                ``organization`` {id, name, description, website}; the
                            description lists the services it runs here (the records
                            hold no description of their own), website from
                            content/partners.yaml where the brief gives one
phones                      ``phones`` (HSDS 3.0: number, description)
schedule                    ``schedules`` [{description}]
area_served                 ``service_areas`` [{name, service_area}]
languages                   ``languages`` [{note}] (a note, not a language list: the
                            records say "through interpreters", not which languages)
is_free, fees_description   ``fees``; ``cost_options`` [{option "Free", amount 0}]
                            when is_free is true
needs, eligibility          ``attributes`` linking taxonomy terms of two taxonomies
checked_on                  ``assured_date``
==========================  ==========================================================

Text is the English source: readers get translations on the portal's own pages.
"""

from __future__ import annotations

import math
import uuid

# uuid5(NAMESPACE_URL, "https://openreferral.org/hertfordshire-modern-slavery-portal"):
# fixed here so that no configuration can change an id.
NAMESPACE = uuid.UUID("d452346d-2706-50e6-94c0-1234e332361e")
HSDS_VERSION = "3.0"
PROFILE_URL = "https://github.com/openreferral/uk-profile"
OPENAPI_URL = ("https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
               "openapi.json")

AREAS = {"national": "National", "hertfordshire": "Hertfordshire"}
# The portal's two vocabularies, as Open Referral taxonomies.
TAXONOMIES = {
    "needs": ("What a service helps with",
              "The needs the Hertfordshire modern slavery portal sorts services by."),
    "eligibility": ("Who a service is for",
                    "Who may use a service, as the Hertfordshire modern slavery portal "
                    "lists it."),
}
TERMS = {
    "needs": {
        "help-now": ("Help now", "Help straight away, including in an emergency."),
        "report": ("Report", "Report a concern about modern slavery or exploitation."),
        "support": ("Support and advice", "Support and advice for people affected."),
        "work": ("Work", "Problems at work: pay, conditions, labour exploitation."),
        "children": ("Children", "Help for or about children and young people."),
        "legal": ("Legal and immigration", "Legal rights, immigration and the National "
                  "Referral Mechanism."),
        "health": ("Health", "Physical and mental health."),
        "business": ("Businesses", "Guidance for businesses and their supply chains."),
    },
    "eligibility": {
        "anyone": ("Anyone", "Anyone may use the service."),
        "adults": ("Adults", "For adults."),
        "children": ("Children and young people", "For children and young people."),
        "professionals": ("Professionals", "For professionals."),
        "businesses": ("Businesses", "For businesses."),
    },
}


def uid(*parts: str) -> str:
    """The stable UUID of one record: ``uid("service", "childline")``."""
    return str(uuid.uuid5(NAMESPACE, ":".join(parts)))


def _text(service, name: str) -> str | None:
    block = service.fields.get(name)
    return block.text if block is not None else None


def _drop_empty(record: dict) -> dict:
    # The schemas want a string or no field at all, never null.
    return {key: value for key, value in record.items() if value not in (None, "")}


def taxonomy(key: str, with_terms: bool = False) -> dict:
    name, description = TAXONOMIES[key]
    record = {"id": uid("taxonomy", key), "name": name, "description": description}
    if with_terms:
        record["taxonomy_terms"] = [term(key, code) for code in TERMS[key]]
    return record


def term(key: str, code: str) -> dict:
    name, description = TERMS[key][code]
    return {"id": uid("taxonomy", key, code), "name": name, "description": description,
            "taxonomy": TAXONOMIES[key][0], "taxonomy_id": uid("taxonomy", key),
            "term": code}


def all_terms() -> list[dict]:
    return [term(key, code) for key in TERMS for code in TERMS[key]]


def organization(name: str, services, partners) -> dict:
    runs = sorted(s.name for s in services if s.organization == name)
    website = next((p.get("url") for p in partners if p.get("name") == name), None)
    return _drop_empty({
        "id": uid("organization", name),
        "name": name,
        "description": f"Runs: {'; '.join(runs)}." if runs else name,
        "website": website,
    })


def _organization_name(service) -> str:
    return service.organization or service.name


def service_summary(service, store) -> dict:
    """One item of ``/services``: the one-to-one fields, and its organisation."""
    org = organization(_organization_name(service), store.services.values(), store.partners)
    return _drop_empty({
        "id": uid("service", service.id),
        "organization_id": org["id"],
        "name": service.name,
        "description": _text(service, "description"),
        "url": service.url,
        "email": service.email,
        "status": "active",
        "fees": _text(service, "fees_description"),
        "assured_date": service.checked_on,
        "organization": org,
    })


def service_full(service, store) -> dict:
    """``/services/{id}``: the service with everything that hangs off it."""
    sid = uid("service", service.id)
    record = service_summary(service, store)
    record["phones"] = [
        _drop_empty({"id": uid("service", service.id, "phone", phone.number),
                     "service_id": sid, "number": phone.number,
                     "description": phone.description.text if phone.description else None})
        for phone in service.phones
    ]
    schedule = _text(service, "schedule")
    record["schedules"] = [{"id": uid("service", service.id, "schedule"), "service_id": sid,
                            "description": schedule}] if schedule else []
    area = AREAS[service.area_served]
    record["service_areas"] = [{"id": uid("service", service.id, "area"), "service_id": sid,
                                "name": area, "service_area": area}]
    languages = _text(service, "languages")
    record["languages"] = [{"id": uid("service", service.id, "languages"),
                            "service_id": sid, "note": languages}] if languages else []
    record["cost_options"] = [_drop_empty({
        "id": uid("service", service.id, "cost"), "service_id": sid, "option": "Free",
        "amount": 0, "amount_description": _text(service, "fees_description")})
    ] if service.is_free is True else []
    links = [("needs", need) for need in service.needs]
    links.append(("eligibility", service.eligibility))
    record["attributes"] = [
        {"id": uid("service", service.id, key, code), "link_id": sid,
         "link_type": key, "taxonomy_term_id": uid("taxonomy", key, code),
         "taxonomy_term": term(key, code)}
        for key, code in links
    ]
    return record


def services_by_uuid(store) -> dict[str, object]:
    return {uid("service", sid): service for sid, service in sorted(store.services.items())}


def paginate(items: list, number: int, size: int) -> dict:
    """The profile's page object around one page of ``items``."""
    total_pages = max(1, math.ceil(len(items) / size))
    chunk = items[(number - 1) * size: number * size]
    return {
        "total_items": len(items),
        "total_pages": total_pages,
        "page_number": number,
        "size": len(chunk),
        "first_page": number == 1,
        "last_page": number >= total_pages,
        "empty": not chunk,
        "contents": chunk,
    }
