"""The directory of support services: one YAML record per service, loaded into blocks.

Field names follow Open Referral UK (HSDS) where one exists; ``source_date`` and
``checked_on`` say how fresh each record is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .blocks import Block, field_block
from .pages import ContentError

NEEDS = ("help-now", "report", "support", "work", "children", "legal", "health", "business")
ELIGIBILITY = ("anyone", "adults", "children", "professionals", "businesses")
AREAS = ("national", "hertfordshire")
# Fields a reader sees in their language, in the order a service page shows them.
TRANSLATED = ("name", "description", "eligibility_description", "schedule", "languages",
              "fees_description")


@dataclass
class Phone:
    number: str
    description: Block | None = None


@dataclass
class Service:
    id: str
    name: str
    organization: str
    needs: tuple[str, ...]
    eligibility: str
    area_served: str
    url: str | None
    email: str | None
    is_free: bool | None
    source_url: str
    source_date: str
    checked_on: str | None
    phones: list[Phone] = field(default_factory=list)
    fields: dict[str, Block] = field(default_factory=dict)
    path: Path | None = None

    @property
    def context(self) -> str:
        return f"service:{self.id}"

    @property
    def blocks(self) -> list[Block]:
        blocks = [self.fields[name] for name in TRANSLATED if name in self.fields]
        blocks += [p.description for p in self.phones if p.description]
        return blocks

    @property
    def name_block(self) -> Block:
        return self.fields["name"]



def parse_service(data: dict, sid: str, where: str) -> Service:
    if not isinstance(data, dict):
        raise ContentError(f"{where}: a service record must be a mapping")
    for key in ("name", "description"):
        if not str(data.get(key) or "").strip():
            raise ContentError(f"{where}: {key} is missing")
    needs = tuple(data.get("needs") or ())
    unknown = [n for n in needs if n not in NEEDS]
    if unknown or not needs:
        raise ContentError(f"{where}: needs must be one or more of {', '.join(NEEDS)}")
    eligibility = str(data.get("eligibility") or "anyone")
    if eligibility not in ELIGIBILITY:
        raise ContentError(f"{where}: eligibility must be one of {', '.join(ELIGIBILITY)}")
    area = str(data.get("area_served") or "national")
    if area not in AREAS:
        raise ContentError(f"{where}: area_served must be one of {', '.join(AREAS)}")
    context = f"service:{sid}"
    # Names are translated too: many describe the service ("Report a concern about an
    # adult"); translators keep official organisation names in English.
    fields = {
        name: field_block(str(data[name]), context, name, kind="title" if name == "name"
                          else "field")
        for name in TRANSLATED
        if str(data.get(name) or "").strip()
    }
    phones = []
    for index, item in enumerate(data.get("phones") or ()):
        if not isinstance(item, dict) or not item.get("number"):
            raise ContentError(f"{where}: phones[{index}] needs a number")
        description = None
        if str(item.get("description") or "").strip():
            description = field_block(
                str(item["description"]), context, f"phone:{index}"
            )
        phones.append(Phone(str(item["number"]), description))
    checked = data.get("checked_on")
    return Service(
        id=sid,
        name=str(data["name"]),
        organization=str(data.get("organization") or ""),
        needs=needs,
        eligibility=eligibility,
        area_served=area,
        url=data.get("url") or None,
        email=data.get("email") or None,
        is_free=data.get("is_free"),
        source_url=str(data.get("source_url") or ""),
        source_date=str(data.get("source_date") or ""),
        checked_on=str(checked) if checked else None,
        phones=phones,
        fields=fields,
    )


def load_service(path: Path) -> Service:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ContentError(f"{path}: cannot be read ({exc.__class__.__name__})") from exc
    service = parse_service(data, path.stem, str(path))
    service.path = path
    return service
