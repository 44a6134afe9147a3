"""``python -m portal.serve``: the development server for ``make run``, without a word
about any request (a URL or an address can say who read what).

Werkzeug's server logs every request, and on a request it cannot parse (400, 414, 431,
505) the client's address and the raw request line, search terms included; on a crash
that escapes the app, a traceback whose text can hold them too. Here the handler logs
nothing and the server says only that a request failed.
"""

from __future__ import annotations

import logging
import os

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from . import create_app

log = logging.getLogger("portal.serve")


class QuietHandler(WSGIRequestHandler):
    """Logs nothing about a request, on success or error."""

    def log_request(self, code="-", size="-"):
        pass

    def log_error(self, format, *args):
        pass

    def log_message(self, format, *args):
        pass

    def log(self, type, message, *args):
        pass


class QuietServer(ThreadedWSGIServer):
    def log(self, type, message, *args):
        # Werkzeug's "Error on request" with a traceback: the class of fault is all.
        log.error("the development server could not answer a request (details withheld)")


def serve(app, port: int, host: str = "127.0.0.1"):
    server = QuietServer(host, port, app, handler=QuietHandler)
    print(f"Serving the portal on http://{host}:{server.server_port}/ (no request log)",
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def main():
    port = int(os.environ.get("PORT", "5000"))
    # Absolute URLs (the feed, the card) point here unless PORTAL_PUBLIC_URL says else.
    config = {} if os.environ.get("PORTAL_PUBLIC_URL") else {
        "PUBLIC_URL": f"http://127.0.0.1:{port}"}
    serve(create_app(config), port)


if __name__ == "__main__":
    main()
