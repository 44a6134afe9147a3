"""When a periodic check is due: at most once per interval, whichever thread asks."""

from __future__ import annotations

import threading
import time


class Throttle:
    def __init__(self, interval: float):
        self.interval = interval
        self._last = float("-inf")
        self._lock = threading.Lock()

    def due(self) -> bool:
        """True for exactly one caller per interval (always, for an interval of 0)."""
        now = time.monotonic()
        with self._lock:
            if now - self._last < self.interval:
                return False
            self._last = now
            return True

    def reset(self):
        with self._lock:
            self._last = float("-inf")
