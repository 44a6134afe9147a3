"""``flask content check``: what must hold before English content is published."""

from __future__ import annotations

import re
from datetime import date

from flask import current_app

from .checks import LINK_TARGET
from .dates import as_date
from .phones import looks_dialable
from .render import INTERNAL
from .seo import resolves

SOURCE_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def broken_in(app, target: str, codes: list[str]) -> list[str]:
    """The languages in which an internal link (``slug``, ``services/x``) names no page:
    it is resolved through the app's own routes, as a reader's click would be."""
    if not INTERNAL.match(target):
        return codes
    bare = target.split("#")[0]
    return [code for code in codes if not resolves(app, f"/{code}/{bare}")]


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


def check_content(store, registry, today: date | None = None, app=None):
    """Errors (which fail the check) and warnings, as sentences naming the file.

    Translated links are not checked one by one: a translation whose link targets differ
    from the English is never served, so each English target is resolved in every
    public language."""
    today = today or date.today()
    app = app or current_app._get_current_object()
    codes = [lang.code for lang in registry.public]
    verdicts: dict[str, list[str]] = {}
    errors = [f"{key}: {message}" for key, message in sorted(store.broken.items())]
    warnings: list[str] = []
    phonebook = store.phonebook
    if not phonebook.contacts:
        errors.append("content/contacts.yaml lists no numbers")
    for role in ("emergency", "helpline"):  # every page shows these two
        if sum(c.role == role for c in phonebook.contacts) != 1:
            errors.append(f"content/contacts.yaml needs exactly one number with role: {role}")

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
            if target not in verdicts:
                verdicts[target] = broken_in(app, target, codes)
            broken = verdicts[target]
            if broken:
                where = "" if broken == codes else f" in {', '.join(broken)}"
                errors.append(f"{block.context}: broken internal link ({target}){where}")

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
        # Codes are not numbers: keys pressed during a call must never become tel:.
        if contact.dial and not looks_dialable(contact.number):
            errors.append(f"contacts: {contact.number} is not a number anyone can dial "
                          "(keys to press during a call?): mark it dial: false")
    return errors, warnings
