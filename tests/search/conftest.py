"""One index for the whole session, built into a temporary directory from the
repository's content and catalogues (compiled afresh into a private copy, so the
index is what the current ``.po`` files say, whether or not anyone ran compile)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from portal import create_app
from portal.config import ROOT
from portal.locales import WAVE1
from portal.search.cli import build_index

HERE = Path(__file__).parent


def _copy_translations(target: Path):
    from portal import pofiles
    from portal.catalogs import DOMAINS

    shutil.copytree(ROOT / "translations", target)
    for lang in WAVE1[1:]:
        for domain in DOMAINS:
            try:
                pofiles.compile_catalog(target, lang, domain)
            except Exception as exc:  # a .po being saved right now: keep its old .mo
                logging.getLogger(__name__).warning("%s/%s not compiled: %s",
                                                    lang.code, domain, exc)


@pytest.fixture(scope="session")
def search_dirs(tmp_path_factory):
    root = tmp_path_factory.mktemp("search")
    _copy_translations(root / "translations")
    return root


@pytest.fixture(scope="session")
def search_app(search_dirs):
    """The portal over the repository's content, with a freshly built index."""
    app = create_app({
        "TESTING": True,
        "TRANSLATIONS_DIR": str(search_dirs / "translations"),
        "INDEX_DIR": str(search_dirs / "index"),
        "RELOAD_INTERVAL": 0.0,
    })
    with app.app_context():
        build_index(app)
    return app


@pytest.fixture(scope="session")
def engine(search_app):
    return search_app.extensions["search"]


@pytest.fixture(scope="session")
def langs(search_app):
    return search_app.extensions["i18n"].registry


@pytest.fixture
def search_client(search_app):
    return search_app.test_client()
