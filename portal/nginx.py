"""The nginx configuration of an export: ``deploy/nginx.conf`` with its placeholders
filled from the app's own responses (headers are read, never retyped)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import click

from .config import ROOT
from .urls import MissingPublicUrl, require_public_url

if TYPE_CHECKING:
    from .freeze import Export

TEMPLATE = ROOT / "deploy" / "nginx.conf"
BROTLI_MODULES = (
    "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so",
    "/usr/share/nginx/modules/ngx_http_brotli_static_module.so",
    "/etc/nginx/modules/ngx_http_brotli_static_module.so",
)


def _quote(value: str) -> str:
    if "$" in value or "\n" in value:
        raise click.ClickException(f"header value nginx cannot send as is: {value!r}")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def header_lines(headers: dict[str, str], indent: str = "    ") -> str:
    return "\n".join(
        f"{indent}add_header {name} {_quote(value)} always;" for name, value in headers.items()
    )


def brotli_module() -> str | None:
    for path in BROTLI_MODULES:
        if os.path.exists(path):
            return path
    return None


def nginx_conf(
    export: Export,
    root: Path,
    *,
    listen: str = "127.0.0.1:8080",
    upstream: str = "127.0.0.1:8000",
    runtime: Path | None = None,
    brotli: str | None = None,
    user: str | None = None,
    template: Path = TEMPLATE,
) -> str:
    """``deploy/nginx.conf`` with its ``@NAME@`` placeholders filled for one export."""
    runtime = Path(runtime) if runtime else Path(str(root) + ".run")
    try:
        origin = require_public_url(export.app.config.get("PUBLIC_URL"))
    except MissingPublicUrl as error:
        raise click.ClickException(str(error)) from None
    values = {
        "ROOT": str(Path(root).resolve()),
        "RUNTIME": str(runtime.resolve()),
        "LISTEN": listen,
        "UPSTREAM": upstream,
        "USER": f"user {user};" if user else "# user: nginx's default",
        "LOAD_BROTLI": f"load_module {brotli};" if brotli else
        "# brotli_static module not found: .br files are written but not served",
        "BROTLI_STATIC": "brotli_static on;" if brotli else "# brotli_static on;",
        "HTML_HEADERS": header_lines(export.html_headers or {}, " " * 12),
        "STATIC_HEADERS": header_lines(export.static_headers or {}, " " * 12),
        "UNAVAILABLE_HEADERS": header_lines(export.unavailable_headers, " " * 12),
        "ROOT_FILE_HEADERS": header_lines(export.root_file_headers, " " * 12),
        # Hardening: the Host the app is told, and the headers of nginx's own refusals.
        "PUBLIC_HOST": urlsplit(origin).netloc,
        "REFUSAL_HEADERS": header_lines(export.refusal_headers, " " * 12),
        **quick_exit_values(export),
    }
    text = Path(template).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    leftover = re.findall(r"@[A-Z_]+@", text)
    if leftover:
        raise click.ClickException(f"{template}: unknown placeholders {sorted(set(leftover))}")
    return text


def quick_exit_values(export: Export) -> dict[str, str]:
    """Placeholders of the locations that keep the exit and search from waiting
    (issue 14): ``/exit`` answered by nginx, and the page for turned-away searches."""
    codes = "|".join(re.escape(code) for code in sorted(export.busy)) or "en"
    retry = export.app.config["SEARCH_RETRY_AFTER"]
    return {
        "EXIT_URL": _quote(export.exit_location or "/"),
        "EXIT_HEADERS": header_lines(export.exit_headers, " " * 12),
        "BUSY_HEADERS": header_lines(export.busy_headers, " " * 12),
        "BUSY_LANGS": codes,
        "SEARCH_RETRY_AFTER": str(int(retry)),
    }
