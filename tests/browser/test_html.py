"""The Nu HTML checker over every page the portal renders, in every public language,
in one java call (a JVM start costs seconds), and the page-weight budget. The checker
needs java, not Chromium."""

from __future__ import annotations

import gzip
import re
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

BUDGET = 14_600  # bytes: what arrives in the first round trip of a new connection


def every_page(app) -> list[tuple[str, tuple[int, ...]]]:
    """Each path with the statuses it may answer."""
    store = app.extensions["content"]
    paths = [("/languages", (200,)), ("/languages?page=your-rights&with=en", (200,))]
    for lang in app.extensions["i18n"].registry.public:
        code = lang.code
        partner = "ar" if code == "en" else "en"
        paths += [
            (f"/{code}/", (200,)),
            (f"/{code}/card", (200,)),
            (f"/{code}/useful-numbers", (200,)),
            (f"/{code}/services", (200,)),
            (f"/{code}/search?q=help", (200, 503)),
            (f"/{code}/no-such-page", (404,)),
            (f"/{code}/get-help-now?with={partner}", (200,)),
        ]
        paths += [(f"/{code}/{slug}", (200,)) for slug in sorted(store.pages)]
        paths += [(f"/{code}/services/{sid}", (200,)) for sid in sorted(store.services)]
    return paths


@pytest.fixture(scope="module")
def rendered(portal_app):
    """(path, status, body) of every page, as the test client gets it (uncompressed)."""
    client = portal_app.test_client()
    pages = []
    for path, statuses in every_page(portal_app):
        response = client.get(path)
        pages.append((path, statuses, response.status_code, response.get_data()))
    return pages


def test_every_page_answers_as_expected(rendered):
    wrong = [f"{path}: {status}" for path, statuses, status, _ in rendered
             if status not in statuses]
    assert not wrong, wrong
    assert len(rendered) > 300


def test_every_page_is_valid_html(rendered, vnu, tmp_path_factory):
    folder = tmp_path_factory.mktemp("html")
    files, names = [], {}
    for number, (path, _, _, body) in enumerate(rendered):
        slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")
        name = folder / f"{number:04d}-{slug}.html"
        name.write_bytes(body)
        files.append(str(name))
        names[name.name] = path
    result = subprocess.run(
        [*vnu, "--errors-only", "--format", "gnu", *files],
        capture_output=True, text=True, timeout=240,
    )
    report = (result.stdout + result.stderr).strip()
    # Name each page by its URL rather than its temporary file.
    report = re.sub(r'"?file:[^"\s]*/([^/"\s]+\.html)"?',
                    lambda m: names.get(m.group(1), m.group(1)), report)
    print(report)
    assert result.returncode == 0, report


def test_every_page_fits_the_first_round_trip(portal_app, rendered):
    """HTML (with its inline CSS) plus exit.js, gzipped, within 14,600 bytes."""
    script = (Path(portal_app.config["STATIC_DIR"]) / "exit.js").read_bytes()
    script_size = len(gzip.compress(script, 9))
    over = {}
    for path, _, _, body in rendered:
        total = len(gzip.compress(body, 9)) + script_size
        if total > BUDGET:
            over[path] = total
    assert not over, over
