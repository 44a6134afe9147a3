"""The portal under gunicorn (and nginx over the frozen export): throughput against a
bare Flask app, a mixed load of pages and searches, a soak, cold start and memory."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

from portal import create_app
from portal.freeze import brotli_module, freeze, nginx_conf, seeds

from . import common, table
from .common import BIN, HOST, ROOT, heading, rss_mib, seconds, setting

# A few words in each wave-1 language ("help", "work", "passport", "police" ...).
SEARCH_TERMS = (
    "help", "passport", "work no pay", "police", "modern slavery", "helpline", "money",
    "ndihmë", "pasaportë", "giúp đỡ", "hộ chiếu", "ሓገዝ", "مساعدة", "جواز سفر", "caawimo",
    "کمک", "پاسپورت", "مرسته", "ajutor", "pașaport", "pomoc", "paszport", "帮助", "护照",
    "मदद", "पासपोर्ट",
)
SEARCH_SHARE = 5  # one request in this many is a search


def _app():
    return create_app({"RELOAD_INTERVAL": 2.0, "PUBLIC_URL": common.PUBLIC_URL})


def _codes(app) -> list[str]:
    return [lang.code for lang in app.extensions["i18n"].registry.public]


def cached_paths(app) -> list[str]:
    store = app.extensions["content"]
    page = "get-help-now" if "get-help-now" in store.pages else next(iter(store.pages))
    paths = ["/languages"]
    for code in _codes(app):
        paths += [f"/{code}/", f"/{code}/{page}", f"/{code}/services", f"/{code}/card"]
    return paths


def mixed_paths(app, variants: bool = False) -> list[str]:
    pages = seeds(app)
    codes = _codes(app)
    searches = [f"/{codes[i % len(codes)]}/search?q={quote(term)}"
                for i, term in enumerate(SEARCH_TERMS * 3)]
    if variants:  # side by side and filtered lists: more cache entries, as in real use
        store = app.extensions["content"]
        pages += [f"/{code}/{slug}?with=en" for code in codes if code != "en"
                  for slug in store.pages]
        pages += [f"/{code}/services?need={need}" for code in codes
                  for need in ("help-now", "work", "legal", "children")]
    mixed = []
    for i, path in enumerate(pages):
        mixed.append(path)
        if i % (SEARCH_SHARE - 1) == 0:
            mixed.append(searches[(i // (SEARCH_SHARE - 1)) % len(searches)])
    return mixed


def warm(port: int, paths: list[str], rounds: int = 4, limit_s: float = 240.0):
    """Fill the workers' page caches: each path a few times, each on a new connection
    (a kept-alive one stays with one worker), bounded in time."""
    deadline = time.monotonic() + limit_s
    chunks = [paths[i::8] for i in range(8)]

    def run(chunk):
        for _ in range(rounds):
            for path in chunk:
                if time.monotonic() > deadline:
                    return
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
                try:
                    conn.request("GET", path, headers={"Accept-Encoding": "br",
                                                       "Connection": "close"})
                    conn.getresponse().read()
                except (OSError, http.client.HTTPException):
                    pass
                finally:
                    conn.close()

    threads = [threading.Thread(target=run, args=(chunk,), daemon=True) for chunk in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(limit_s + 30)


def gunicorn_settings() -> str:
    workers = os.environ.get("WEB_CONCURRENCY") or max(2, common.cores())
    return f"gunicorn gthread, {workers} workers x {os.environ.get('THREADS', '4')} threads"


# Throughput ----------------------------------------------------------------------------

def throughput(workdir: Path):
    duration = seconds("SECONDS", 30)
    concurrency = int(setting("CONCURRENCY", 32))
    heading(f"Cached pages: portal vs hello world vs nginx (c={concurrency}, {duration:.0f} s)")
    print(f"{gunicorn_settings()}; the load generator runs on the same {common.cores()} "
          "cores, so every figure is a floor")
    app = _app()
    paths = cached_paths(app)
    results = {}
    portal = common.gunicorn("portal:create_app()", "portal", workdir)
    with common.running(portal, "/languages"):
        warm(portal.port, paths)
        results["portal"] = common.load(portal.port, paths, duration, concurrency)
        print(results["portal"].line(f"portal ({len(paths)} cached pages)"), flush=True)
        if shutil.which("nginx"):
            export_dir = workdir / "export"
            port = common.free_port()
            export = freeze(app, export_dir, listen=f"{HOST}:{port}",
                            upstream=f"{HOST}:{portal.port}", brotli=brotli_module(),
                            user="root" if os.geteuid() == 0 else None)
            conf = workdir / "nginx.conf"
            conf.write_text(nginx_conf(export, export_dir, listen=f"{HOST}:{port}",
                                       upstream=f"{HOST}:{portal.port}",
                                       runtime=workdir / "nginx-run", brotli=brotli_module(),
                                       user="root" if os.geteuid() == 0 else None))
            (workdir / "nginx-run").mkdir(exist_ok=True)
            server = common.nginx(conf)
            with common.running(server, "/languages"):
                results["nginx"] = common.load(server.port, paths, duration, concurrency)
                print(results["nginx"].line("nginx, frozen export"), flush=True)
        else:
            print("nginx is not installed (apt-get install nginx): skipped")
    hello = common.gunicorn("bench.hello:app", "hello", workdir)
    with common.running(hello, "/"):
        results["hello"] = common.load(hello.port, ["/"], duration, concurrency)
        print(results["hello"].line("bare Flask hello world"), flush=True)
    p, h = results["portal"], results["hello"]
    if h.rps:
        print(f"portal / hello world: {p.rps / h.rps:.2f}x the requests/s, "
              f"p50 {p.p50_ms / h.p50_ms:.2f}x, p99 {p.p99_ms / h.p99_ms:.2f}x")
    if "nginx" in results and p.rps:
        n = results["nginx"]
        print(f"nginx / portal: {n.rps / p.rps:.1f}x the requests/s, "
              f"p50 {n.p50_ms / p.p50_ms:.2f}x, p99 {n.p99_ms / p.p99_ms:.2f}x")


# Mixed load and soak (issue 9) -----------------------------------------------------------

def mixed(workdir: Path):
    duration = seconds("MIXED_SECONDS", 60)
    concurrency = int(setting("MIXED_CONCURRENCY", 64))
    heading(f"Mixed pages and searches under gunicorn (c={concurrency}, {duration:.0f} s)")
    app = _app()
    paths = mixed_paths(app)
    searches = sum("/search?" in p for p in paths)
    print(f"{gunicorn_settings()}; {len(paths)} URLs, {searches} of them searches")
    portal = common.gunicorn("portal:create_app()", "mixed", workdir)
    with common.running(portal, "/languages"):
        started = time.monotonic()
        warm(portal.port, [p for p in paths if "/search?" not in p])
        print(f"(page caches filled in {time.monotonic() - started:.0f} s)")
        result = common.load(portal.port, paths, duration, concurrency)
        print(result.line("portal, mixed"))
        print(f"errors: {result.errors} (goal 0)" + ("" if result.errors else ", none")
              + f"; fast 503s (search slots full): {result.shed}")
        table.record("mixed pages + 20% searches, c=64",
                     f"{result.rps:,.0f} req/s, p99 {result.p99_ms:.0f} ms, "
                     f"{result.errors} errors, {result.shed} fast 503s")
        _explain_errors(portal.port, paths, result.errors)


def _explain_errors(port: int, paths: list[str], errors: int):
    if not errors:
        return
    statuses: dict[int, int] = {}
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    for path in paths[:400]:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        if response.status >= 400:
            kind = "search" if "/search?" in path else "page"
            key = f"{response.status} {kind}"
            statuses[key] = statuses.get(key, 0) + 1
    conn.close()
    print(f"statuses >= 400 on one pass over the first 400 URLs: {statuses or 'none'}")


def soak(workdir: Path):
    duration = seconds("SOAK_SECONDS", 600)
    concurrency = int(setting("SOAK_CONCURRENCY", 16))
    heading(f"Soak: mixed load for {duration:.0f} s (c={concurrency}), memory per worker")
    app = _app()
    paths = mixed_paths(app, variants=True)
    print(f"{gunicorn_settings()}; {len(paths)} URLs incl. side by side, filters, searches")
    portal = common.gunicorn("portal:create_app()", "soak", workdir)
    with common.running(portal, "/languages"):
        warm(portal.port, [p for p in paths if "/search?" not in p])
        workers = portal.workers()
        start = {pid: rss_mib(pid) for pid in workers}
        samples: list[str] = []
        outcome = {}
        runner = threading.Thread(
            target=lambda: outcome.update(
                load=common.load(portal.port, paths, duration, concurrency)),
            daemon=True)
        runner.start()
        step = max(duration / 5, 1.0)
        began = time.monotonic()
        while runner.is_alive() and time.monotonic() - began < duration + 120:
            runner.join(step)
            now = ", ".join(f"{rss_mib(pid):.1f}" for pid in workers)
            samples.append(f"{time.monotonic() - began:6.0f} s: {now} MiB")
        end = {pid: rss_mib(pid) for pid in workers}
        result = outcome.get("load")
        if result:
            print(result.line("portal, soak"))
        print("resident memory per worker (MiB), after warm-up -> end:")
        for pid in workers:
            alive = " (restarted?)" if pid not in portal.workers() else ""
            print(f"  worker {pid}: {start[pid]:.1f} -> {end[pid]:.1f} "
                  f"({end[pid] - start[pid]:+.1f}){alive}")
        print("samples: " + " | ".join(samples))


# Cold start and memory -----------------------------------------------------------------

_CHILD = r"""
import json, time
t0 = time.perf_counter()
from portal import create_app
t1 = time.perf_counter()
app = create_app()
t2 = time.perf_counter()
response = app.test_client().get("/en/", headers={"Accept-Encoding": "br"})
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "create_app": t2 - t1, "first": t3 - t2,
                  "status": response.status_code}))
"""


def coldstart(workdir: Path):
    heading("Cold start and memory")
    clean = workdir / "clean"
    shutil.copytree(ROOT / "content", clean / "content")
    shutil.copytree(ROOT / "translations", clean / "translations",
                    ignore=shutil.ignore_patterns("*.mo"))
    env = {**os.environ, "PORTAL_CONTENT_DIR": str(clean / "content"),
           "PORTAL_TRANSLATIONS_DIR": str(clean / "translations"),
           "PORTAL_INDEX_DIR": str(clean / "index")}
    total = 0.0
    for args in (["i18n", "compile"], ["search", "build"]):
        started = time.perf_counter()
        done = subprocess.run([str(BIN / "flask"), "--app", "portal", *args], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=600)
        took = time.perf_counter() - started
        total += took
        last = (done.stdout.strip().splitlines() or [""])[-1][:70]
        print(f"build from a clean tree: flask {' '.join(args):14} {took:6.2f} s "
              f"(exit {done.returncode}: {last})")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _CHILD], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    wall = time.perf_counter() - started
    try:
        parts = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"new process to first page: {wall:.2f} s (imports {parts['import']:.2f}, "
              f"create_app {parts['create_app']:.2f}, first /en/ {parts['first'] * 1000:.0f} "
              f"ms, status {parts['status']})")
    except (ValueError, IndexError, KeyError):
        print(f"new process to first page: failed: {done.stderr.strip()[-300:]}")
    print(f"clean tree to serving (build + first page): {total + wall:.1f} s, "
          "not counting `make install`")

    server = common.gunicorn("portal:create_app()", "one-worker", workdir,
                             env={"WEB_CONCURRENCY": "1", **env})
    started = time.monotonic()
    with common.running(server, "/en/"):
        boot = time.monotonic() - started
        workers = server.workers()
        worker = workers[0] if workers else server.pid
        print(f"gunicorn (1 worker) from exec to the first /en/ answered: {boot:.2f} s")
        print(f"resident memory: master {rss_mib(server.pid):.1f} MiB; worker after its first "
              f"page {rss_mib(worker):.1f} MiB")
        app = _app()
        paths = seeds(app)
        paths += [f"/{c}/{s}?with=en" for c in _codes(app) if c != "en"
                  for s in app.extensions["content"].pages]
        started = time.monotonic()
        warm(server.port, paths, rounds=1, limit_s=300)
        print(f"worker after every page in every language ({len(paths)} pages, "
              f"{time.monotonic() - started:.0f} s): {rss_mib(worker):.1f} MiB")
