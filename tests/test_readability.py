"""Plain words on the pages written for victims: a reading grade of about 6 or below.

Measured with textstat's Flesch-Kincaid grade over each victim page's English body. Each
block (paragraph, list item, heading) counts as one sentence, as a reader meets it; link
targets, URLs and bold markers are left out, and filled values ({language_count}) read as a
short number. The figures are in the README.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import textstat

from portal.content import ContentStore

CONTENT = Path(__file__).resolve().parent.parent / "content"
PAGE_GRADE_CAP = 7.0   # no victim page above this
MEAN_GRADE_CAP = 6.0   # and the victim pages together at grade 6 or below


def plain_text(blocks) -> str:
    sentences = []
    for block in blocks:
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", block.text)
        text = re.sub(r"https?://\S+", "", text).replace("**", "")
        text = re.sub(r"\{\w+\}", "12", text).strip().rstrip(";:,")
        if text:
            sentences.append(text if text.endswith((".", "?", "!")) else text + ".")
    return " ".join(sentences)


def grade(page) -> float:
    return textstat.flesch_kincaid_grade(plain_text(page.body))


def victim_pages():
    return ContentStore(CONTENT).sorted_pages("victims")


def test_grade_measures_hard_text_as_hard():
    """The measure can fail: a dense legal sentence scores far above the cap."""

    class Block:
        text = ("Notwithstanding the foregoing, the Competent Authority's determination "
                "regarding eligibility necessitates comprehensive evidential substantiation.")

    class Page:
        body = [Block()]

    assert grade(Page()) > PAGE_GRADE_CAP + 5


@pytest.mark.parametrize("page", victim_pages(), ids=lambda p: p.slug)
def test_each_victim_page_is_plain(page):
    assert grade(page) <= PAGE_GRADE_CAP, f"{page.slug}: grade {grade(page):.1f}"


def test_victim_pages_average_grade_six_or_below():
    pages = victim_pages()
    assert pages
    mean = sum(grade(p) for p in pages) / len(pages)
    assert mean <= MEAN_GRADE_CAP, f"mean grade {mean:.1f}"
