"""Full-text search behind one narrow interface: build, search, suggest.

Views only talk to ``get_search()``; the Whoosh details live in ``analysis``
(per-language analysers), ``index`` (building and the atomic swap), ``query`` (safe
query building), ``synonyms`` (the reviewed list of readers' words), ``ranking``,
``snippets`` and ``suggest`` ("did you mean"); ``opened`` keeps a bounded number of
locales' indexes open, ``cache`` recent results.

Serving opens each locale's index read-only when it is first searched, and keeps
at most ``SEARCH_OPEN_INDEXES`` open (the least recently used closed). It checks at
most every ``RELOAD_INTERVAL`` seconds where the ``current`` symlink points, and
opens the new build when it moved.
A missing, corrupt or unreadable index raises ``SearchUnavailable`` (the view answers
503 with the main pages); each fault is logged once, and never with the query.
"""

from __future__ import annotations

import logging
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from flask import Flask
from markupsafe import Markup

from ..config import QUERY_CAP
from ..extensions import extension
from ..i18n import get_i18n
from ..locales import ALL, ENGLISH, Lang
from ..throttle import Throttle
from .cache import ResultCache, normalised
from .opened import Opened

log = logging.getLogger(__name__)

MIN_HITS = 3  # below this, looser matches and then English results are added


class SearchUnavailable(RuntimeError):
    """The index is missing, corrupt or locked: search answers 503, pages carry on."""


@dataclass
class Hit:
    """One result, ready to show."""

    key: str
    kind: str  # page, service, news
    url: str
    title: str
    title_lang: Lang
    snippet: Markup
    snippet_lang: Lang
    english: bool = False  # from the English index, shown under its own heading


@dataclass
class Found:
    hits: list[Hit] = field(default_factory=list)
    english: list[Hit] = field(default_factory=list)
    suggestion: str | None = None
    total: int = 0


_LANGS = {lang.code: lang for lang in ALL}


def _lang(code: str) -> Lang:
    return _LANGS.get(code, ENGLISH)


def _close_files(exc: BaseException):
    """Close files a failed open or read left open (Whoosh does not, on a corrupt TOC)."""
    import io

    from whoosh.filedb.structfile import StructFile

    tb = exc.__traceback__
    while tb is not None:
        for value in list(tb.tb_frame.f_locals.values()):
            if isinstance(value, io.IOBase | StructFile):
                try:
                    value.close()
                except Exception:
                    pass
        tb = tb.tb_next


class WhooshSearch:
    """Searches the built index; notices a swapped build; never writes."""

    def __init__(self, index_dir: str, reload_interval: float = 2.0, result_cap: int = 20,
                 time_limit: float = 0.5, query_cap: int = QUERY_CAP,
                 locales: tuple[str, ...] = (), open_indexes: int = 8,
                 cache_items: int = 512):
        from .index import LINK

        self.link = os.path.join(index_dir, LINK)
        self.reload_interval = reload_interval
        self.result_cap = result_cap
        self.time_limit = time_limit
        self.query_cap = query_cap
        self.locales = set(locales)
        self._throttle = Throttle(self.reload_interval)
        self._opened: Opened | None = None
        self._last_target: str | None = None
        self._lock = threading.Lock()
        self.open_indexes = open_indexes
        self.cache = ResultCache(cache_items)
        self._logged: set = set()

    # Opening ---------------------------------------------------------------------------
    def _current(self) -> Opened:
        opened = self._opened
        if opened is not None and not self._throttle.due():
            return opened
        with self._lock:
            target = os.path.realpath(self.link)
            if target != self._last_target:
                if self._last_target is not None:
                    self._logged.clear()  # a new build: its faults are news again
                self._last_target = target
            old = self._opened
            if old is None or old.target != target:
                self._opened = Opened(target, self.open_indexes)
                if old is not None:
                    old.close()  # searches still running finish on the old build
            return self._opened

    @contextmanager
    def _searcher(self, code: str):
        """A searcher of ``code``'s index (opened on demand) for one search, and the
        index it belongs to (its surface forms and synonyms)."""
        index = self._current().index(code)
        searcher = index.take()
        broken = True
        try:
            yield searcher, index
            broken = False
        finally:
            index.give(searcher, broken=broken)

    def open_codes(self) -> list[str]:
        """The locales whose index is open now, least recently used first."""
        opened = self._opened
        return opened.open_codes() if opened is not None else []

    def _drop(self):
        with self._lock:
            old, self._opened = self._opened, None
            self._throttle.reset()
        if old is not None:
            old.close()

    def _fail(self, code: str, exc: BaseException):
        _close_files(exc)
        key = (exc.__class__.__name__, code)
        if key not in self._logged:
            self._logged.add(key)
            # The class only: a message could carry the reader's words.
            log.error("search unavailable for %s: %s", code, exc.__class__.__name__)
        self._drop()
        raise SearchUnavailable(code) from None

    # Searching -------------------------------------------------------------------------
    def index_code(self, lang: Lang) -> str:
        if lang.code in self.locales or not self.locales:
            return lang.code
        return ENGLISH.code  # pseudo-locales read the English index

    def search(self, lang: Lang, text: str, limit: int = 10) -> Found:
        """Results for ``text`` in ``lang``; English ones follow when few are found.

        Answers come from a bounded cache by (build, language, normalised query)
        when the same search ran lately; the English results are cached under
        English, so the fallback costs a second search only once per query.
        """
        code = self.index_code(lang)
        key = (self._current().target, lang.code, normalised(text, self.query_cap), limit)
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        found = Found()
        hits = self._search_one(lang if code == lang.code else ENGLISH, text, limit, found)
        if len(hits) < MIN_HITS and code != ENGLISH.code:
            seen = {h.key for h in hits}
            try:
                english = self._english(text, limit)
            except SearchUnavailable:  # logged; the reader's own results still stand
                english = []
            found.english = [replace(h, english=True) for h in english
                             if h.key not in seen][: limit - len(hits)]
        found.hits = hits
        found.total = len(found.hits) + len(found.english)
        self.cache.put(key, found)
        return found

    def _english(self, text: str, limit: int) -> list[Hit]:
        """The English index's hits for ``text`` (no suggestion), cached."""
        key = (self._current().target, "en:fallback", normalised(text, self.query_cap), limit)
        hits = self.cache.get(key)
        if hits is None:
            hits = self._search_one(ENGLISH, text, limit, None)
            self.cache.put(key, hits)
        return hits

    def _search_one(self, lang: Lang, text: str, limit: int, found: Found | None
                    ) -> list[Hit]:
        from .query import build_query
        from .ranking import run
        from .snippets import Matcher
        from .suggest import suggestion

        code = lang.code
        hits: list[Hit] = []
        try:
            with self._searcher(code) as (searcher, index):
                built = build_query(text, lang, cap=self.query_cap, synonyms=index.synonyms)
                docs = run(searcher, built, self.result_cap, self.time_limit, limit,
                           index.postings)
                if found is not None and not built.empty:
                    found.suggestion = suggestion(searcher, built, index.surface, index.postings)
                matcher = Matcher(built)
                for _, stored in docs:
                    hits.append(self._hit(stored, built, matcher))
                    if len(hits) >= limit:
                        break
        except Exception as exc:  # missing, corrupt, locked: never a 500
            self._fail(code, exc)
        return hits

    def _hit(self, stored: dict, built, matcher) -> Hit:
        from .snippets import snippet

        langs = stored.get("langs") or {}
        body = (stored.get("body") or "").split("\n")
        body_langs = list(langs.get("body") or [])
        body_langs += [stored.get("locale", ENGLISH.code)] * (len(body) - len(body_langs))
        texts = [(stored.get("summary") or "", langs.get("summary", ENGLISH.code))]
        texts += list(zip(body, body_langs, strict=False))
        passage, code = snippet(texts, built, matcher=matcher, terms=stored.get("terms"))
        return Hit(
            key=stored.get("key", ""),
            kind=stored.get("kind", "page"),
            url=stored.get("url", "/"),
            title=stored.get("title", ""),
            title_lang=_lang(langs.get("title", ENGLISH.code)),
            snippet=passage,
            snippet_lang=_lang(code),
        )


def init_app(app: Flask):
    registry = get_i18n(app).registry
    app.extensions["search"] = WhooshSearch(
        app.config["INDEX_DIR"],
        reload_interval=app.config["RELOAD_INTERVAL"],
        result_cap=app.config["SEARCH_RESULT_CAP"],
        time_limit=app.config["SEARCH_TIME_LIMIT"],
        query_cap=app.config["SEARCH_QUERY_CAP"],
        locales=tuple(lang.code for lang in registry.public),
        open_indexes=app.config["SEARCH_OPEN_INDEXES"],
        cache_items=app.config["SEARCH_CACHE_ITEMS"],
    )


def get_search(app: Flask | None = None) -> WhooshSearch:
    return extension("search", app)
