"""Defaults. The instance folder's ``config.py``, then ``PORTAL_*`` environment
variables (``PORTAL_EXIT_URL=…``; JSON values such as ``true`` are parsed), then test
overrides are layered on top by ``create_app``."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Characters of a search query kept; the rest is cut before anything parses it.
QUERY_CAP = 200


def defaults() -> dict:
    return {
        "CONTENT_DIR": str(ROOT / "content"),
        "TRANSLATIONS_DIR": str(ROOT / "translations"),
        "INDEX_DIR": str(ROOT / "build" / "search"),
        "STATIC_DIR": str(ROOT / "static"),
        # Where the quick exit lands: a neutral page that shows nothing personal.
        "EXIT_URL": "https://www.bbc.co.uk/weather",
        "PSEUDO_LOCALES": False,
        # Seconds between cheap checks for changed content and catalogues.
        "RELOAD_INTERVAL": 2.0,
        "HSTS": False,
        # Number of proxies in front whose X-Forwarded-* headers are trusted.
        "TRUSTED_PROXIES": 0,
        # The portal accepts no uploads or forms that post: any body is tiny.
        "MAX_CONTENT_LENGTH": 16 * 1024,
        "MAX_FORM_MEMORY_SIZE": 16 * 1024,
        "MAX_URL_LENGTH": 2048,
        "SEARCH_QUERY_CAP": QUERY_CAP,
        "SEARCH_RESULT_CAP": 20,
        "SEARCH_TIME_LIMIT": 0.5,
        # Searches at once per worker (a worker per core, 4 threads each), and searches
        # that may wait SEARCH_SLOT_WAIT seconds for a slot: one thread always stays free
        # for pages and the exit. Any other search gets a 503 at once, with Retry-After.
        "SEARCH_SLOTS": 1,
        "SEARCH_SLOT_WAITERS": 2,
        "SEARCH_SLOT_WAIT": 0.25,
        "SEARCH_RETRY_AFTER": 10,
        # Locales whose search index a worker keeps open at once (opened on demand,
        # the least recently used closed): search memory stays flat as languages grow.
        "SEARCH_OPEN_INDEXES": 6,
        # Recent searches answered from memory, by (language, normalised query).
        "SEARCH_CACHE_ITEMS": 256,
        "PAGE_CACHE_ITEMS": 4096,
        # Brotli effort for pages rendered on request (11 costs ~50 ms a page, 5 about
        # 2 ms for a few per cent more bytes); `flask freeze` always exports at 11.
        "BROTLI_QUALITY": 5,
        # Bytes the rendered-page cache may hold (plain, gzip and brotli together).
        "PAGE_CACHE_BYTES": 64 * 1024 * 1024,
        "TRAINING_EMAIL": "",
        # How readers reach the partnership (not for help: the pages give numbers).
        "CONTACT_EMAIL": "",
        # The site's absolute origin (https://…): the only source of absolute URLs.
        # None here; `make run` supplies http://127.0.0.1:$PORT, production must set it.
        "PUBLIC_URL": None,
        "NEWS_PER_PAGE": 10,
    }
