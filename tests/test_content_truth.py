"""What the English content may and may not say (issue 16, "Done when").

Each rule reads the repository's content, block by block, so a promise is judged with the
words next to it: an over-promise is as harmful as a wrong number.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from portal.content import ContentStore

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


def blocks(store: ContentStore):
    """Every English block (pages, services, news) as (context, text)."""
    return [(block.context, block.text) for block in store.all_blocks()]


@pytest.fixture(scope="module")
def store():
    return ContentStore(CONTENT)


# Promises that must carry their condition in the same block: (promise, the words of the
# condition, any one of which must be beside it).
CONDITIONAL = [
    (r"cannot be removed|protected from removal", (r"public order",)),
    # Support: the disqualifications; work: which rights hold for everyone, and that the
    # rest depend on the person's situation.
    (r"whatever (?:your|their) immigration status",
     # ... or the statement is scoped to what holds for everyone ("Some NHS care is free
     # for everyone, whatever their immigration status:" then the list of it).
     (r"public order", r"depend", r"Some rights (?:at work )?are for every",
      r"Some NHS care is free for every")),
    (r"cannot refer yourself", (r"can refer you", r"ask")),
    (r"tell (?:your|their) lawyer", (r"support worker", r"if you have one", r"without a lawyer")),
    (r"Children's Services", (r"not a legal duty",)),  # only where a duty is claimed
]
# Phrases that must never appear: the promise is wrong whatever stands beside it.
FORBIDDEN = [
    r"does not harm [^.]*right to stay",
    r"not honest about being a victim",
    r"always stay anonymous",
    r"had not started when this page was written",
    r"0800 432 0804",
    r"5,598",
]


def over_promises(items) -> list[str]:
    found = []
    for context, text in items:
        for pattern in FORBIDDEN:
            if re.search(pattern, text, re.I):
                found.append(f"{context}: {pattern!r}")
        for promise, conditions in CONDITIONAL:
            if not re.search(promise, text, re.I):
                continue
            if promise == "Children's Services" and not re.search(r"\bduty\b", text):
                continue
            if not any(re.search(c, text, re.I) for c in conditions):
                found.append(f"{context}: {promise!r} without {conditions}")
    return found


def stale_facts(items) -> list[str]:
    found = []
    for context, text in items:
        if re.search(r"\bGLAA\b|Gangmasters and Labour Abuse", text) and \
                "Fair Work Agency" not in text:
            found.append(f"{context}: GLAA without the Fair Work Agency")
        if "Duty to Notify" in text and re.search(r"\b2024\b", text) and "2025" not in text:
            found.append(f"{context}: a 2024 Duty to Notify figure as the latest")
        if re.search(r"\bin 2024\b[^.]*largest group", text, re.I):
            found.append(f"{context}: 2024 nationality figures as the latest")
    return found


def test_no_over_promise_without_its_condition(store):
    assert over_promises(blocks(store)) == []


def test_no_stale_glaa_or_duty_to_notify_figures(store):
    assert stale_facts(blocks(store)) == []


def test_the_rules_catch_the_old_wording():
    """The rules fail on the sentences issue 16 found (a test that cannot fail is a defect)."""
    old = [
        ("a", "If you choose not to help the police, this does not harm your support or any "
              "right to stay in the UK."),
        ("b", "During your recovery period, you cannot be removed from the UK."),
        ("c", "You have rights at work, whatever your immigration status."),
        ("d", "Anyone with a safeguarding concern about a child has a duty to contact "
              "Children's Services."),
        ("e", "or that a person was not honest about being a victim."),
        ("f", "You cannot refer yourself. A first responder must do it."),
        ("g", "If you were made to commit a crime, tell your lawyer."),
        ("h", "Report it to the GLAA on 0800 432 0804."),
        ("i", "In 2024, the Home Office received 5,598 Duty to Notify reports, a record."),
    ]
    flagged = {line.split(":")[0] for line in over_promises(old) + stale_facts(old)}
    assert flagged == {"a", "b", "c", "d", "e", "f", "g", "h", "i"}


def test_the_glaa_number_appears_nowhere():
    for path in CONTENT.rglob("*"):
        if path.is_file():
            assert "0800 432 0804" not in path.read_text(encoding="utf-8"), path
            assert "0800 4320 804" not in path.read_text(encoding="utf-8"), path


def test_unconfirmed_items_are_not_published(store):
    beacon = store.services["hertfordshire-beacon"]
    assert "Catch22" not in beacon.organization and not beacon.phones
    assert "glaa" not in store.services
    # The Fair Work Agency's route for workers is UNCONFIRMED: no number stands for it.
    assert not store.services["fair-work-agency"].phones
    # The licensing line is for licensing questions only, never a reporting line.
    assert "0345 161 6000" not in "\n".join(text for _, text in blocks(store))


def test_check_items_are_published_with_their_source(store):
    for context, text in blocks(store):
        if "0808 800 5000" in text and context.startswith("page:"):
            assert "eastherts.gov.uk" in text, context
    nrm = "\n".join(b.text for b in store.pages["national-referral-mechanism"].blocks)
    assert "Barnardo's" in nrm and "llrmodernslaveryactiongroup" in nrm
    emergency = store.services["emergency-999"]
    # Its source (Healthwatch) does not cover the silent call: press 55 is not shown there.
    assert "55" not in [p.number for p in emergency.phones]
    assert "55" not in " ".join(b.text for b in emergency.blocks)


PHONE_FIELDS = ("schedule", "fees_description")


@pytest.mark.parametrize("path", sorted((CONTENT / "services").glob("*.yaml")),
                         ids=lambda p: p.stem)
def test_every_service_is_dated_and_every_phone_service_costed(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert str(data.get("source_date") or "").strip(), "source_date, or 'undated'"
    if data.get("phones"):
        for name in PHONE_FIELDS:
            assert str(data.get(name) or "").strip(), f"{path.stem} says nothing on {name}"


def test_twenty_two_services(store):
    assert len(store.services) == 22


def test_nrm_form_entry_does_not_pass_guidance_off_as_the_form(store):
    form = store.services["nrm-referral-form"]
    assert form.url != "https://www.gov.uk/government/publications/modern-slavery-how-to-" \
                       "identify-and-support-victims"


def test_no_language_count_typed_into_prose(store):
    for context, text in blocks(store):
        if context.startswith("page:"):
            assert not re.search(r"\b\d+ languages\b", text), context
