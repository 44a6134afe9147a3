"""Open indexes: each locale's index opened read-only on first use, at most a
configured number at once (the least recently used closed), so a worker's memory
stays flat however many languages the portal serves."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from pathlib import Path


class LocaleIndex:
    """One locale's index of one build, open read-only, with the searchers not in use.

    A searcher serves one thread at a time: it is taken from ``idle`` (or opened) for
    one search and given back after, so a worker holds at most as many per index as
    it runs searches at once. Once evicted, the index closes as soon as no search
    holds one of its searchers.
    """

    def __init__(self, path: Path):
        from whoosh.filedb.filestore import FileStorage

        from .index import INDEX_NAME, SURFACE, SYNONYMS
        from .postings import Postings
        from .synonyms import Synonyms

        if not path.is_dir():
            raise FileNotFoundError(path.name)
        self.ix = FileStorage(str(path), readonly=True).open_index(INDEX_NAME)
        self.surface = _read_json(path / SURFACE)
        self.synonyms = Synonyms.from_json(_read_json(path / SYNONYMS), path.name)
        self.postings = Postings()  # what its searches looked up, kept while it is open
        self.idle: list = []
        self.busy = 0
        self.evicted = False
        self.lock = threading.Lock()

    def take(self):
        with self.lock:
            self.busy += 1
            if self.idle:
                return self.idle.pop()
        try:
            return self.ix.searcher()
        except BaseException:
            with self.lock:
                self.busy -= 1
            raise

    def give(self, searcher, broken: bool = False):
        with self.lock:
            self.busy -= 1
            if not (broken or self.evicted):
                self.idle.append(searcher)
                return
            close = self.evicted and self.busy == 0
        _quietly_close(searcher)
        if close:
            self.close()

    def evict(self):
        with self.lock:
            self.evicted = True
            idle, self.idle = self.idle, []
            close = self.busy == 0
        for searcher in idle:
            _quietly_close(searcher)
        if close:
            self.close()

    def close(self):
        _quietly_close(self.ix)


def _quietly_close(thing):
    try:
        thing.close()
    except Exception:  # an old build's files may be gone: nothing to keep
        pass


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


class Opened:
    """One build's indexes, opened read-only on first use, per locale; at most
    ``keep`` of them at once, the least recently used closed first."""

    def __init__(self, target: str, keep: int):
        self.target = target
        self.keep = max(1, int(keep))
        self.indexes: OrderedDict[str, LocaleIndex] = OrderedDict()
        self.lock = threading.Lock()

    def index(self, code: str) -> LocaleIndex:
        with self.lock:
            index = self.indexes.get(code)
            if index is not None:
                self.indexes.move_to_end(code)
                return index
        # Opened outside the lock: a slow disk must not hold up other languages.
        index = LocaleIndex(Path(self.target) / code)
        evicted = []
        with self.lock:
            present = self.indexes.get(code)
            if present is not None:  # another thread opened it meanwhile
                evicted.append(index)
                index = present
            else:
                self.indexes[code] = index
            self.indexes.move_to_end(code)
            while len(self.indexes) > self.keep:
                evicted.append(self.indexes.popitem(last=False)[1])
        for old in evicted:
            old.evict()
        return index

    def open_codes(self) -> list[str]:
        with self.lock:
            return list(self.indexes)

    def close(self):
        with self.lock:
            indexes, self.indexes = list(self.indexes.values()), OrderedDict()
        for index in indexes:
            index.evict()


