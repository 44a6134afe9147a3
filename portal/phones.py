"""The verified contacts, and the rule that turns a listed number into a ``tel:`` link.

Numbers are written in content exactly as they are displayed; only numbers listed in
``content/contacts.yaml`` are ever linked, so a typo can never become a dialable link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from markupsafe import Markup

# Something a reader would take for a UK phone number: a leading 0 (or +44) and at
# least nine digits in groups. Short codes (999, 101) are only known from the list.
PHONE_LIKE = re.compile(r"(?<![\w+])(?:\+44\s?|0)\d(?:[ \u00a0-]?\d){8,11}(?!\d)")


@dataclass(frozen=True)
class Contact:
    number: str
    owner: str
    hours: str = ""
    source_url: str = ""
    source_date: str = ""
    dial: bool = True  # False for keys pressed during a call ("55"): known, never linked
    role: str = ""  # "emergency", "helpline": the numbers every page shows

    @property
    def tel(self) -> str:
        return tel_uri(self.number)


# What can be dialled in the UK besides a full number: 999, 112, 1xx short codes
# (101, 111), 116 xxx helplines, and the textphone prefixes 18000 and 18001 + number.
SHORT_CODE = re.compile(r"^(?:999|112|1\d\d|116 ?\d{3}|18000|18001 \S.*)$")


def looks_dialable(number: str) -> bool:
    """A UK number or a known short code: "55" (keys to press) is neither."""
    number = number.strip()
    digits = re.sub(r"[ \u00a0-]", "", number)
    if re.fullmatch(r"0\d{7,10}|\+44\d{9,10}", digits):  # 0800 1111 has 8 digits
        return True
    return bool(SHORT_CODE.match(number))


def tel_uri(number: str) -> str:
    """``tel:`` form: UK numbers international, short codes as they are."""
    digits = re.sub(r"\D", "", number)
    if number.strip().startswith("+"):
        return "tel:+" + digits
    if digits.startswith("0") and len(digits) >= 10:
        return "tel:+44" + digits[1:]
    return "tel:" + digits


def load_contacts(path: Path) -> list[Contact]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    contacts = []
    for item in data:
        contacts.append(
            Contact(
                number=str(item["number"]),
                owner=str(item.get("owner", "")),
                hours=str(item.get("hours") or ""),
                source_url=str(item.get("source_url") or ""),
                source_date=str(item.get("source_date") or ""),
                dial=item.get("dial", True) is not False,
                role=str(item.get("role") or ""),
            )
        )
    return contacts


class PhoneBook:
    """The listed numbers and a fast matcher for them in rendered text."""

    def __init__(self, contacts: list[Contact]):
        self.contacts = contacts
        self.by_number = {c.number: c for c in contacts}
        numbers = sorted((c.number for c in contacts if c.dial), key=len, reverse=True)
        if numbers:
            alternatives = "|".join(re.escape(n) for n in numbers)
            self._pattern = re.compile(rf"(?<![\d+])(?:{alternatives})(?![\d])")
        else:
            self._pattern = None

    def role(self, role: str) -> str:
        """The number listed with this role (``role: helpline`` in contacts.yaml)."""
        for contact in self.contacts:
            if contact.role == role:
                return contact.number
        raise LookupError(f"no contact with role {role!r} in contacts.yaml")

    def __contains__(self, number: str) -> bool:
        return number in self.by_number

    def unknown_numbers(self, text: str) -> list[str]:
        """Phone-like numbers in a text that are not in the contacts file."""
        known_spans = []
        if self._pattern:
            known_spans = [m.span() for m in self._pattern.finditer(text)]
        unknown = []
        for match in PHONE_LIKE.finditer(text):
            start, end = match.span()
            if not any(s <= start and end <= e for s, e in known_spans):
                unknown.append(match.group(0))
        return unknown

    def dialable(self, number: str) -> bool:
        """The one rule for ``tel:``: listed, and not keys pressed during a call."""
        contact = self.by_number.get(number)
        return contact is not None and contact.dial

    def link(self, number: str) -> Markup:
        """One number as a ``tel:`` link, isolated so right-to-left text keeps its order.
        Anything ``dialable`` refuses is shown as isolated text, never linked."""
        if not self.dialable(number):
            return Markup('<b class="keys" dir="ltr">{}</b>').format(number)
        return Markup('<a class="tel" href="{}" dir="ltr">{}</a>').format(
            tel_uri(number), number
        )

    def linkify_html(self, html: str) -> str:
        """Link every listed number in the text of an HTML fragment (never inside a link)."""
        if not self._pattern:
            return html
        out = []
        in_link = 0
        for piece in re.split(r"(<[^>]*>)", html):
            if piece.startswith("<"):
                lowered = piece[:3].lower()
                if lowered.startswith("<a") and (len(piece) < 3 or piece[2] in " >"):
                    in_link += 1
                elif piece.lower().startswith("</a"):
                    in_link = max(0, in_link - 1)
                out.append(piece)
            elif in_link or not piece:
                out.append(piece)
            else:
                out.append(self._pattern.sub(lambda m: str(self.link(m.group(0))), piece))
        return "".join(out)
