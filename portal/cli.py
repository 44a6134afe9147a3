"""``flask`` command groups: ``i18n`` (catalogues), ``content`` (checks), ``search``
(the index) and ``freeze`` (the static export)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from . import pofiles
from .catalogs import DOMAINS
from .config import ROOT
from .content import get_content
from .i18n import get_i18n

i18n_cli = AppGroup("i18n", help="Extract, update, compile and check the catalogues.")
content_cli = AppGroup("content", help="Check the English content.")


def _registry():
    return get_i18n().registry


def _langs(codes):
    registry = _registry()
    if not codes:
        return [lang for lang in registry.public if lang.code != "en"]
    langs = []
    for code in codes:
        lang = registry.resolve(code)
        if lang is None or lang.pseudo:
            raise click.BadParameter(f"unknown language {code}")
        langs.append(lang)
    return langs


def _dir() -> Path:
    return Path(current_app.config["TRANSLATIONS_DIR"])


def _phones():
    return list(get_content().phonebook.by_number)


@i18n_cli.command("extract")
def extract_cmd():
    """Write translations/messages.pot and translations/content.pot."""
    templates = pofiles.extract(ROOT, ROOT / "babel.cfg",
                                Path(current_app.config["CONTENT_DIR"]))
    for domain, catalog in templates.items():
        path = pofiles.pot_path(_dir(), domain)
        pofiles.write_catalog(catalog, path, domain, template=True)
        click.echo(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
                   f"{len(catalog)} messages")


@i18n_cli.command("init")
@click.argument("codes", nargs=-1, required=True)
def init_cmd(codes):
    """Start catalogues for new languages (headers from Babel, marked draft)."""
    for lang in _langs(codes):
        for domain in DOMAINS:
            click.echo(pofiles.init(_dir(), lang, domain))


@i18n_cli.command("update")
@click.argument("codes", nargs=-1)
def update_cmd(codes):
    """Merge the templates into every catalogue; changed sources become fuzzy."""
    for lang in _langs(codes):
        for domain in DOMAINS:
            pofiles.update(_dir(), lang, domain)
    click.echo("updated")


@i18n_cli.command("compile")
@click.argument("codes", nargs=-1)
def compile_cmd(codes):
    """Compile every catalogue, reporting (not refusing) entries that fail checks."""
    failing = 0
    langs = _langs(codes)
    with click.progressbar(langs, label="compiling", file=sys.stderr) as bar:
        for lang in bar:
            for domain in DOMAINS:
                pofiles.compile_catalog(_dir(), lang, domain)
                failing += pofiles.count(_dir(), lang, domain, _phones()).failing
    click.echo(f"compiled {len(langs)} languages; {failing} entries fail checks "
               "(served in English until fixed; see `flask i18n check`)")


@i18n_cli.command("status")
@click.option("--json", "as_json", is_flag=True, help="One JSON object keyed by locale.")
def status_cmd(as_json):
    """How much of each language is translated, fuzzy, untranslated and failing."""
    data = status_data()
    if as_json:
        click.echo(json.dumps(data, indent=2, sort_keys=False))
        return
    click.echo(f"{'locale':9} {'domain':9} {'total':>6} {'done':>6} {'fuzzy':>6} "
               f"{'todo':>6} {'failing':>7} {'terms':>6} {'review':>6} {'native':>6} "
               f"{'%':>6}")
    for code, domains in data.items():
        for domain, c in domains.items():
            pct = 100.0 * c["translated"] / c["total"] if c["total"] else 100.0
            click.echo(f"{code:9} {domain:9} {c['total']:6} {c['translated']:6} "
                       f"{c['fuzzy']:6} {c['untranslated']:6} {c['failing']:7} "
                       f"{c['term_warnings']:6} {c['reviewed']:6} "
                       f"{c['reviewed_by_native']:6} {pct:6.1f}")


def status_data() -> dict:
    data = {}
    for lang in _langs(()):
        data[lang.code] = {
            domain: pofiles.count(_dir(), lang, domain, _phones()).as_dict()
            for domain in DOMAINS
        }
    return data


@i18n_cli.command("check")
@click.argument("codes", nargs=-1)
@click.option("--no-warnings", is_flag=True, help="Name failing entries only.")
def check_cmd(codes, no_warnings):
    """Check every translated entry; exit 1 naming each one that fails.

    Termbase warnings (an approved rendering missing, an avoided word) are listed
    as "warning (terms)" and do not fail the check; a forbidden rendering does."""
    from . import checks

    failures = warned = 0
    for lang in _langs(codes):
        for domain in DOMAINS:
            path = pofiles.po_path(_dir(), lang, domain)
            if not path.exists():
                continue
            catalog = pofiles.read_catalog(path, lang)
            headers = {k.lower(): v for k, v in catalog.mime_headers}
            for problem in checks.check_headers(headers, lang.locale, lang.babel):
                failures += 1
                click.echo(f"{lang.code} {domain} header: {problem}")
            counts = pofiles.count(_dir(), lang, domain, _phones())
            for message, problems in counts.failures:
                failures += 1
                click.echo(f"{lang.code} {domain} {_where(message)}: {'; '.join(problems)}")
            warned += len(counts.warnings)
            if not no_warnings:
                for message, warnings in counts.warnings:
                    click.echo(f"warning (terms) {lang.code} {domain} {_where(message)}: "
                               f"{'; '.join(warnings)}")
    if warned:
        click.echo(f"{warned} entries with termbase warnings", err=True)
    if failures:
        click.echo(f"{failures} problems", err=True)
        sys.exit(1)
    click.echo("all translations pass")


@i18n_cli.command("glyphs")
@click.argument("codes", nargs=-1)
def glyphs_cmd(codes):
    """Name every character of the translations that no installed Noto font draws
    (fontconfig; no browser needed); exit 1 if there is one."""
    from . import glyphs

    gaps = 0
    for lang in _langs(codes):
        for domain in DOMAINS:
            path = pofiles.po_path(_dir(), lang, domain)
            if not path.exists():
                continue
            found = glyphs.catalogue_gaps(pofiles.translated_strings(path, lang))
            for char, examples in sorted(found.items()):
                gaps += 1
                click.echo(f"{lang.code} {domain} U+{ord(char):04X} {char!r} in {examples!r}")
    if gaps:
        click.echo(f"{gaps} characters no Noto font draws", err=True)
        sys.exit(1)
    click.echo("every character has a Noto font")


def _where(message) -> str:
    source = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    return f"{message.context or '-'} {source[:50]!r}"


@i18n_cli.command("termbase")
@click.option("--tbx", "tbx_out", type=click.Path(dir_okay=False, writable=True),
              help="Write the termbase as TBX (TBX-Basic, TBX v3) to this file.")
def termbase_cmd(tbx_out):
    """Show the termbase's size, or export it as TBX for Weblate, Poedit and CAT tools."""
    from . import tbx, termbase

    terms = termbase.for_directory(_dir())
    if tbx_out:
        Path(tbx_out).write_bytes(tbx.to_tbx(terms))
        click.echo(f"{tbx_out}: {len(terms)} terms in {len(terms.languages)} languages")
        return
    click.echo(f"{len(terms)} terms in {len(terms.languages)} languages: "
               + ", ".join(term.en for term in terms.terms))


@i18n_cli.command("review")
@click.argument("code")
@click.option("--by", required=True,
              help="Pseudonymous id of the native reviewer (listed in reviewers.yaml).")
@click.option("--on", "on", default=lambda: date.today().isoformat(), show_default="today")
def review_cmd(code, by, on):
    """Lift a language's draft notice: only when every entry of both catalogues is
    translated and carries a native review record that counts."""
    from . import review

    lang = _langs((code,))[0]
    if not review.reviewers_for(_dir()).allows(by, "native", lang.babel):
        raise click.BadParameter(f"{by} is not a native reviewer of {lang.code} in "
                                 "translations/reviewers.yaml", param_hint="--by")
    short = []
    for domain in DOMAINS:
        counts = pofiles.count(_dir(), lang, domain, _phones())
        if counts.reviewed_by_native < counts.total or counts.failing:
            short.append(f"{domain}: {counts.reviewed_by_native} of {counts.total} entries "
                         f"natively reviewed, {counts.failing} failing")
    if short:
        click.echo(f"{lang.code} stays draft: " + "; ".join(short), err=True)
        sys.exit(1)
    pofiles.set_review(_dir(), lang, by, on)
    for domain in DOMAINS:
        pofiles.compile_catalog(_dir(), lang, domain)
    click.echo(f"{lang.code}: reviewed by {by} on {on}")


@i18n_cli.command("mark-reviewed")
@click.argument("code")
@click.option("--domain", "domains", type=click.Choice(DOMAINS), multiple=True,
              help="Only this domain (repeatable); default both.")
@click.option("--by", required=True, help="The reviewer's id in reviewers.yaml.")
@click.option("--kind", type=click.Choice(("native", "second-reader:human",
                                           "second-reader:machine")), required=True)
@click.option("--ids-file", type=click.File("r", encoding="utf-8"),
              help="JSON list of the entries checked: objects with context and source "
                   "(the export-json format).")
@click.option("--all-current", is_flag=True,
              help="Every translated, non-fuzzy entry as it stands now.")
@click.option("--on", "on", default=lambda: date.today().isoformat(), show_default="today")
def mark_reviewed_cmd(code, domains, by, kind, ids_file, all_current, on):
    """Record that a reviewer checked entries (a `# review:` line on each)."""
    from . import review

    lang = _langs((code,))[0]
    if bool(ids_file) == bool(all_current):
        raise click.UsageError("give exactly one of --ids-file and --all-current")
    if not review.reviewers_for(_dir()).allows(by, kind, lang.babel):
        raise click.BadParameter(f"{by} may not record {kind} review of {lang.code}: "
                                 "see translations/reviewers.yaml", param_hint="--by")
    try:
        date.fromisoformat(on)
    except ValueError as exc:
        raise click.BadParameter("a date as YYYY-MM-DD", param_hint="--on") from exc
    keys = None
    if ids_file:
        keys = set()
        for item in json.load(ids_file):
            source = item["source"]
            source = source[0] if isinstance(source, list) else source
            keys.add((item.get("context"), source))
    for domain in domains or DOMAINS:
        marked = pofiles.mark_reviewed(_dir(), lang, domain, by, kind, on, keys)
        click.echo(f"{lang.code} {domain}: {marked} entries marked {kind} by {by}")


@i18n_cli.command("export-json")
@click.argument("code")
@click.argument("domain", type=click.Choice(DOMAINS))
@click.argument("out", type=click.File("w", encoding="utf-8"))
@click.option("--todo", is_flag=True, help="Only untranslated and fuzzy entries.")
def export_json_cmd(code, domain, out, todo):
    """Write one catalogue as JSON (context, source, notes, translation) for bulk work."""
    lang = _langs((code,))[0]
    catalog = pofiles.read_catalog(pofiles.po_path(_dir(), lang, domain), lang)
    items = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if todo and all(strings) and not message.fuzzy:
            continue
        items.append({"context": message.context, "source": message.id,
                      "notes": list(message.auto_comments), "translation": message.string,
                      "fuzzy": message.fuzzy})
    json.dump(items, out, ensure_ascii=False, indent=1)
    click.echo(f"{len(items)} entries", err=True)


@i18n_cli.command("import-json")
@click.argument("code")
@click.argument("domain", type=click.Choice(DOMAINS))
@click.argument("src", type=click.File("r", encoding="utf-8"))
def import_json_cmd(code, domain, src):
    """Fill translations from JSON made by export-json; clears fuzzy on filled entries."""
    import unicodedata

    lang = _langs((code,))[0]
    path = pofiles.po_path(_dir(), lang, domain)
    kept = pofiles.kept_headers(path)
    catalog = pofiles.read_catalog(path, lang)
    filled = 0
    for item in json.load(src):
        source = item["source"]
        key = tuple(source) if isinstance(source, list) else source
        message = catalog.get(key, context=item.get("context"))
        translation = item.get("translation")
        if message is None or not translation:
            continue
        if isinstance(translation, list):
            message.string = tuple(unicodedata.normalize("NFC", t) for t in translation)
        else:
            message.string = unicodedata.normalize("NFC", translation)
        message.flags.discard("fuzzy")
        message.previous_id = []
        filled += 1
    pofiles.write_catalog(catalog, path, domain, kept=kept)
    click.echo(f"{filled} entries filled")


@content_cli.command("check")
def content_check_cmd():
    """Fail on missing front matter, unlisted numbers, broken links or unsourced services."""
    from .content_check import check_content

    errors, warnings = check_content(get_content(), get_i18n().registry)
    for warning in warnings:
        click.echo(f"warning: {warning}")
    for error in errors:
        click.echo(f"error: {error}")
    if errors:
        sys.exit(1)
    click.echo(f"content ok ({len(warnings)} warnings)")


def init_app(app: Flask):
    app.cli.add_command(i18n_cli)
    app.cli.add_command(content_cli)
    from .freeze import freeze_cmd
    from .search.cli import search_cli

    app.cli.add_command(search_cli)
    app.cli.add_command(freeze_cmd)
