"""A flood of searches against the quick exit (issue 14): 64 connections of distinct
long searches for 30 s while ``/exit`` and a cached page are probed, through the nginx
of ``flask freeze`` and straight to gunicorn. The goal: through nginx ``/exit`` p99
<= 50 ms; straight to gunicorn ``/exit`` and the cached page p99 <= 250 ms; every
search answered (200, or a fast 503), none timing out. Figures, not a test.

The flood and the probes run in processes of their own, so the probes never wait for
the flood's Python threads. Environment: BENCH_FLOOD_SECONDS (30),
BENCH_FLOOD_CONCURRENCY (64), BENCH_FLOOD_TARGETS (nginx,gunicorn).
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import random
import shutil
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import quote

from portal import create_app
from portal.freeze import brotli_module, freeze, nginx_conf

from . import common, table
from .common import HOST, heading, seconds, setting

CACHED = "/en/get-help-now"
TIMEOUT = 10.0
PROBE_GAP = 0.02


def _words() -> list[str]:
    text = (common.ROOT / "content" / "pages" / "get-help-now.md").read_text(encoding="utf-8")
    words = sorted({w.strip(".,:;()[]*#\"'").lower() for w in text.split()} - {""})
    return [w for w in words if w.isalpha()] or ["help", "work", "passport"]


def _query(rng: random.Random, words: list[str]) -> str:
    """A distinct search near the 200-character cap: nothing a cache could answer."""
    parts = []
    while sum(len(p) + 1 for p in parts) < 180:
        parts.append(rng.choice(words))
    parts.append(f"{rng.randrange(10**6)}")
    return "/en/search?q=" + quote(" ".join(parts))


def _flood(port: int, duration: float, concurrency: int, out):
    words = _words()
    results = {"200": 0, "503": 0, "other": 0, "timeouts": 0, "latencies": [],
               "by_status": {"200": [], "503": []}}
    lock = threading.Lock()
    stop = time.monotonic() + duration

    def worker(seed: int):
        rng = random.Random(seed)
        conn = None
        while time.monotonic() < stop:
            started = time.monotonic()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
                conn.request("GET", _query(rng, words))
                response = conn.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except TimeoutError:
                status = "timeouts"
                conn = None
            except (OSError, http.client.HTTPException):
                status = "other"
                conn = None
            took = time.monotonic() - started
            with lock:
                key = str(status) if status in (200, 503) else (
                    status if isinstance(status, str) else "other")
                results[key] += 1
                results["latencies"].append(took)
                if key in results["by_status"]:
                    results["by_status"][key].append(took)

    threads = [threading.Thread(target=worker, args=(i,), daemon=True)
               for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + TIMEOUT + 5)
    out.put(results)


def _probe(port: int, path: str, duration: float, out):
    latencies, failures = [], 0
    stop = time.monotonic() + duration
    conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    while time.monotonic() < stop:
        started = time.monotonic()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            ok = response.status in (200, 303)
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
        took = time.monotonic() - started
        if ok:
            latencies.append(took)
        else:
            failures += 1
        time.sleep(PROBE_GAP)
    out.put((path, latencies, failures))


def _ms(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] * 1000


def run_flood(label: str, port: int, duration: float, concurrency: int) -> dict:
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    flood = ctx.Process(target=_flood, args=(port, duration, concurrency, queue))
    probes = [ctx.Process(target=_probe, args=(port, path, duration, queue))
              for path in ("/exit", CACHED)]
    for process in (flood, *probes):
        process.start()
    results = [queue.get(timeout=duration + 60) for _ in range(3)]
    for process in (flood, *probes):
        process.join(30)
    found = {}
    for item in results:
        if isinstance(item, dict):
            found["search"] = item
        else:
            path, latencies, failures = item
            found[path] = (latencies, failures)
    search = found["search"]
    print(f"{label}:")
    for path in ("/exit", CACHED):
        latencies, failures = found[path]
        print(f"  {path:<18} {len(latencies):>5} probes  p50 {_ms(latencies, 50):7.1f} ms"
              f"  p99 {_ms(latencies, 99):7.1f} ms  max {max(latencies, default=0) * 1000:7.1f}"
              f" ms  failed {failures}")
    total = sum(search[k] for k in ("200", "503", "other", "timeouts"))
    print(f"  searches           {total:>5} sent  200: {search['200']}  503: {search['503']}"
          f"  other: {search['other']}  timeouts: {search['timeouts']}  "
          f"p50 {_ms(search['latencies'], 50):.0f} ms  p99 {_ms(search['latencies'], 99):.0f} ms",
          flush=True)
    return found


def _describe(tail: str):
    """The app the bench starts, and a line saying how gunicorn and search are set."""
    app = create_app({"RELOAD_INTERVAL": 2.0, "PUBLIC_URL": common.PUBLIC_URL})
    print(f"gunicorn gthread, {os.environ.get('WEB_CONCURRENCY') or max(2, common.cores())} "
          f"workers x {os.environ.get('THREADS', '4')} threads; "
          f"{app.config['SEARCH_SLOTS']} search slots per worker, "
          f"{app.config['SEARCH_SLOT_WAIT'] * 1000:.0f} ms wait; "
          + tail.format(**app.config))
    return app


def main(workdir: Path):
    duration = seconds("FLOOD_SECONDS", 30)
    concurrency = int(setting("FLOOD_CONCURRENCY", 64))
    heading(f"A flood of searches vs the exit (c={concurrency} searches, {duration:.0f} s)")
    app = _describe(f"the load runs on the same {common.cores()} cores")
    portal = common.gunicorn("portal:create_app()", "flood", workdir)
    with common.running(portal, "/languages"):
        for path in (CACHED, "/exit", "/en/search?q=help"):
            common.wait_for(portal.port, path)
        targets = os.environ.get("BENCH_FLOOD_TARGETS", "nginx,gunicorn").split(",")
        if "nginx" not in targets:
            pass
        elif shutil.which("nginx"):
            export_dir, port = workdir / "flood-export", common.free_port()
            user = "root" if os.geteuid() == 0 else None
            export = freeze(app, export_dir, codes=["en"], listen=f"{HOST}:{port}",
                            upstream=f"{HOST}:{portal.port}", brotli=brotli_module(), user=user)
            conf = workdir / "flood-nginx.conf"
            conf.write_text(nginx_conf(export, export_dir, listen=f"{HOST}:{port}",
                                       upstream=f"{HOST}:{portal.port}",
                                       runtime=workdir / "flood-nginx-run",
                                       brotli=brotli_module(), user=user))
            (workdir / "flood-nginx-run").mkdir(exist_ok=True)
            server = common.nginx(conf, "flood-nginx")
            with common.running(server, CACHED):
                run_flood("through the frozen nginx (limit_req on search; /exit answered "
                          "by nginx)", server.port, duration, concurrency)
        else:
            print("nginx is not installed (apt-get install nginx): skipped")
        if "gunicorn" in targets:
            run_flood("straight to gunicorn", portal.port, duration, concurrency)


def capacity(workdir: Path):
    """Issue 20: how many distinct long searches a second gunicorn answers 200, with the
    search slots on, and how fast; the quick 503s (no free slot) counted apart."""
    duration = seconds("CAPACITY_SECONDS", 30)
    concurrency = int(setting("FLOOD_CONCURRENCY", 64))
    heading(f"Search capacity: gunicorn, c={concurrency} distinct long searches, "
            f"{duration:.0f} s")
    _describe("result cache {SEARCH_CACHE_ITEMS} (every query here is new); "
              f"load generator on the same {common.cores()} cores")
    portal = common.gunicorn("portal:create_app()", "capacity", workdir)
    with common.running(portal, "/languages"):
        for path in (CACHED, "/exit", "/en/search?q=help"):
            common.wait_for(portal.port, path)
        found = run_flood("straight to gunicorn", portal.port, duration, concurrency)
    search = found["search"]
    ok, busy = search["by_status"]["200"], search["by_status"]["503"]
    errors = search["other"] + search["timeouts"]
    exits, _ = found["/exit"]
    print(f"  answered 200: {len(ok) / duration:.1f} searches/s, p50 {_ms(ok, 50):.0f} ms, "
          f"p99 {_ms(ok, 99):.0f} ms; fast 503: {len(busy) / duration:.1f}/s, "
          f"p99 {_ms(busy, 99):.0f} ms; errors {errors}")
    table.record("gunicorn, 64 connections of distinct long searches",
                 f"{len(ok) / duration:.1f} searches/s answered 200, p99 {_ms(ok, 99):.0f} ms, "
                 f"{errors} errors; 503s {len(busy) / duration:.1f}/s (p99 "
                 f"{_ms(busy, 99):.0f} ms); /exit p99 {_ms(exits, 99):.0f} ms")
