"""Shared fixtures: ``app``, ``client`` and ``runner`` over the real content and
catalogues, and ``make_app`` for tests that need their own copy to break."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pytest

from portal import create_app
from portal.config import ROOT


def pytest_xdist_make_scheduler(config, log):
    """Under ``make test`` (``-n auto``): the tests of a module that defines a
    module-scoped fixture (a crawl, a freeze, an HTML validation) run on one worker, so
    that fixture is built once; every other test, such as one language's pass of a
    per-language browser test, goes to whichever worker is free. (xdist's own
    ``loadgroup`` cannot do this under pytest 9: it renames node ids, which pytest 9
    no longer reads.)"""
    from xdist.scheduler import LoadScopeScheduling

    class ModuleFixturesTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            module = nodeid.split("::", 1)[0]
            return module if _has_module_fixture(config.rootpath / module) else nodeid

    return ModuleFixturesTogether(config, log)


@functools.cache
def _has_module_fixture(path: Path) -> bool:
    try:
        return 'scope="module"' in path.read_text(encoding="utf-8")
    except OSError:
        return True  # when unsure, keep the module together


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
