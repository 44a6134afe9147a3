"""The content store: pages, services and contacts loaded from ``content/``.

State lives in ``app.extensions["content"]`` (``get_content()``). Files are re-read
when they change, so editors see their change without a restart; a file that cannot
be read takes only itself down (its page answers 503) and is logged once.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import yaml
from flask import Flask

from .extensions import extension
from .pages import ContentError, Page, load_page
from .phones import PhoneBook, load_contacts
from .services import Service, load_service
from .throttle import Throttle

log = logging.getLogger(__name__)


class ContentStore:
    def __init__(self, root: Path, reload_interval: float = 2.0):
        self.root = Path(root)
        self.reload_interval = reload_interval
        self.pages: dict[str, Page] = {}
        self.services: dict[str, Service] = {}
        self.news: dict[str, Page] = {}
        self.broken: dict[str, str] = {}
        self.phonebook = PhoneBook([])
        self.partners: list[dict] = []
        self.generation = 0
        self._signature = None
        self._throttle = Throttle(reload_interval)
        self._lock = threading.Lock()
        self._logged: set[str] = set()
        self.load()

    # Loading ------------------------------------------------------------------------
    def _files(self):
        for sub, pattern in (("pages", "*.md"), ("services", "*.yaml"), ("news", "*.md")):
            folder = self.root / sub
            if folder.is_dir():
                yield from sorted(folder.glob(pattern))
        for name in ("contacts.yaml", "partners.yaml"):
            if (self.root / name).exists():
                yield self.root / name

    def signature(self):
        entries = []
        for path in self._files():
            try:
                stat = path.stat()
            except OSError:
                continue
            entries.append((str(path), stat.st_mtime_ns, stat.st_size))
        return tuple(entries)

    def load(self):
        pages, services, news, broken = {}, {}, {}, {}
        for path in sorted((self.root / "pages").glob("*.md")):
            try:
                pages[path.stem] = load_page(path)
            except ContentError as exc:
                broken[f"page:{path.stem}"] = str(exc)
        for path in sorted((self.root / "news").glob("*.md")):
            try:
                news[path.stem] = load_page(path, kind="news")
            except ContentError as exc:
                broken[f"news:{path.stem}"] = str(exc)
        for path in sorted((self.root / "services").glob("*.yaml")):
            try:
                services[path.stem] = load_service(path)
            except ContentError as exc:
                broken[f"service:{path.stem}"] = str(exc)
        contacts_path = self.root / "contacts.yaml"
        try:
            phonebook = PhoneBook(load_contacts(contacts_path))
        except Exception as exc:  # a broken contacts file must not take the site down
            broken["contacts"] = f"{contacts_path}: {exc.__class__.__name__}"
            phonebook = PhoneBook([])
        partners = self._load_partners(broken)
        for key, message in broken.items():
            if key not in self._logged:
                self._logged.add(key)
                log.error("content unavailable: %s", message)
        self.pages, self.services, self.news, self.broken = pages, services, news, broken
        self.phonebook, self.partners = phonebook, partners
        self._signature = self.signature()
        self.generation += 1

    def _load_partners(self, broken: dict) -> list[dict]:
        """Member organisations from ``partners.yaml`` (names stay in English)."""
        path = self.root / "partners.yaml"
        if not path.exists():
            return []
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            broken["partners"] = f"{path}: {exc.__class__.__name__}"
            return []
        return [p for p in data if isinstance(p, dict) and p.get("name")]

    def refresh(self):
        """Reload when a file changed; cheap enough to call on every request."""
        if not self._throttle.due():
            return
        with self._lock:
            if self.signature() != self._signature:
                self.load()

    # Queries ------------------------------------------------------------------------
    def sorted_pages(self, audience: str | None = None) -> list[Page]:
        pages = [p for p in self.pages.values() if audience in (None, p.audience)]
        return sorted(pages, key=lambda p: (p.order, p.slug))

    def sorted_news(self) -> list[Page]:
        return sorted(self.news.values(), key=lambda p: (str(p.meta.get("date")), p.slug),
                      reverse=True)

    def all_blocks(self):
        for page in self.pages.values():
            yield from page.blocks
        for service in self.services.values():
            yield from service.blocks
        for item in self.news.values():
            yield from item.blocks


def init_app(app: Flask):
    store = ContentStore(
        Path(app.config["CONTENT_DIR"]), reload_interval=app.config["RELOAD_INTERVAL"]
    )
    app.extensions["content"] = store

    @app.before_request
    def _refresh_content():
        store.refresh()


def get_content(app: Flask | None = None) -> ContentStore:
    return extension("content", app)

