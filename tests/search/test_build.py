"""Building: a new directory per build, swapped in by one symlink rename; staleness."""

from __future__ import annotations

import os
import time
from pathlib import Path

from portal.search.cli import build_index
from portal.search.index import LINK, clean_old, is_stale, swap


def builds(index_dir: Path):
    return sorted(p.name for p in index_dir.iterdir() if p.name.startswith("build-"))


def test_cli_build_then_if_stale_is_a_no_op(make_app):
    app = make_app()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["search", "build", "--if-stale"])
    assert result.exit_code == 0, result.output
    assert "documents in 32 languages" in result.output
    index_dir = Path(app.config["INDEX_DIR"])
    assert (index_dir / LINK).is_symlink()
    first = os.readlink(index_dir / LINK)

    result = runner.invoke(args=["search", "build", "--if-stale"])
    assert result.exit_code == 0
    assert "up to date" in result.output
    assert os.readlink(index_dir / LINK) == first


def test_if_stale_rebuilds_after_content_or_catalogue_changes(make_app):
    app = make_app()
    runner = app.test_cli_runner()
    runner.invoke(args=["search", "build"])
    index_dir = Path(app.config["INDEX_DIR"])
    langs = [lang.code for lang in app.extensions["i18n"].registry.public]
    args = (index_dir, Path(app.config["CONTENT_DIR"]), Path(app.config["TRANSLATIONS_DIR"]),
            langs)
    assert is_stale(*args) is None

    page = make_app.content / "pages" / "get-help-now.md"
    later = time.time() + 5
    os.utime(page, (later, later))
    assert is_stale(*args) == "content or translations are newer"

    result = runner.invoke(args=["search", "build", "--if-stale"])
    assert "newer" in result.output
    assert is_stale(*args) is None

    mo = next(make_app.translations.glob("*/LC_MESSAGES/content.mo"), None)
    if mo is not None:
        later += 5
        os.utime(mo, (later, later))
        assert is_stale(*args) is not None


def test_swap_replaces_the_link_and_old_builds_are_cleaned(tmp_path):
    for name in ("build-1", "build-2", "build-3", "build-4"):
        (tmp_path / name).mkdir()
    swap(tmp_path, tmp_path / "build-3")
    assert os.readlink(tmp_path / LINK) == "build-3"
    clean_old(tmp_path)
    # the current one, and the newest other one (readers may still hold it)
    assert builds(tmp_path) == ["build-3", "build-4"]
    swap(tmp_path, tmp_path / "build-4")
    assert os.readlink(tmp_path / LINK) == "build-4"
    assert not list(tmp_path.glob(".current.*"))


def test_running_app_notices_a_new_build(make_app):
    app = make_app()
    client = app.test_client()

    def rebuild():
        with app.app_context():
            build_index(app, codes=("en",))

    rebuild()
    assert client.get("/en/search?q=help").status_code == 200
    assert b'href="/en/new-page"' not in client.get("/en/search?q=zanzibarian").data

    page = make_app.content / "pages" / "new-page.md"
    page.write_text("---\ntitle: Zanzibarian guidance\nsummary: A test page.\n"
                    "audience: victims\n---\nThe zanzibarian page.\n", encoding="utf-8")
    rebuild()
    response = client.get("/en/search?q=zanzibarian")
    assert response.status_code == 200
    assert b'href="/en/new-page"' in response.data
    assert len(builds(Path(app.config["INDEX_DIR"]))) == 2

    rebuild()
    assert len(builds(Path(app.config["INDEX_DIR"]))) == 2
    assert client.get("/en/search?q=zanzibarian").status_code == 200


def test_index_holds_what_the_reader_sees(make_app):
    """A block without a translation is indexed in English, and marked as English."""
    app = make_app()
    store = app.extensions["content"]
    i18n = app.extensions["i18n"]
    from portal.reader import reader_for
    from portal.search.index import documents

    ar = i18n.registry.get("ar")
    docs = {d.key: d for d in documents(reader_for(ar, app))}
    page = store.pages["get-help-now"]
    doc = docs["page:get-help-now"]
    assert doc.url == "/ar/get-help-now"
    assert doc.audience == page.audience
    for text, code in zip(doc.body, doc.langs["body"], strict=True):
        assert code in ("ar", "en")
        if code == "en":
            assert text.isascii() or any(c.isdigit() for c in text)
    services = [d for d in docs.values() if d.kind == "service"]
    assert services and all(d.url.startswith("/ar/services/") for d in services)
