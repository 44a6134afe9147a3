"""``flask content check``: what must hold before English content is published."""

from __future__ import annotations

import re
from datetime import date

from .checks import LINK_TARGET
from .dates import as_date
from .render import INTERNAL

# Pages the app itself serves under /<lang>/, beside the content pages.
APP_PAGES = {"", "services", "search", "card", "languages", "news", "resources", "partners"}
SOURCE_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def internal_targets(store) -> set[str]:
    targets = set(APP_PAGES) | set(store.pages)
    targets |= {f"services/{sid}" for sid in store.services}
    targets |= {f"news/{slug}" for slug in store.news}
    return targets


def source_age_days(value: str, today: date) -> int | None:
    match = SOURCE_DATE.match(value.strip())
    if not match:
        return None
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        return (today - date(year, month, day)).days
    except ValueError:
        return None


def check_dated(where: str, value, today: date, errors: list, warnings: list):
    """Every page says when it was last checked against its sources (``checked:``)."""
    if not value:
        errors.append(f"{where}: no 'checked: YYYY-MM-DD' in the front matter")
        return
    try:
        checked = as_date(value)
    except ValueError:
        errors.append(f"{where}: checked {value!r} is not a date (YYYY-MM-DD)")
        return
    if checked > today:
        errors.append(f"{where}: checked {checked} is in the future")
    elif (today - checked).days > 365:
        warnings.append(f"{where}: last checked against its sources over 12 months ago "
                        f"({checked})")


def check_content(store, registry, today: date | None = None):
    """Errors (which fail the check) and warnings, as sentences naming the file."""
    today = today or date.today()
    errors = [f"{key}: {message}" for key, message in sorted(store.broken.items())]
    warnings: list[str] = []
    targets = internal_targets(store)
    phonebook = store.phonebook
    if not phonebook.contacts:
        errors.append("content/contacts.yaml lists no numbers")

    for kind, items in (("page", store.pages), ("news", store.news)):
        for slug, item in sorted(items.items()):
            check_dated(f"{kind}:{slug}", item.meta.get("checked"), today, errors, warnings)

    for block in store.all_blocks():
        for number in phonebook.unknown_numbers(block.text):
            errors.append(f"{block.context}: {number!r} is not in content/contacts.yaml "
                          f"({block.text[:40]!r})")
        for target in LINK_TARGET.findall(block.text):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            bare = target.split("#")[0]
            if not INTERNAL.match(target) or bare not in targets:
                errors.append(f"{block.context}: broken internal link ({target})")

    for service in store.services.values():
        where = f"service:{service.id}"
        if not service.source_url.startswith(("https://", "http://")):
            errors.append(f"{where}: no source URL")
        if not service.source_date.strip():
            errors.append(f"{where}: no source date")
        elif service.source_date.strip() != "undated":
            age = source_age_days(service.source_date, today)
            if age is None:
                errors.append(f"{where}: source_date {service.source_date!r} is not "
                              "YYYY, YYYY-MM, YYYY-MM-DD or 'undated'")
            elif age > 365:
                warnings.append(f"{where}: source is older than 12 months "
                                f"({service.source_date})")
        else:
            warnings.append(f"{where}: source is undated")
        if not service.checked_on:
            warnings.append(f"{where}: never checked with the service")
        for phone in service.phones:
            if phone.number not in phonebook:
                errors.append(f"{where}: phone {phone.number!r} is not in contacts.yaml")
    for contact in phonebook.contacts:
        if not contact.source_url:
            errors.append(f"contacts: {contact.number} has no source URL")
    return errors, warnings
