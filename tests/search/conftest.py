"""One index for the whole session, built into a temporary directory from the
repository's content and catalogues (compiled afresh into a private copy, so the
index is what the current ``.po`` files say, whether or not anyone ran compile)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from build_once import built_once

from portal import create_app
from portal.config import ROOT
from portal.i18n import get_i18n
from portal.locales import SERVED
from portal.search import get_search
from portal.search.cli import build_index

HERE = Path(__file__).parent


def _copy_translations(target: Path):
    """A private copy of the catalogues, compiled afresh. A catalogue that does not
    compile fails the run: the index would otherwise hold an old .mo's text."""
    from portal import pofiles
    from portal.catalogs import DOMAINS

    shutil.copytree(ROOT / "translations", target)
    for lang in SERVED[1:]:
        for domain in DOMAINS:
            pofiles.compile_catalog(target, lang, domain)


def _settings(root: Path) -> dict:
    return {
        "TESTING": True,
        "TRANSLATIONS_DIR": str(root / "translations"),
        "INDEX_DIR": str(root / "index"),
        "RELOAD_INTERVAL": 0.0,
    }


def _build(root: Path):
    _copy_translations(root / "translations")
    app = create_app(_settings(root))
    with app.app_context():
        build_index(app)


@pytest.fixture(scope="session")
def search_dirs(tmp_path_factory):
    """Catalogues and an index built once for the whole run (all xdist workers)."""
    return built_once(tmp_path_factory, "search", _build)


@pytest.fixture(scope="session")
def search_app(search_dirs):
    """The portal over the repository's content, with a freshly built index."""
    return create_app(_settings(search_dirs))


@pytest.fixture(scope="session")
def engine(search_app):
    return get_search(search_app)


@pytest.fixture(scope="session")
def langs(search_app):
    return get_i18n(search_app).registry


@pytest.fixture
def search_client(search_app):
    return search_app.test_client()
