"""Compiled catalogues per language and domain, with unsafe entries quarantined.

Every entry is checked when its ``.mo`` file is loaded (not per request): an entry
that fails ``checks`` is dropped, so the English source is served in its place, and
the failure is logged once. A catalogue that will not load leaves its language to
fall back block by block; the site stays up. Files are re-read when they change, in
every worker, without a restart.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from babel.support import NullTranslations, Translations

from . import checks, termbase
from .locales import Lang
from .throttle import Throttle

log = logging.getLogger(__name__)

DOMAINS = ("messages", "content")
_CTX_SEP = "\x04"


@dataclass
class Catalog:
    """One language's compiled catalogue of one domain, as safe to serve."""

    lang: Lang
    domain: str
    translations: NullTranslations
    headers: dict[str, str] = field(default_factory=dict)
    quarantined: dict[tuple[str | None, str], list[str]] = field(default_factory=dict)
    error: str | None = None
    mtime: float | None = None

    def lookup(self, context: str | None, msgid: str) -> str | None:
        """The safe translation of one message, or None when English must be shown."""
        table = getattr(self.translations, "_catalog", None)
        if not table:
            return None
        key = f"{context}{_CTX_SEP}{msgid}" if context else msgid
        value = table.get(key)
        return value or None

    @property
    def review_status(self) -> str:
        return (self.headers.get("x-review-status") or "draft").strip().lower()

    @property
    def reviewed_by(self) -> str:
        return (self.headers.get("x-reviewed-by") or "").strip()

    @property
    def is_draft(self) -> bool:
        return self.review_status != "reviewed"

    def __len__(self) -> int:
        return len(getattr(self.translations, "_catalog", {}) or {})


def mo_path(directory: Path, lang: Lang, domain: str) -> Path:
    return Path(directory) / lang.babel / "LC_MESSAGES" / f"{domain}.mo"


def po_path(directory: Path, lang: Lang, domain: str) -> Path:
    return Path(directory) / lang.babel / "LC_MESSAGES" / f"{domain}.po"


_PO_HEADER = re.compile(r'^"(X-[\w-]+): (.*)\\n"$', re.M)


def review_headers(directory: Path, lang: Lang, domain: str) -> dict[str, str]:
    """The X-Review-* headers, read from the PO file: compiling drops unknown headers."""
    path = po_path(directory, lang, domain)
    try:
        with path.open(encoding="utf-8") as fp:
            head = fp.read(4096)
    except (OSError, UnicodeDecodeError):
        return {}
    return {k.lower(): v for k, v in _PO_HEADER.findall(head)}


def _split_key(msgid: str) -> tuple[str | None, str]:
    """gettext keeps ``context\x04source``; give back (context or None, source)."""
    context, sep, source = msgid.rpartition(_CTX_SEP)
    return (context or None, source) if sep else (None, msgid)


def quarantine(
    translations: Translations, lang: Lang, domain: str, phones: list[str], terms=None
) -> dict[tuple[str | None, str], list[str]]:
    """Drop every entry that fails a check (or uses a rendering the termbase
    forbids); return what was dropped and why."""
    table = translations._catalog  # gettext's own table: the only copy we serve from
    found: dict[tuple[str | None, str], list[str]] = {}
    plural_forms: dict[str, list] = {}
    for key, value in list(table.items()):
        if key == "":
            continue
        if isinstance(key, tuple):
            plural_forms.setdefault(key[0], []).append(key)
            msgid = key[0]
        else:
            msgid = key
        context, source = _split_key(msgid)
        problems = checks.check_text(source, value, phones, markdown=domain == "content",
                                     locale=lang.locale)
        problems += checks.check_terms(source, value, lang.babel, terms)[0]
        if problems:
            found.setdefault((context, source), []).extend(problems)
            del table[key]
    expected = checks.plural_count(lang.locale)
    for msgid, keys in plural_forms.items():
        filled = [key for key in keys if key in table and table[key]]
        if len(filled) != expected:
            found.setdefault(_split_key(msgid), []).extend(
                checks.check_plural_count(len(filled), lang.locale)
            )
            for key in keys:
                table.pop(key, None)
    return found


def load_catalog(directory: Path, lang: Lang, domain: str, phones: list[str]) -> Catalog:
    path = mo_path(directory, lang, domain)
    if not path.exists():
        return Catalog(lang, domain, NullTranslations(), error=None, mtime=None)
    try:
        mtime = path.stat().st_mtime
        with path.open("rb") as fp:
            translations = Translations(fp, domain=domain)
        headers = dict(translations.info())
        headers.update(review_headers(directory, lang, domain))
    except Exception as exc:  # any corrupt file: fall back to English, never a 500
        return Catalog(
            lang, domain, NullTranslations(),
            error=f"{path.name} could not be loaded ({exc.__class__.__name__})",
            mtime=None,
        )
    found = quarantine(translations, lang, domain, phones, termbase.for_directory(directory))
    return Catalog(lang, domain, translations, headers=headers, quarantined=found, mtime=mtime)


class CatalogStore:
    """All catalogues of one app, reloaded when their compiled files change."""

    def __init__(
        self,
        directory: Path,
        langs,
        phones: Callable[[], list[str]] = list,
        reload_interval: float = 2.0,
        pseudo_factory: Callable[[Lang, str], Catalog] | None = None,
    ):
        self.directory = Path(directory)
        self.langs = list(langs)
        self.phones = phones
        self.reload_interval = reload_interval
        self.pseudo_factory = pseudo_factory
        self._catalogs: dict[tuple[str, str], Catalog] = {}
        self._throttle = Throttle(reload_interval)
        self._lock = threading.Lock()
        self._logged: set[tuple] = set()
        self.generation = 0
        self.load_all()

    def _load(self, lang: Lang, domain: str) -> Catalog:
        if lang.pseudo and self.pseudo_factory:
            return self.pseudo_factory(lang, domain)
        catalog = load_catalog(self.directory, lang, domain, self.phones())
        self._report(catalog)
        return catalog

    def _report(self, catalog: Catalog):
        """Log each fault once per process, never per request."""
        if catalog.error:
            key = (catalog.lang.code, catalog.domain, "error", catalog.error)
            if key not in self._logged:
                self._logged.add(key)
                log.error("catalogue %s/%s: %s; English is served instead",
                          catalog.lang.code, catalog.domain, catalog.error)
        for (context, source), problems in catalog.quarantined.items():
            key = (catalog.lang.code, catalog.domain, context, source, tuple(problems))
            if key not in self._logged:
                self._logged.add(key)
                log.warning("quarantined %s/%s %s %r: %s", catalog.lang.code, catalog.domain,
                            context or "-", source[:40], "; ".join(problems))

    def load_all(self):
        catalogs = {}
        for lang in self.langs:
            for domain in DOMAINS:
                catalogs[(lang.code, domain)] = self._load(lang, domain)
        self._catalogs = catalogs
        self.generation += 1

    def get(self, lang: Lang, domain: str) -> Catalog:
        catalog = self._catalogs.get((lang.code, domain))
        if catalog is None:
            catalog = self._load(lang, domain)
            self._catalogs[(lang.code, domain)] = catalog
        return catalog

    def _stale(self) -> list[tuple[str, str]]:
        stale = []
        for (code, domain), catalog in self._catalogs.items():
            if catalog.lang.pseudo:
                continue
            path = mo_path(self.directory, catalog.lang, domain)
            try:
                mtime = path.stat().st_mtime
            except OSError:
                mtime = None
            if mtime != catalog.mtime or (mtime is None and catalog.error):
                stale.append((code, domain))
        return stale

    def refresh(self):
        """Reload changed catalogues: a stat per file at most every few seconds."""
        if not self._throttle.due():
            return
        with self._lock:
            stale = self._stale()
            if not stale:
                return
            catalogs = dict(self._catalogs)
            for code, domain in stale:
                lang = catalogs[(code, domain)].lang
                catalogs[(code, domain)] = self._load(lang, domain)
            self._catalogs = catalogs
            self.generation += 1

    def reload_now(self):
        self._throttle.reset()
        with self._lock:
            self.load_all()
