"""``flask search build``: (re)build the index for every language."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

search_cli = AppGroup("search", help="Build the search index.")


def fill_values(app) -> dict:
    """Configuration values the content refers to, as pages fill them in."""
    return {"training_email": app.config.get("TRAINING_EMAIL") or "",
            "contact_email": app.config.get("CONTACT_EMAIL") or "",
            "language_count": str(len(app.extensions["i18n"].registry.public))}


def build_index(app, progress: bool = False, codes: tuple[str, ...] = ()) -> Path:
    """Build every public locale (or only ``codes``, for tests) into a new directory
    under INDEX_DIR and swap it in."""
    from .index import build

    i18n = app.extensions["i18n"]
    store = app.extensions["content"]
    store.load()  # what is on disk now, not what this process saw at start
    i18n.catalogs.reload_now()
    langs = [lang for lang in i18n.registry.public if not codes or lang.code in codes]

    def wrap(items):
        if not progress:
            return items
        return _bar(items)

    return build(Path(app.config["INDEX_DIR"]), langs, store, i18n,
                 Path(app.config["CONTENT_DIR"]), Path(app.config["TRANSLATIONS_DIR"]),
                 fill=fill_values(app), wrap=wrap)


def _bar(items):
    with click.progressbar(items, label="indexing", file=sys.stderr,
                           item_show_func=lambda lang: lang.code if lang else "") as bar:
        yield from bar


def stale_reason(app) -> str | None:
    from .index import is_stale

    return is_stale(Path(app.config["INDEX_DIR"]), Path(app.config["CONTENT_DIR"]),
                    Path(app.config["TRANSLATIONS_DIR"]),
                    [lang.code for lang in app.extensions["i18n"].registry.public])


@search_cli.command("build")
@click.option("--if-stale", is_flag=True, help="Only when missing or older than the content.")
def build_cmd(if_stale):
    """Build the index into a new directory and swap it in atomically."""
    app = current_app._get_current_object()
    reason = stale_reason(app)
    if if_stale and reason is None:
        click.echo("search index: up to date")
        return
    try:
        target = build_index(app, progress=True)
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None
    from .index import read_stamp

    stamp = read_stamp(Path(app.config["INDEX_DIR"])) or {}
    total = sum((stamp.get("documents") or {}).values())
    click.echo(f"search index: {total} documents in {len(stamp.get('locales', []))} "
               f"languages ({reason or 'rebuilt'}) -> {target.name}")
