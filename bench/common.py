"""What the benches share: settings from the environment, the machine, servers started
and stopped by PID, a bounded load generator (wrk if installed, else Python), and
resident memory read from /proc. Everything listens and connects on 127.0.0.1 only."""

from __future__ import annotations

import contextlib
import http.client
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
# What production would set (make serve and flask freeze refuse to run without it).
PUBLIC_URL = "https://portal.example"
# Hard caps on any load run, whatever the environment asks for.
MAX_SECONDS = 3600
MAX_PYTHON_REQUESTS = 5_000_000


def setting(name: str, default: float) -> float:
    """``BENCH_<NAME>`` from the environment, else the default from the issue."""
    value = os.environ.get(f"BENCH_{name}")
    return float(value) if value else default


def seconds(name: str, default: float) -> float:
    return max(1.0, min(setting(name, default), MAX_SECONDS))


def heading(title: str):
    print(f"\n== {title} " + "=" * max(0, 74 - len(title)), flush=True)


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def machine() -> str:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        memory = f"{kb / 1024 / 1024:.0f} GiB RAM"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{cores()} cores ({model or platform.machine()}), {memory}, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}; "
            f"load average at start {load}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for(port: int, path: str = "/", timeout: float = 60.0) -> float:
    """Seconds until ``GET path`` answers (any status), or raise."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        with contextlib.suppress(OSError, http.client.HTTPException):
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", path)
            conn.getresponse().read()
            conn.close()
            return time.monotonic() - start
        time.sleep(0.05)
    raise RuntimeError(f"nothing answered on {HOST}:{port} within {timeout:.0f}s")


# Processes ---------------------------------------------------------------------------

def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == pid:
                found.append(int(entry.name))
    return sorted(found)


def rss_mib(pid: int) -> float:
    with contextlib.suppress(OSError, IndexError, ValueError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def workers(self) -> list[int]:
        return children(self.pid)

    def stop(self):
        """SIGTERM to this server's own PID (its master stops its workers), then KILL."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def gunicorn(app_spec: str, name: str, workdir: Path, env: dict | None = None) -> Server:
    port = free_port()
    log = workdir / f"{name}.log"
    environ = {"PORTAL_PUBLIC_URL": PUBLIC_URL, **os.environ, "BIND": f"{HOST}:{port}",
               "LOG_LEVEL": "warning", **(env or {})}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), app_spec],
            cwd=ROOT, env=environ, stdout=out, stderr=subprocess.STDOUT,
        )
    return Server(name, port, process, log)


def nginx(conf: Path, name: str = "nginx") -> Server:
    log = conf.parent / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(["nginx", "-c", str(conf), "-g", "daemon off;"],
                                   stdout=out, stderr=subprocess.STDOUT)
    port = int(re.search(r"listen \S+:(\d+);", conf.read_text()).group(1))
    return Server(name, port, process, log)


@contextlib.contextmanager
def running(server: Server, ready_path: str = "/"):
    try:
        wait_for(server.port, ready_path)
        yield server
    finally:
        server.stop()


def scratch() -> Path:
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="run-", dir=out))


# Load ----------------------------------------------------------------------------------

@dataclass
class Load:
    tool: str
    seconds: float
    concurrency: int
    requests: int = 0
    errors: int = 0
    rps: float = 0.0
    p50_ms: float = float("nan")
    p99_ms: float = float("nan")
    shed: int = 0  # fast 503s: the portal turning work away on purpose
    statuses: dict[int, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def line(self, label: str) -> str:
        notes = "".join(f"\n    {note}" for note in self.notes)
        return (f"{label:34} {self.rps:9,.0f} req/s  p50 {self.p50_ms:7.2f} ms  "
                f"p99 {self.p99_ms:7.2f} ms  errors {self.errors}  "
                f"({self.requests:,} requests, c={self.concurrency}, {self.seconds:.0f} s, "
                f"{self.tool}){notes}")


def _lua(paths: list[str]) -> str:
    items = ",\n".join('  "' + p.replace("\\", "\\\\").replace('"', '\\"') + '"'
                       for p in paths)
    return f"""local paths = {{
{items}
}}
local headers = {{["Accept-Encoding"] = "br, gzip"}}
local n = 0
local threads = {{}}
function setup(thread)
  thread:set("id", n)
  table.insert(threads, thread)
  n = n + 1
end
function init(args)
  counter = (id or 0) * 7919
  statuses = {{}}
end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1], headers)
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local total = {{}}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("status %d: %d\\n", status, count))
  end
end
"""


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.match(r"([\d.]+)([a-z]+)", text).groups()  # AttributeError if not
    return float(number) * _UNITS[unit]


def wrk(port: int, paths: list[str], seconds_: float, concurrency: int) -> Load:
    workdir = Path(tempfile.mkdtemp(prefix="wrk-"))
    try:
        script = workdir / "paths.lua"
        script.write_text(_lua(paths))
        threads = max(1, min(cores(), concurrency))
        result = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{concurrency}", f"-d{int(seconds_)}s", "--latency",
             "--timeout", "10s", "-s", str(script), f"http://{HOST}:{port}{paths[0]}"],
            capture_output=True, text=True, timeout=seconds_ + 60,
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    out = result.stdout
    load = Load("wrk", seconds_, concurrency)
    if result.returncode != 0:
        load.notes.append(result.stderr.strip()[:200])
        return load
    def find(pattern, convert, default=float("nan")):
        match = re.search(pattern, out)
        try:
            return convert(match.group(1)) if match else default
        except (AttributeError, ValueError, KeyError):
            return default

    load.requests = find(r"(\d+) requests in", int, 0)
    load.rps = find(r"Requests/sec:\s+([\d.]+)", float, 0.0)
    load.p50_ms = find(r"50%\s+(\S+)", _ms)
    load.p99_ms = find(r"99%\s+(\S+)", _ms)
    if not load.requests or load.p99_ms != load.p99_ms:  # nan: wrk's output not understood
        load.notes.append("wrk: " + " ".join(out.split())[:600])
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                        out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    load.statuses = {int(code): int(count)
                     for code, count in re.findall(r"^status (\d+): (\d+)$", out, re.M)}
    # A 503 is the portal shedding load on purpose (search slots): counted apart.
    load.shed = load.statuses.get(503, 0)
    load.errors = (sum(int(x) for x in sockets.groups()) if sockets else 0) + \
        (int(non2xx.group(1)) if non2xx else 0) - load.shed
    if load.errors or load.shed:
        load.notes.append(f"{sockets.group(0) if sockets else 'no socket errors'}; "
                          f"statuses {dict(sorted(load.statuses.items()))}")
    return load


def python_load(port: int, paths: list[str], seconds_: float, concurrency: int) -> Load:
    """A bounded keep-alive client: ``concurrency`` threads until the time or count cap."""
    deadline = time.monotonic() + seconds_
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    budget = MAX_PYTHON_REQUESTS // concurrency

    def worker(i: int):
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        n = i * 7919
        while time.monotonic() < deadline and len(latencies[i]) + errors[i] < budget:
            n += 1
            path = paths[n % len(paths)]
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Accept-Encoding": "br, gzip"})
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    errors[i] += 1
                latencies[i].append((time.perf_counter() - start) * 1000)
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=10)
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,), daemon=True)
               for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds_ + 30)
    elapsed = time.monotonic() - started
    flat = sorted(x for part in latencies for x in part)
    load = Load("python client", seconds_, concurrency, requests=len(flat) + sum(errors),
                errors=sum(errors))
    load.rps = load.requests / elapsed if elapsed else 0.0
    if flat:
        load.p50_ms = statistics.median(flat)
        load.p99_ms = flat[min(len(flat) - 1, int(len(flat) * 0.99))]
    return load


def load(port: int, paths: list[str], seconds_: float, concurrency: int) -> Load:
    tool = os.environ.get("BENCH_LOADGEN") or ("wrk" if shutil.which("wrk") else "python")
    if tool == "wrk":
        return wrk(port, paths, seconds_, concurrency)
    return python_load(port, paths, seconds_, concurrency)
