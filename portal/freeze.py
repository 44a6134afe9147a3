"""``flask freeze OUTDIR``: every page in every language as static files for nginx.

The export holds what the page cache holds, byte for byte: each page as
``<path>.html`` (the home page of a language as ``<lang>/index.html``) with ``.gz``
and ``.br`` twins taken from the app's own responses, the fingerprinted static
files, and ``nginx.conf`` generated from ``deploy/nginx.conf``. That configuration
sends the same headers as the app (they are read from its responses, not retyped)
and passes everything the export cannot answer to the app: ``/``, search, the quick
exit, language aliases, unknown paths, any URL with a query string, any method but
GET and HEAD.

A new export is written beside the old one and swapped in, so nginx never serves a
half-written tree. The previous export's static files are kept one more round: a page
that a CDN still holds (five minutes) asks for the script it was built with.
"""

from __future__ import annotations

import contextvars
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .config import ROOT

MARKER = ".portal-export"
TEMPLATE = ROOT / "deploy" / "nginx.conf"
BROTLI_MODULES = (
    "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so",
    "/usr/share/nginx/modules/ngx_http_brotli_static_module.so",
    "/etc/nginx/modules/ngx_http_brotli_static_module.so",
)
# Answered by the app, never exported (a query string always goes to the app too).
PASS_THROUGH = re.compile(
    r"^/$|^/exit$|^/services\.json$|^/translators(/|$)|^/static/|^/[^/]+/search$"
    r"|^/openreferral(/|$)"
)
# Files at the root that search engines read, exported as the app writes them.
ROOT_FILES = ("robots.txt", "sitemap.xml")
# Headers that belong to one response, not to the site: never copied into nginx.conf.
PER_RESPONSE = {
    "content-type", "content-length", "content-encoding", "etag", "date", "server",
    "last-modified", "set-cookie", "allow", "location", "accept-ranges", "connection",
    "transfer-encoding", "keep-alive",
}
# Safety net on a crawl that follows links: the real site has well under a thousand.
MAX_PAGES = 20000
_ENCODINGS = (("", "identity"), (".gz", "gzip"), (".br", "br"))


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links(html: str) -> list[str]:
    """Every ``<a href>`` of a page, as written."""
    parser = _Links()
    parser.feed(html)
    parser.close()
    return parser.hrefs


def exportable(url: str) -> bool:
    """A same-site path without a query that the export may answer."""
    if not url.startswith("/") or url.startswith("//"):
        return False
    parts = urlsplit(url)
    if parts.query or "?" in url or parts.scheme or parts.netloc:
        return False
    return not PASS_THROUGH.search(parts.path)


def file_for(url: str) -> str:
    """Where a page lives in the export: ``/en/`` -> ``en/index.html``,
    ``/en/get-help-now`` -> ``en/get-help-now.html`` (what nginx's
    ``try_files $uri.html ${uri}index.html`` looks for)."""
    path = urlsplit(url).path
    if ".." in path.split("/") or "\x00" in path:
        raise ValueError(f"unsafe path {path!r}")
    return (path + "index.html" if path.endswith("/") else path + ".html").lstrip("/")


def public_codes(app: Flask) -> list[str]:
    return [lang.code for lang in app.extensions["i18n"].registry.public]


def seeds(app: Flask, codes: Iterable[str] | None = None) -> list[str]:
    """The pages known without crawling: every route that needs only a language, every
    guidance page, service and news item, in every public language (or in ``codes``)."""
    store = app.extensions["content"]
    codes = list(codes or public_codes(app))
    found = ["/languages"]
    # Routes with one more argument whose values the content store lists; pages of any
    # other route are found by following links.
    fills = {"/<lang>/<slug>": store.pages, "/<lang>/services/<sid>": store.services,
             "/<lang>/news/<slug>": store.news}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in (rule.methods or ()) or not rule.rule.startswith("/<lang>/"):
            continue
        args = set(rule.arguments) - {"lang"}
        if not args:
            names = [{}]
        elif len(args) == 1 and rule.rule in fills:
            (arg,) = args
            names = [{arg: name} for name in fills[rule.rule]]
        else:
            continue
        for code in codes:
            for values in names:
                url = rule.rule.replace("<lang>", code)
                for key, value in values.items():
                    url = re.sub(r"<(?:[^:>]+:)?" + key + ">", value, url)
                if "<" not in url and exportable(url):
                    found.append(url)
    return list(dict.fromkeys(found))


def _isolated(fn, *args, **kwargs):
    """Call ``fn`` with no app context active, so each request gets its own ``g``
    (a request pushed inside an active app context shares that context's ``g``)."""
    return contextvars.Context().run(fn, *args, **kwargs)


def _shared_headers(response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.lower() not in PER_RESPONSE}


class Export:
    """The pages, assets and headers of one export, read from the app's own responses."""

    def __init__(self, app: Flask, codes: Iterable[str] | None = None):
        self.app = app
        self.codes = set(codes or public_codes(app))
        self.client = app.test_client()
        self.pages: dict[str, dict[str, bytes]] = {}
        self.html_headers: dict[str, str] | None = None
        self.static_headers: dict[str, str] | None = None
        self.unavailable: dict[str, bytes] = {}
        self.unavailable_headers: dict[str, str] = {}
        self.root_files: dict[str, dict[str, bytes]] = {}
        self.root_file_headers: dict[str, str] = {}

    def _fetch(self, url: str) -> dict[str, bytes] | None:
        bodies = {}
        for suffix, encoding in _ENCODINGS:
            response = _isolated(self.client.get, url, headers={"Accept-Encoding": encoding})
            if response.status_code != 200 or response.mimetype != "text/html":
                return None
            if (response.headers.get("Content-Encoding") or "identity") != encoding:
                raise click.ClickException(f"{url}: not served as {encoding}")
            headers = _shared_headers(response)
            if self.html_headers is None:
                self.html_headers = headers
            elif headers != self.html_headers:
                raise click.ClickException(
                    f"{url} sends other headers than the rest of the site; "
                    "nginx.conf could not match it")
            bodies[suffix] = response.get_data()
        return bodies

    def crawl(self, progress=None) -> dict[str, dict[str, bytes]]:
        """Every page reachable from the seeds by plain links, without a query string."""
        queue = seeds(self.app, self.codes)
        seen = set(queue)
        while queue:
            url = queue.pop(0)
            bodies = self._fetch(url)
            if progress:
                progress(url, len(queue))
            if bodies is None:
                continue
            self.pages[url] = bodies
            for href in links(bodies[""].decode("utf-8")):
                target = urlsplit(href)._replace(fragment="").geturl()
                if target not in seen and exportable(target) and self._in_scope(target):
                    seen.add(target)
                    queue.append(target)
            if len(seen) > MAX_PAGES:
                raise click.ClickException(f"more than {MAX_PAGES} pages: a link loop?")
        return self.pages

    def generation(self):
        """Content and catalogue generations, after the app has looked for changes."""
        _isolated(self.client.get, "/languages")
        ext = self.app.extensions
        return ext["content"].generation, ext["i18n"].catalogs.generation

    def _in_scope(self, url: str) -> bool:
        first = url.split("/")[1]
        return first in self.codes or url == "/languages"

    def assets(self) -> dict[str, dict[str, bytes]]:
        files = {}
        for name, entry in self.app.extensions["assets"].files.items():
            response = _isolated(self.client.get, f"/static/{name}",
                                 headers={"Accept-Encoding": "br"})
            self.static_headers = _shared_headers(response)
            files[name] = {"": entry.body, ".gz": entry.gzip, ".br": entry.br}
        return files

    def files(self) -> dict[str, dict[str, bytes]]:
        """robots.txt and sitemap.xml, with their compressed twins and shared headers."""
        for name in ROOT_FILES:
            bodies = {}
            for suffix, encoding in _ENCODINGS[:2]:
                response = _isolated(self.client.get, f"/{name}",
                                     headers={"Accept-Encoding": encoding})
                if response.status_code != 200:
                    raise click.ClickException(f"/{name} answers {response.status_code}")
                headers = _shared_headers(response)
                if self.root_file_headers and headers != self.root_file_headers:
                    raise click.ClickException(f"/{name} sends other headers than /{ROOT_FILES[0]}")
                self.root_file_headers = headers
                bodies[suffix] = response.get_data()
            self.root_files[name] = bodies
        return self.root_files

    def unavailable_page(self):
        """The English "something is not working" page, for when the app is down."""
        _isolated(self._unavailable_page)

    def _unavailable_page(self):
        from .delivery import Entry
        from .views.layout import unavailable

        with self.app.test_request_context("/en/", headers={"Accept-Encoding": "identity"}):
            response = unavailable(503)
            response = self.app.process_response(response)
            entry = Entry.build(response.get_data(as_text=True))
            self.unavailable = {"": entry.body, ".gz": entry.gzip, ".br": entry.br}
            self.unavailable_headers = _shared_headers(response)


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
    }
    text = Path(template).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    leftover = re.findall(r"@[A-Z_]+@", text)
    if leftover:
        raise click.ClickException(f"{template}: unknown placeholders {sorted(set(leftover))}")
    return text


def _write(base: Path, relative: str, bodies: dict[str, bytes]):
    path = base / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix, data in bodies.items():
        path.with_name(path.name + suffix).write_bytes(data)


def _previous_static(outdir: Path) -> set[str]:
    """The static files the export in ``outdir`` was built with (not those it kept)."""
    try:
        return set(json.loads((outdir / MARKER).read_text(encoding="utf-8"))["static"])
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def freeze(
    app: Flask,
    outdir: Path,
    *,
    listen: str = "127.0.0.1:8080",
    upstream: str = "127.0.0.1:8000",
    runtime: Path | None = None,
    brotli: str | None = None,
    user: str | None = None,
    codes: Iterable[str] | None = None,
    progress=None,
) -> Export:
    """Write the export to ``outdir``, replacing an earlier export there (only one)."""
    outdir = Path(outdir).resolve()
    if outdir.exists() and any(outdir.iterdir()) and not (outdir / MARKER).exists():
        raise click.ClickException(f"{outdir} is not empty and is not an earlier export")
    for _attempt in range(3):
        export = Export(app, codes)
        before = export.generation()
        export.crawl(progress)
        assets = export.assets()
        export.files()
        export.unavailable_page()
        if export.generation() == before:
            break
        # An editor or translator changed something mid-export: pages would disagree.
    else:
        raise click.ClickException("content or catalogues kept changing; try again")
    outdir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{outdir.name}.", dir=outdir.parent))
    try:
        for url, bodies in export.pages.items():
            _write(work, file_for(url), bodies)
        for name, bodies in assets.items():
            _write(work, f"static/{name}", bodies)
        _write(work, "_unavailable.html", export.unavailable)
        for name, bodies in export.root_files.items():
            _write(work, name, bodies)
        for name in _previous_static(outdir) - set(assets):
            for suffix in ("", ".gz", ".br"):
                old_file = outdir / "static" / f"{name}{suffix}"
                if old_file.is_file():
                    shutil.copy2(old_file, work / "static" / old_file.name)
        runtime = Path(runtime) if runtime else Path(str(outdir) + ".run")
        runtime.mkdir(parents=True, exist_ok=True)
        conf = nginx_conf(export, outdir, listen=listen, upstream=upstream, runtime=runtime,
                          brotli=brotli, user=user)
        (work / "nginx.conf").write_text(conf, encoding="utf-8")
        (work / MARKER).write_text(json.dumps({"pages": len(export.pages),
                                                "static": sorted(assets)}) + "\n",
                                    encoding="utf-8")
        for path in [work, *work.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        old = None
        if outdir.exists():
            old = outdir.with_name(f".{outdir.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            outdir.rename(old)
        work.rename(outdir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return export


@click.command("freeze")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--listen", default="127.0.0.1:8080", show_default=True,
              help="nginx's listen address.")
@click.option("--upstream", default="127.0.0.1:8000", show_default=True,
              help="Where the app (gunicorn) listens.")
@click.option("--runtime", type=click.Path(file_okay=False, path_type=Path),
              help="nginx's pid and temporary files [default: OUTDIR.run].")
@click.option("--brotli/--no-brotli", "use_brotli", default=None,
              help="Serve the .br files [default: if the brotli_static module is installed].")
@click.option("--user", help="The user nginx workers run as (when started as root).")
@click.option("--lang", "codes", multiple=True,
              help="Export only this language (repeatable); the app serves the others.")
@with_appcontext
def freeze_cmd(outdir: Path, listen, upstream, runtime, use_brotli, user, codes):
    """Write every page in every language, compressed, with an nginx.conf to serve them."""
    app = current_app._get_current_object()
    unknown = set(codes) - set(public_codes(app))
    if unknown:
        raise click.BadParameter(f"not a public language: {', '.join(sorted(unknown))}")
    module = brotli_module()
    if use_brotli and not module:
        raise click.ClickException("the nginx brotli_static module is not installed")
    brotli = module if use_brotli is not False else None
    with click.progressbar(length=len(seeds(app, codes)), label="freezing",
                           file=sys.stderr) as bar:
        def progress(url, queued):
            bar.length = max(bar.length or 0, bar.pos + 1 + queued)
            bar.update(1)

        export = freeze(app, outdir, listen=listen, upstream=upstream, runtime=runtime,
                        brotli=brotli, user=user, codes=codes, progress=progress)
    click.echo(f"{outdir}: {len(export.pages)} pages, "
               f"{len(app.extensions['assets'].files)} static files, nginx.conf "
               f"({'gzip and brotli' if brotli else 'gzip only'})")
