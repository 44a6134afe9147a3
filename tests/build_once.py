"""Expensive test fixtures built once per run, not once per pytest-xdist worker.

xdist runs session fixtures in every worker; this builds a directory once under the
run's shared temporary root (every worker's ``getbasetemp().parent``), behind a file
lock, and lets the other workers reuse it.
"""

from __future__ import annotations

import fcntl
import shutil
from collections.abc import Callable
from pathlib import Path

DONE = ".built"


def built_once(tmp_path_factory, name: str, build: Callable[[Path], None]) -> Path:
    """``build(directory)`` run once for the whole run; returns the directory."""
    base = tmp_path_factory.getbasetemp()
    # Under xdist each worker's base is <run root>/popen-gw<N>; alone, it is the root.
    root = base.parent if base.name.startswith("popen-gw") else base
    target = root / f"shared-{name}"
    with open(root / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not (target / DONE).exists():
                shutil.rmtree(target, ignore_errors=True)  # a build that failed half-way
                target.mkdir(parents=True)
                build(target)
                (target / DONE).touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return target
