"""``python -m portal.serve``: the development server for ``make run``, without the
request log (a URL or an address can say who read what)."""

from __future__ import annotations

import os

from werkzeug.serving import WSGIRequestHandler, run_simple

from . import create_app


class QuietHandler(WSGIRequestHandler):
    def log_request(self, code="-", size="-"):
        pass


def main():
    port = int(os.environ.get("PORT", "5000"))
    app = create_app()
    print(f"Serving the portal on http://127.0.0.1:{port}/ (no request log)")
    run_simple("127.0.0.1", port, app, request_handler=QuietHandler, use_reloader=False,
               threaded=True)


if __name__ == "__main__":
    main()
