"""Search slots: a bounded number of searches at once in each worker, never a queue.

A flood of searches must not delay the quick exit or a cached page: they share the
worker's threads. A search that finds no free slot waits a moment (a few at most), then
is answered at once with a 503 (the "search is not working" page, which carries the exit and the
numbers) and ``Retry-After``, so the threads stay free for everything else.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from flask import Flask, current_app


class Busy(Exception):
    """Every search slot of this worker is taken."""


class Slots:
    """``count`` searches at once; ``waiters`` more may wait up to ``wait`` seconds for a
    slot. Any other is refused at once: a thread waiting is a thread the exit cannot
    have, so slots and waiters together stay below the worker's threads."""

    def __init__(self, count: int, wait: float, waiters: int = 1):
        self.count = max(1, int(count))
        self.wait = max(0.0, float(wait))
        self._free = threading.BoundedSemaphore(self.count)
        self._waiting = threading.BoundedSemaphore(max(1, int(waiters)))

    @contextmanager
    def hold(self):
        """One slot for the ``with`` block, or ``Busy``."""
        if not self._free.acquire(blocking=False):
            if not self._waiting.acquire(blocking=False):
                raise Busy()
            try:
                got = self._free.acquire(timeout=self.wait)
            finally:
                self._waiting.release()
            if not got:
                raise Busy()
        try:
            yield
        finally:
            self._free.release()


def init_app(app: Flask):
    app.extensions["search_slots"] = Slots(app.config["SEARCH_SLOTS"],
                                           app.config["SEARCH_SLOT_WAIT"],
                                           app.config["SEARCH_SLOT_WAITERS"])


def get_slots() -> Slots:
    return current_app.extensions["search_slots"]
