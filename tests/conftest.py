"""Shared fixtures: ``app``, ``client`` and ``runner`` over the real content and
catalogues, and ``make_app`` for tests that need their own copy to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from portal import create_app
from portal.config import ROOT


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Under ``make test`` (``--dist loadgroup``), a module whose tests share a
    module-scoped fixture (a crawl, a freeze, an HTML validation) runs on one worker,
    so that fixture is built once; every other test, such as one language's pass of a
    per-language test, goes to whichever worker is free. Tried first, so xdist's own
    hook sees the group."""
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        defs = info.name2fixturedefs.values() if info else ()
        if any(d[-1].scope == "module" for d in defs if d):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))


@pytest.fixture(scope="session")
def app():
    """The portal over the repository's content and compiled catalogues."""
    return create_app({"TESTING": True, "RELOAD_INTERVAL": 0.0, "PSEUDO_LOCALES": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_app(tmp_path):
    """An app over private copies of content/ and translations/, to change or break."""

    def factory(**config):
        content = tmp_path / "content"
        translations = tmp_path / "translations"
        if not content.exists():
            shutil.copytree(ROOT / "content", content)
            shutil.copytree(ROOT / "translations", translations)
        settings = {
            "TESTING": True,
            "CONTENT_DIR": str(content),
            "TRANSLATIONS_DIR": str(translations),
            "INDEX_DIR": str(tmp_path / "index"),
            "RELOAD_INTERVAL": 0.0,
        }
        settings.update(config)
        return create_app(settings)

    factory.content = tmp_path / "content"
    factory.translations = tmp_path / "translations"
    return factory


def html(response) -> str:
    """The body of a response as text, decompressed by the test client already."""
    return response.get_data(as_text=True)


def locales(app) -> list:
    return list(app.extensions["i18n"].registry.public)


ROOT_DIR = Path(ROOT)
