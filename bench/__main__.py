"""``make bench``: every bench, one after the other, printing figures.

Environment (defaults from issues 6 and 9):
  BENCH_ONLY               comma-separated sections: weights, throughput, mixed, soak,
                           coldstart, search, slowloris, flood, capacity, hreflang
                           (default: all). Search, capacity and mixed fill issue 20's
                           table, printed at the end.
  BENCH_CAPACITY_SECONDS=30  searches only, straight to gunicorn (issue 20)
  BENCH_SECONDS=30         cached-page throughput run, per server
  BENCH_CONCURRENCY=32
  BENCH_MIXED_SECONDS=60   mixed pages and searches
  BENCH_MIXED_CONCURRENCY=64
  BENCH_SOAK_SECONDS=600   soak; BENCH_SOAK_CONCURRENCY=16
  BENCH_FLOOD_SECONDS=30   searches flooding while /exit is probed (issue 14);
                           BENCH_FLOOD_CONCURRENCY=64
  BENCH_LOADGEN=wrk|python (default: wrk when installed)
  BENCH_SLOW_SOCKETS=1000  slowloris against the frozen nginx, BENCH_SLOW_SECONDS=30;
                           BENCH_SLOW_DIRECT=50 against gunicorn alone, for comparison
  WEB_CONCURRENCY, THREADS  gunicorn workers and threads (deploy/gunicorn.conf.py)

A short run: BENCH_SECONDS=5 BENCH_MIXED_SECONDS=5 BENCH_SOAK_SECONDS=10 make bench
"""

from __future__ import annotations

import importlib
import os
import shutil
import time
import traceback

from . import common, flood, serving, slowloris, table, weights


def _search():
    if not (common.ROOT / "bench" / "search.py").exists():
        common.heading("Search")
        print("bench/search.py is not there yet: skipped")
        return
    importlib.import_module("bench.search").main()


SECTIONS = {
    "weights": lambda workdir: weights.main(),
    "coldstart": serving.coldstart,
    "throughput": serving.throughput,
    "mixed": serving.mixed,
    "soak": serving.soak,
    "search": lambda workdir: _search(),
    "slowloris": slowloris.main,
    "flood": flood.main,
    "capacity": flood.capacity,
    "hreflang": lambda workdir: importlib.import_module("bench.hreflang").main(),
}


def main() -> int:
    chosen = [s.strip() for s in os.environ.get("BENCH_ONLY", "").split(",") if s.strip()]
    unknown = set(chosen) - set(SECTIONS)
    if unknown:
        print(f"unknown BENCH_ONLY sections: {', '.join(sorted(unknown))}; "
              f"known: {', '.join(SECTIONS)}")
        return 2
    print(f"machine: {common.machine()}")
    print(f"load generator: {'wrk' if shutil.which('wrk') else 'Python client'}"
          f"{'' if shutil.which('wrk') else ' (apt-get install wrk for better figures)'}; "
          f"nginx: {'yes' if shutil.which('nginx') else 'no'}")
    failed = []
    workdir = common.scratch()
    started = time.monotonic()
    try:
        for name, run in SECTIONS.items():
            if chosen and name not in chosen:
                continue
            try:
                run(workdir)
            except Exception:  # one broken bench must not hide the others' figures
                failed.append(name)
                traceback.print_exc()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    table.show()
    print(f"\nbenches done in {time.monotonic() - started:.0f} s"
          f"{'; FAILED: ' + ', '.join(failed) if failed else ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
