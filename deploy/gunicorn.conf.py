"""gunicorn settings for ``make serve``: ``gunicorn -c deploy/gunicorn.conf.py
'portal:create_app()'``.

No access log, and an error log that never carries a request line, a URL or a
client address: any of them can say who read what. Listens on loopback; nginx (see
``flask freeze``) is the one that faces readers.

Environment: ``BIND`` (default ``127.0.0.1:8000``), ``WEB_CONCURRENCY`` (workers,
default one per core, at least 2), ``THREADS`` (per worker, default 4), ``LOG_LEVEL``
(default ``info``), ``REUSE_PORT`` (default 1).
"""

import logging
import os
import socket
import sys


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


bind = os.environ.get("BIND", "127.0.0.1:8000")
# A cached page is a dictionary lookup, so the work is CPU-bound: one worker per core,
# with threads to overlap slow clients and the odd uncached render or search.
workers = int(os.environ.get("WEB_CONCURRENCY") or max(2, _cores()))
worker_class = "gthread"
threads = int(os.environ.get("THREADS", "4"))
keepalive = 5
timeout = 30
graceful_timeout = 10
# Each worker loads the app itself: nothing (an open search index) is shared by fork.
preload_app = False
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
proc_name = "portal"
# The control socket would be one more file under $HOME; nothing here uses it.
control_socket_disable = True
# A listening socket per worker: the kernel spreads connections evenly. With one shared
# socket, kept-alive connections (nginx's upstream pool, a load generator) pile onto
# whichever worker accepts first, and on 2 cores half the machine idles. REUSE_PORT=0
# goes back to the shared socket.
reuse_port = os.environ.get("REUSE_PORT", "1") == "1"

accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
capture_output = False


class _NoRequestDetails(logging.Filter):
    """Drops the address and the request line that gunicorn puts in a few messages, and
    the traceback of a failed request: an exception's text can hold what the visitor
    sent (its class is kept)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        if message.startswith("Invalid request from ip="):
            record.msg, record.args = "Invalid request (details withheld)", ()
        elif "request" in message.lower() and record.exc_info:
            exc = record.exc_info[1]
            kind = type(exc).__qualname__ if exc is not None else "unknown"
            first = message.split(" %s", 1)[0].split(" (", 1)[0].rstrip(".")
            record.msg, record.args = f"{first}: {kind} (details withheld)", ()
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        elif message.startswith("Error handling request"):
            record.msg, record.args = "Error handling request", ()
        elif isinstance(record.args, tuple) and any(
                isinstance(arg, BaseException) for arg in record.args):
            # "Ignored premature client disconnection. %s" (debug) names the bytes read.
            record.args = tuple(type(arg).__qualname__ if isinstance(arg, BaseException)
                                else arg for arg in record.args)
        return True


_error_log = logging.getLogger("gunicorn.error")
if not any(isinstance(f, _NoRequestDetails) for f in _error_log.filters):
    _error_log.addFilter(_NoRequestDetails())


# Search is CPU-bound Python. At the default switch interval (5 ms) a thread serving the
# quick exit waits up to 5 ms for the GIL each time it wants it back from a search, many
# times a request: a flood of searches would slow the exit. 0.5 ms keeps it quick
# (issue 14; `BENCH_ONLY=flood make bench`). SWITCH_INTERVAL overrides (seconds).
switch_interval = float(os.environ.get("SWITCH_INTERVAL", "0.0005"))


def post_fork(server, worker):
    sys.setswitchinterval(switch_interval)


def pre_request(worker, req):
    """gunicorn's default logs every method and path at debug level: log nothing."""


def on_starting(server):
    """SO_REUSEPORT lets a second gunicorn bind the same port and silently share its
    traffic (an old version answering half the requests): refuse to start instead."""
    if not reuse_port or server.master_pid or bind.startswith(("unix:", "fd:")):
        return  # not reuse_port, or a USR2 re-exec that takes over from its parent
    host, _, port = bind.rpartition(":")
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.settimeout(1.0)
        if probe.connect_ex((host.strip("[]") or "127.0.0.1", int(port))) == 0:
            raise SystemExit(f"{bind} is already in use (another gunicorn?): not starting")


def when_ready(server):
    """With reuse_port the master holds no socket, so its own line names none."""
    server.log.info("Listening at: http://%s (a socket per worker: SO_REUSEPORT)", bind)


def post_worker_init(worker):
    """Production needs the site's https:// origin (PUBLIC_URL) for the feed and the
    card: without it, stop the whole server with the reason, rather than serve wrong
    addresses. Exit code 3 makes gunicorn's master halt ("Worker failed to boot")."""
    config = getattr(worker.wsgi, "config", None)
    if config is None:  # not the portal (a bench's hello world)
        return
    from portal.urls import MissingPublicUrl, require_public_url

    try:
        require_public_url(config.get("PUBLIC_URL"))
    except MissingPublicUrl as error:
        worker.log.error("not starting: %s", str(error))
        raise SystemExit(3) from None
