"""Recent search results, by (build, language, normalised query), in a bounded LRU."""

from __future__ import annotations

import threading
import unicodedata
from collections import OrderedDict


class ResultCache:
    """A bounded LRU of search results by (build, language, normalised query)."""

    def __init__(self, capacity: int):
        self.capacity = max(0, int(capacity))
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        if not self.capacity:
            return None
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key, value):
        if not self.capacity:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def clear(self):
        with self._lock:
            self._items.clear()

    def __len__(self):
        return len(self._items)


def normalised(text: str, cap: int) -> str:
    """The query as the cache knows it: cut, NFKC, case-folded, spaces collapsed.
    Anything that changes only these gives the same results."""
    from .query import clean

    return " ".join(unicodedata.normalize("NFKC", clean(text, cap)).casefold().split())


