"""What the portal writes to its log when something breaks: never anything a visitor
sent. Flask's own crash report names the URL and carries a traceback whose exception
text can hold a query or a header value; here a crash is one line with the exception's
class, the endpoint's name and an id that is the same for the same fault whatever the
request (a hash of the code positions in its traceback), so repeats can be counted and
the fault found again in a test without the reader's request.
"""

from __future__ import annotations

import hashlib
import logging
import traceback

from flask import request

log = logging.getLogger("portal.crash")


def fault_id(exc: BaseException) -> str:
    """The same for the same fault: the class and the code positions it passed."""
    where = [f"{frame.filename}:{frame.name}:{frame.lineno}"
             for frame in traceback.extract_tb(exc.__traceback__)]
    text = "\n".join([type(exc).__qualname__, *where])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def describe(exc: BaseException | None) -> str:
    if exc is None:
        return "unknown"
    return type(exc).__qualname__


def log_crash(exc: BaseException | None) -> None:
    """Replaces Flask's "Exception on <path> [<method>]" and its traceback."""
    endpoint = request.endpoint or "-"
    log.error("crash: %s in %s (fault %s)", describe(exc), endpoint,
              fault_id(exc) if exc is not None else "-")
