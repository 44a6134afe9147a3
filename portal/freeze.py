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
import shutil
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .crawl import PASS_THROUGH, exportable, file_for, links, public_codes, seeds  # noqa: F401
from .delivery import generation, get_assets
from .i18n import get_i18n
from .nginx import brotli_module, nginx_conf
from .urls import MissingPublicUrl, require_public_url

MARKER = ".portal-export"
# Files at the root that search engines read, exported as the app writes them (and one
# sitemap per language, named by the index: ``root_files()``).
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
        # Hardening: the pages nginx answers with when it refuses a request itself.
        self.refusals: dict[str, dict[str, bytes]] = {}
        self.refusal_headers: dict[str, str] = {}
        self.exit_location = ""
        self.exit_headers: dict[str, str] = {}
        self.busy: dict[str, dict[str, bytes]] = {}
        self.busy_headers: dict[str, str] = {}
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
        return generation(self.app)

    def _in_scope(self, url: str) -> bool:
        first = url.split("/")[1]
        return first in self.codes or url == "/languages"

    def assets(self) -> dict[str, dict[str, bytes]]:
        files = {}
        for name, entry in get_assets(self.app).files.items():
            response = _isolated(self.client.get, f"/static/{name}",
                                 headers={"Accept-Encoding": "br"})
            self.static_headers = _shared_headers(response)
            files[name] = {"": entry.body, ".gz": entry.gzip, ".br": entry.br}
        return files

    def root_file_names(self) -> list[str]:
        from .views.seo import sitemap_names

        with self.app.app_context():
            sitemaps = [f"sitemap-{name}.xml" for name in sitemap_names()]
        return [*ROOT_FILES, *sitemaps]

    def files(self) -> dict[str, dict[str, bytes]]:
        """robots.txt and the sitemaps, with their compressed twins and shared headers."""
        for name in self.root_file_names():
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

    def refusal_pages(self):
        """The English "could not use that request" and "too long" pages, for what nginx
        refuses before the app sees it (a line or a header too long, a malformed
        request)."""
        _isolated(self._refusal_pages)

    def _refusal_pages(self):
        from .delivery import Entry
        from .views.errors import error_page

        for name, status in (("_bad_request.html", 400), ("_too_long.html", 414)):
            with self.app.test_request_context(
                    "/en/", headers={"Accept-Encoding": "identity"}):
                response = self.app.process_response(error_page(status))
                entry = Entry.build(response.get_data(as_text=True))
                self.refusals[name] = {"": entry.body, ".gz": entry.gzip, ".br": entry.br}
                self.refusal_headers = _shared_headers(response)

    def exit_response(self):
        """The app's own answer to ``/exit``, for nginx to give without asking it."""
        response = _isolated(self.client.get, "/exit")
        if response.status_code != 303 or not response.headers.get("Location"):
            raise click.ClickException("/exit did not answer 303 with a Location")
        self.exit_location = response.headers["Location"]
        self.exit_headers = _shared_headers(response)

    def busy_pages(self):
        """The "search is not working" page in every public language, for the search
        requests nginx turns away (limit_req) without troubling the app."""
        _isolated(self._busy_pages)

    def _busy_pages(self):
        from .delivery import Entry
        from .reader import use_reader
        from .views.search import _unavailable

        for lang in get_i18n(self.app).registry.public:
            url = f"/{lang.code}/search"
            with self.app.test_request_context(url, headers={"Accept-Encoding": "identity"}):
                use_reader(lang)
                response = self.app.process_response(_unavailable())
                entry = Entry.build(response.get_data(as_text=True))
                self.busy[lang.code] = {"": entry.body, ".gz": entry.gzip, ".br": entry.br}
                self.busy_headers = _shared_headers(response)


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
    try:
        require_public_url(app.config.get("PUBLIC_URL"))
    except MissingPublicUrl as error:
        raise click.ClickException(str(error)) from None
    if outdir.exists() and any(outdir.iterdir()) and not (outdir / MARKER).exists():
        raise click.ClickException(f"{outdir} is not empty and is not an earlier export")
    # Compressed once for good: the export is worth the slowest, smallest brotli.
    app.config["BROTLI_QUALITY"] = 11
    for _attempt in range(3):
        export = Export(app, codes)
        before = export.generation()
        export.crawl(progress)
        assets = export.assets()
        export.files()
        export.unavailable_page()
        export.refusal_pages()
        export.exit_response()
        export.busy_pages()
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
        for name, bodies in export.refusals.items():
            _write(work, name, bodies)
        for code, bodies in export.busy.items():
            _write(work, f"_busy/{code}.html", bodies)
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
    try:
        require_public_url(app.config.get("PUBLIC_URL"))
    except MissingPublicUrl as error:
        raise click.ClickException(str(error)) from None
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
               f"{len(get_assets(app).files)} static files, nginx.conf "
               f"({'gzip and brotli' if brotli else 'gzip only'})")
