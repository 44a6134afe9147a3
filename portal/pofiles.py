"""The translator's files: extract templates, init, update and compile PO files for
both domains with Babel's own API, and count each catalogue's state."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import escape as po_escape
from babel.messages.pofile import read_po, write_po
from babel.messages.pofile import unescape as po_unescape

from . import checks, review, termbase
from .catalogs import DOMAINS, mo_path, po_path
from .extract import keep_notes, term_notes
from .locales import Lang

CONTENT_METHODS = ("portal_content", "portal_services", "portal_synonyms")
# Headers Babel does not know and would drop on a round trip; we carry them over.
KEPT_HEADERS = ("X-Review-Status", "X-Reviewed-By", "X-Reviewed-On")
_HEADER = re.compile(r'^"(X-[\w-]+): (.*)\\n"$', re.M)


def pot_path(directory: Path, domain: str) -> Path:
    return Path(directory) / f"{domain}.pot"


def extract(root: Path, mapping: Path, content_dir: Path | None = None) -> dict[str, Catalog]:
    """Both templates from one ``babel.cfg``: content extractors feed ``content``.

    Code and templates are read under ``root``; content under the parent of
    ``content_dir`` (the same place unless configured elsewhere).
    """
    with mapping.open(encoding="utf-8") as fp:
        method_map, options_map = parse_mapping_cfg(fp)
    content_root = Path(content_dir).parent if content_dir else Path(root)
    templates = {d: Catalog(project="portal", fuzzy=False, domain=d) for d in DOMAINS}
    for domain in DOMAINS:
        templates[domain].creation_date = datetime(2026, 1, 1, tzinfo=UTC)
    for domain, base in (("messages", Path(root)), ("content", content_root)):
        methods = [(pattern, method) for pattern, method in method_map
                   if (method in CONTENT_METHODS) == (domain == "content")]
        for filename, lineno, message, comments, context in extract_from_dir(
            str(base), methods, options_map, keywords=_keywords(), comment_tags=("NOTE",),
            strip_comment_tags=True,
        ):
            templates[domain].add(message, None, [(filename, lineno)],
                                  auto_comments=comments, context=context)
    # Interface strings get the same "keep exactly" and term notes as content blocks.
    for message in templates["messages"]:
        if message.id:
            source = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
            for note in keep_notes(source) + term_notes(source):
                if note not in message.auto_comments:
                    message.auto_comments.append(note)
    return templates


def _keywords():
    from babel.messages.extract import DEFAULT_KEYWORDS

    # _t: the escaped-text gettext of the quick exit and the emergency numbers.
    return {**DEFAULT_KEYWORDS, "lazy_gettext": None, "_t": None}


def write_catalog(catalog: Catalog, path: Path, domain: str, kept: dict | None = None,
                  template: bool = False):
    """Write a PO/POT file deterministically; content never carries python-format."""
    if domain == "content":
        for message in catalog:
            message.flags.discard("python-format")
    buf = io.BytesIO()
    # Babel wraps "#|" lines as prose, breaking long quoted strings (msgfmt rejects
    # them), so the previous source is written here instead, one line per string.
    write_po(buf, catalog, width=0, omit_header=False, include_previous=False,
             sort_output=False, ignore_obsolete=False)
    text = _with_previous(buf.getvalue().decode("utf-8"), catalog)
    if domain == "content":
        text = text.replace("#, python-format\n", "").replace(", python-format", "")
    if template:
        text = re.sub(r'^"POT-Creation-Date: .*\\n"\n', "", text, flags=re.M)
    if kept:
        extra = "".join(f'"{k}: {v}\\n"\n' for k, v in kept.items())
        text = text.replace('"Generated-By:', extra + '"Generated-By:', 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _quote(text: str) -> str:
    return '"' + po_escape(text)[1:-1] + '"'


def _with_previous(text: str, catalog: Catalog) -> str:
    """Insert "#| msgid" lines (the source a fuzzy entry was translated from)."""
    for message in catalog:
        previous = [p for p in (message.previous_id or []) if p]
        if not message.id or not previous:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        anchor = (f"msgctxt {_quote(message.context)}\n" if message.context else "")
        anchor += f"msgid {_quote(ids[0])}\n"
        lines = "".join(
            f"#| {key} {_quote(value)}\n"
            for key, value in zip(("msgid", "msgid_plural"), previous, strict=False)
        )
        position = text.find("\n" + anchor)
        if position >= 0:
            text = text[: position + 1] + lines + text[position + 1 :]
    return text


def kept_headers(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    head = path.read_text(encoding="utf-8")[:4096]
    return {k: v for k, v in _HEADER.findall(head) if k in KEPT_HEADERS}


def _plural_rule(catalog: Catalog, lang: Lang) -> Catalog:
    """The language's plural rule (``locales.gettext_plural``), whatever the file said:
    Babel's Catalog keeps it in these two attributes and writes both headers from them."""
    catalog._num_plurals, catalog._plural_expr = lang.plural_forms, lang.plural_expr
    return catalog


def read_catalog(path: Path, lang: Lang | None = None) -> Catalog:
    with path.open("rb") as fp:
        catalog = read_po(fp, locale=lang.babel if lang else None, abort_invalid=False)
    if lang is not None:
        _plural_rule(catalog, lang)
    for message in catalog:
        if message.id and message.user_comments:
            drop_stale_previous(message)
    return catalog


def translated_strings(path: Path, lang: Lang) -> list[str]:
    """Every translated string of one catalogue (each plural form on its own)."""
    out = []
    for message in read_catalog(path, lang):
        if message.id:
            strings = message.string if isinstance(message.string, (list, tuple)) \
                else (message.string,)
            out.extend(s for s in strings if s)
    return out


def init(directory: Path, lang: Lang, domain: str) -> Path:
    template = read_catalog(pot_path(directory, domain))
    catalog = _plural_rule(Catalog(locale=lang.babel, domain=domain, project="portal",
                                   fuzzy=False), lang)
    catalog.update(template, no_fuzzy_matching=True)
    path = po_path(directory, lang, domain)
    write_catalog(catalog, path, domain, kept={"X-Review-Status": "draft"})
    return path


def update(directory: Path, lang: Lang, domain: str) -> Path:
    path = po_path(directory, lang, domain)
    if not path.exists():
        return init(directory, lang, domain)
    kept = kept_headers(path) or {"X-Review-Status": "draft"}
    template = read_catalog(pot_path(directory, domain))
    catalog = read_catalog(path, lang)
    # Babel's merge forgets the previous source of an entry that was already fuzzy.
    previous = {(m.id, m.context): list(m.previous_id) for m in catalog
                if m.id and m.fuzzy and m.previous_id}
    catalog.update(template, no_fuzzy_matching=False, update_header_comment=False,
                   keep_user_comments=True)
    for message in catalog:
        if message.id and message.fuzzy and not message.previous_id:
            message.previous_id = previous.get((message.id, message.context), [])
    # Babel keeps what the file said; the rules come from Babel's data, never old files.
    catalog.locale = lang.babel
    _plural_rule(catalog, lang)
    for message in catalog:
        if message.id:
            review.clear_stale(message)  # the English changed: its review no longer holds
    write_catalog(catalog, path, domain, kept=kept)
    return path


_PREVIOUS = re.compile(r'^\| (msgctxt|msgid|msgid_plural) "(.*)"$')


def drop_stale_previous(message) -> int:
    """Take ``#|`` previous-source lines out of the translator comments.

    Babel's reader does not know ``#|`` lines: it keeps them as translator comments
    (``| msgid "…"``), which its writer then wrote back as ``# | msgid …``, wrapped
    into fragments, for ever. A fuzzy entry gets its previous source back (written
    again as ``#|`` by ``write_catalog``); anywhere else they are stale and go, with
    their wrapped continuation lines. Review records stay.
    """
    comments = list(message.user_comments)
    start = next((i for i, c in enumerate(comments) if c.startswith("| msg")), None)
    if start is None:
        return 0
    previous = {}
    for comment in comments[start:]:
        m = _PREVIOUS.match(comment)
        if m:
            previous[m[1]] = po_unescape('"' + m[2] + '"')
    if message.fuzzy and "msgid" in previous and not message.previous_id:
        message.previous_id = [previous["msgid"]] + (
            [previous["msgid_plural"]] if "msgid_plural" in previous else [])
    message.user_comments = comments[:start] + [
        c for c in comments[start:]
        if review.RECORD.match(c.strip()) or review.TRANSLATED_BY.match(c.strip())]
    return len(comments) - len(message.user_comments)


def compile_catalog(directory: Path, lang: Lang, domain: str) -> Path | None:
    """Compile even when entries fail checks: quarantine handles them at run time."""
    path = po_path(directory, lang, domain)
    if not path.exists():
        return None
    catalog = read_catalog(path, lang)
    target = mo_path(directory, lang, domain)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    tmp = target.with_suffix(".mo.tmp")
    tmp.write_bytes(buf.getvalue())
    tmp.replace(target)
    return target


def mark_reviewed(directory: Path, lang: Lang, domain: str, by: str, kind: str, on: str,
                  keys: set[tuple[str | None, str]] | None = None) -> int:
    """Add a review record to translated, non-fuzzy entries (``keys``: only those
    ``(context, source)``); return how many were marked."""
    path = po_path(directory, lang, domain)
    kept = kept_headers(path)
    catalog = read_catalog(path, lang)
    marked = 0
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else (
            message.string,)
        if not all(strings):
            continue
        source = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
        if keys is not None and (message.context, source) not in keys:
            continue
        review.add(message, review.record_for(message, kind, by, on))
        marked += 1
    if marked:
        write_catalog(catalog, path, domain, kept=kept)
    return marked


def set_review(directory: Path, lang: Lang, by: str, on: str):
    for domain in DOMAINS:
        path = po_path(directory, lang, domain)
        if not path.exists():
            continue
        catalog = read_catalog(path, lang)
        kept = {"X-Review-Status": "reviewed", "X-Reviewed-By": by, "X-Reviewed-On": on}
        write_catalog(catalog, path, domain, kept=kept)


@dataclass
class Counts:
    total: int = 0
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    failing: int = 0
    terms: int = 0  # entries with a termbase warning (missing or avoided rendering)
    # Translated entries with a review record that counts (review.py), by any kind,
    # by a native reviewer, and per kind.
    reviewed: int = 0
    reviewed_by_native: int = 0
    reviewed_by_kind: dict = field(default_factory=lambda: dict.fromkeys(review.KINDS, 0))
    failures: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    def as_dict(self):
        return {"total": self.total, "translated": self.translated, "fuzzy": self.fuzzy,
                "untranslated": self.untranslated, "failing": self.failing,
                "term_warnings": self.terms, "reviewed": self.reviewed,
                "reviewed_by_native": self.reviewed_by_native,
                "reviewed_by_kind": dict(self.reviewed_by_kind)}


def entry_problems(message, lang: Lang, domain: str, phones, terms=None,
                   warnings: list | None = None) -> list[str]:
    """What ``checks`` says of one PO entry (plural forms included); termbase
    warnings are appended to ``warnings`` when given."""
    problems = []
    sources = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    if isinstance(message.id, (list, tuple)):
        # Babel pads missing forms with empty strings when it reads a file: a form
        # left empty would show readers nothing, so count only the filled ones.
        problems += checks.check_plural_count(len([s for s in strings if s]), lang.locale)
    for index, text in enumerate(strings):
        if not text:
            continue
        source = sources[1] if index and len(sources) > 1 else sources[0]
        problems += checks.check_text(source, text, phones, markdown=domain == "content",
                                      locale=lang.locale)
        term_problems, term_warnings = checks.check_terms(source, text, lang.babel, terms)
        problems += term_problems
        if warnings is not None:
            warnings += term_warnings
    return problems


def count(directory: Path, lang: Lang, domain: str, phones=(), by_context=False):
    """State of one catalogue (and, with ``by_context``, of each page in it)."""
    path = po_path(directory, lang, domain)
    totals = Counts()
    per_context: dict[str, Counts] = {}
    if not path.exists():
        template = pot_path(directory, domain)
        if template.exists():
            for message in read_catalog(template):
                if message.id:
                    totals.total += 1
                    totals.untranslated += 1
        return (totals, per_context) if by_context else totals
    catalog = read_catalog(path, lang)
    terms = termbase.for_directory(directory)
    reviewers = review.reviewers_for(directory)
    translator = review.translator_id(catalog.last_translator)
    for message in catalog:
        if not message.id:
            continue
        bucket = per_context.setdefault(message.context or "", Counts())
        for counts in (totals, bucket):
            counts.total += 1
        strings = message.string if isinstance(message.string, (list, tuple)) else (
            message.string,)
        if not any(strings):
            state = "untranslated"
        elif message.fuzzy:
            state = "fuzzy"
        else:
            warnings: list[str] = []
            problems = entry_problems(message, lang, domain, phones, terms, warnings)
            state = "failing" if problems else "translated"
            if problems:
                totals.failures.append((message, problems))
            if warnings:
                totals.warnings.append((message, warnings))
                for counts in (totals, bucket):
                    counts.terms += 1
            kinds = review.counted(message, lang.babel, translator, reviewers)
            for counts in (totals, bucket):
                counts.reviewed += bool(kinds)
                counts.reviewed_by_native += "native" in kinds
                for kind in kinds:
                    counts.reviewed_by_kind[kind] += 1
        for counts in (totals, bucket):
            # Failing entries are translated ones the check rejects: a subset.
            if state == "failing":
                counts.failing += 1
                counts.translated += 1
            else:
                setattr(counts, state, getattr(counts, state) + 1)
    return (totals, per_context) if by_context else totals
