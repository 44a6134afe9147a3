"""A slow-header (slowloris) run on loopback, bounded: is a normal request delayed?

The frozen nginx in front of gunicorn gets ``BENCH_SLOW_SOCKETS`` connections (default
1000) that each send a request line and then one header byte every few seconds, for
``BENCH_SLOW_SECONDS`` (default 30). Meanwhile a normal reader fetches a frozen page
(nginx alone) and a search (through to gunicorn), each on a fresh connection; the
figures are their latencies before and during the attack. The target: no more than
100 ms added. For comparison, a few slow sockets against gunicorn reached directly
(``BENCH_SLOW_DIRECT``, default 50, ten seconds): why gunicorn is never exposed.

Only ever against 127.0.0.1, and capped (``MAX_SOCKETS``, ``MAX_SECONDS``).

    python -m bench.slowloris          # or: BENCH_ONLY=slowloris make bench
"""

from __future__ import annotations

import contextlib
import http.client
import os
import resource
import selectors
import shutil
import socket
import statistics
import threading
import time
from pathlib import Path

from portal import create_app
from portal.freeze import brotli_module, freeze, nginx_conf

from . import common

HOST = "127.0.0.1"
MAX_SOCKETS = 4000
MAX_SECONDS = 120
TARGET_MS = 100.0
FROZEN = "/en/get-help-now"
DYNAMIC = "/en/search?q=help"


def _raise_fd_limit(wanted: int) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = min(hard, max(soft, wanted + 256))
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


class Slowloris:
    """Many sockets that never finish their headers: one byte every ``interval``."""

    def __init__(self, port: int, count: int, interval: float = 2.0):
        self.port, self.count, self.interval = port, count, interval
        self.opened = self.dropped = self.reopened = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _open(self, selector):
        sock = socket.socket()
        sock.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            sock.connect((HOST, self.port))
        selector.register(sock, selectors.EVENT_READ)
        self.opened += 1
        return sock

    def _run(self):
        selector = selectors.DefaultSelector()
        socks = []
        for _ in range(self.count):
            try:
                socks.append(self._open(selector))
            except OSError:
                break
        time.sleep(0.2)
        for sock in socks:
            with contextlib.suppress(OSError):
                sock.send(b"GET /en/search?q=slow HTTP/1.1\r\nHost: portal\r\n")
        next_byte = time.monotonic() + self.interval
        while not self._stop.is_set():
            for key, _ in selector.select(timeout=0.2):
                sock = key.fileobj
                with contextlib.suppress(OSError):
                    if sock.recv(4096):
                        continue
                # Closed by the server (its header timeout): come back, as an attacker would.
                selector.unregister(sock)
                sock.close()
                socks.remove(sock)
                self.dropped += 1
                with contextlib.suppress(OSError):
                    fresh = self._open(selector)
                    fresh.send(b"GET / HTTP/1.1\r\n")
                    socks.append(fresh)
                    self.reopened += 1
            if time.monotonic() >= next_byte:
                next_byte += self.interval
                for sock in socks:
                    with contextlib.suppress(OSError):
                        sock.send(b"X")
        for sock in socks:
            sock.close()
        selector.close()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(10)


def _fetch_ms(port: int, path: str, timeout: float = 10.0) -> float:
    started = time.perf_counter()
    try:
        conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
        conn.getresponse().read()
        conn.close()
    except OSError:
        return float("inf")
    return (time.perf_counter() - started) * 1000


def _sample(port: int, seconds: float) -> dict[str, list[float]]:
    found = {FROZEN: [], DYNAMIC: []}
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for path in found:
            found[path].append(_fetch_ms(port, path))
        time.sleep(0.05)
    return found


def _summary(values: list[float]) -> str:
    finite = sorted(v for v in values if v != float("inf"))
    failed = len(values) - len(finite)
    if not finite:
        return f"all {failed} failed"
    p95 = finite[min(len(finite) - 1, int(len(finite) * 0.95))]
    text = (f"median {statistics.median(finite):6.1f} ms, p95 {p95:6.1f} ms, "
            f"max {finite[-1]:7.1f} ms (n={len(values)})")
    return text + (f", {failed} failed or timed out" if failed else "")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def _added(before: list[float], during: list[float]) -> float:
    """What the attack added: the larger of the median's and the p95's growth (a failed
    request counts as infinitely slow)."""
    return max(statistics.median(during) - statistics.median(before),
               _pct(during, 0.95) - _pct(before, 0.95))


def main(workdir: Path | None = None) -> None:
    count = min(int(common.setting("SLOW_SOCKETS", 1000)), MAX_SOCKETS)
    seconds = min(common.seconds("SLOW_SECONDS", 30), MAX_SECONDS)
    direct = min(int(common.setting("SLOW_DIRECT", 50)), 500)
    common.heading(f"Slowloris on loopback: {count} slow-header sockets for {seconds:.0f} s")
    if not shutil.which("nginx"):
        print("nginx is not installed (apt-get install nginx): skipped")
        return
    limit = _raise_fd_limit(count + direct)
    if limit < count + 256:
        count = max(0, limit - 256)
        print(f"open-file limit {limit}: {count} sockets")
    own = workdir is None
    workdir = workdir or common.scratch()
    try:
        app = create_app({"RELOAD_INTERVAL": 60.0, "PUBLIC_URL": common.PUBLIC_URL})
        portal = common.gunicorn("portal:create_app()", "slowloris-app", workdir)
        with common.running(portal, "/languages"):
            port = common.free_port()
            export_dir = workdir / "slow-export"
            user = "root" if os.geteuid() == 0 else None
            export = freeze(app, export_dir, codes=["en"], listen=f"{HOST}:{port}",
                            upstream=f"{HOST}:{portal.port}", brotli=brotli_module(),
                            user=user)
            conf = workdir / "slow-nginx.conf"
            (workdir / "slow-nginx-run").mkdir(exist_ok=True)
            conf.write_text(nginx_conf(export, export_dir, listen=f"{HOST}:{port}",
                                       upstream=f"{HOST}:{portal.port}",
                                       runtime=workdir / "slow-nginx-run",
                                       brotli=brotli_module(), user=user))
            with common.running(common.nginx(conf, "slow-nginx"), "/languages") as edge:
                before = _sample(edge.port, min(10.0, seconds))
                with Slowloris(edge.port, count) as attack:
                    time.sleep(2)
                    during = _sample(edge.port, max(1.0, seconds - 2))
                for path, label in ((FROZEN, "frozen page (nginx)"),
                                    (DYNAMIC, "search (nginx -> gunicorn)")):
                    print(f"{label:28} before: {_summary(before[path])}")
                    print(f"{'':28} during: {_summary(during[path])}")
                worst = max(_added(before[p], during[p]) for p in (FROZEN, DYNAMIC))
                print(f"slow sockets: {attack.opened} opened, {attack.dropped} dropped by "
                      f"nginx's header timeout and reopened")
                verdict = "within" if worst <= TARGET_MS else "OVER"
                print(f"added latency (growth of the median or p95, worst of the two pages): "
                      f"{worst:.1f} ms: {verdict} the {TARGET_MS:.0f} ms target")
            if direct:
                print(f"\nFor comparison, gunicorn reached directly, {direct} slow sockets "
                      "for 10 s:")
                before = [_fetch_ms(portal.port, DYNAMIC) for _ in range(10)]
                with Slowloris(portal.port, direct):
                    time.sleep(2)
                    during = [_fetch_ms(portal.port, DYNAMIC, timeout=5) for _ in range(8)]
                print(f"{'search (gunicorn alone)':28} before: {_summary(before)}")
                print(f"{'':28} during: {_summary(during)}")
    finally:
        if own:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
