"""Page weights per language, inline CSS against one cached CSS file, and what htmlmin
costs on a search results page."""

from __future__ import annotations

import gzip
import re
import statistics
import time
from urllib.parse import quote

import brotli

from portal import create_app
from portal.delivery import minify
from portal.freeze import Export

from .common import heading

# (name, down kbit/s, round trip ms): the brief's DevTools and WebPageTest profiles.
PROFILES = (("Slow 4G", 1440, 150), ("3G", 400, 400), ("Edge", 240, 840), ("2G", 35, 1300))
SEARCH_TERMS = ("help", "passport", "work", "police", "modern slavery", "money")


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def br(data: bytes) -> int:
    return len(brotli.compress(data, quality=11))


def crawl(app):
    export = Export(app)
    started = time.perf_counter()
    export.crawl()
    return export, time.perf_counter() - started


def script_bytes(app, html: str, kind: str) -> int:
    files = app.extensions["assets"].files
    total = 0
    for ref in re.findall(r'<script[^>]+src="/static/([^"]+)"', html):
        entry = files[ref]
        total += len(entry.gzip if kind == "gzip" else entry.br)
    return total


def page_weights(app, export):
    heading("Page weights: first view, empty cache (HTML + its scripts), bytes")
    rows: dict[str, list[tuple[int, int, str]]] = {}
    for url, bodies in export.pages.items():
        html = bodies[""].decode("utf-8")
        code = url.split("/")[1] if url.count("/") > 1 else "-"
        first_gz = len(bodies[".gz"]) + script_bytes(app, html, "gzip")
        first_br = len(bodies[".br"]) + script_bytes(app, html, "br")
        rows.setdefault(code, []).append((first_gz, first_br, url))
    print(f"{len(export.pages)} pages without a query string (side by side, search and "
          "error pages: see tests/test_budget.py)")
    print(f"{'lang':8} {'pages':>5} {'gzip min':>9} {'median':>7} {'max':>7} "
          f"{'br median':>9} {'br max':>7}  largest (gzip)")
    for code in sorted(rows):
        items = rows[code]
        g = sorted(x[0] for x in items)
        b = sorted(x[1] for x in items)
        largest = max(items)[2]
        print(f"{code:8} {len(items):5} {g[0]:9,} {statistics.median(g):7,.0f} {g[-1]:7,} "
              f"{statistics.median(b):9,.0f} {b[-1]:7,}  {largest}")
    every = sorted(x[0] for items in rows.values() for x in items)
    print(f"{'all':8} {len(every):5} {every[0]:9,} {statistics.median(every):7,.0f} "
          f"{every[-1]:7,}   budget 14,600 (gzip)")


def inline_or_cached_css(app, export):
    heading("Inline CSS (as now) or one cached CSS file?")
    css = app.extensions["assets"].css
    tag = f"<style>{css}</style>"
    link = '<link rel="stylesheet" href="/static/portal.0123456789.css">'
    css_gz, css_br = gz(css.encode()), br(css.encode())
    inline_gz, external_gz, inline_br, external_br, scripts = [], [], [], [], []
    for bodies in export.pages.values():
        html = bodies[""].decode("utf-8")
        if tag not in html:
            continue
        external = html.replace(tag, link).encode("utf-8")
        inline_gz.append(len(bodies[".gz"]))
        external_gz.append(gz(external))
        inline_br.append(len(bodies[".br"]))
        external_br.append(br(external))
        scripts.append(script_bytes(app, html, "gzip"))
    if not inline_gz:
        print("no page carries the inline stylesheet: nothing to compare")
        return
    med = statistics.median
    js = med(scripts)
    saved_gz = med(a - b for a, b in zip(inline_gz, external_gz, strict=True))
    saved_br = med(a - b for a, b in zip(inline_br, external_br, strict=True))
    print(f"stylesheet: {len(css):,} B raw, {css_gz:,} B gzip, {css_br:,} B br; "
          f"medians over {len(inline_gz)} pages")
    print(f"{'':28} {'inline':>10} {'cached file':>12}")
    print(f"{'first view, gzip':28} {med(inline_gz) + js:10,.0f} "
          f"{med(external_gz) + css_gz + js:12,.0f}  bytes (HTML + CSS + JS)")
    print(f"{'first view, brotli':28} {med(inline_br) + js:10,.0f} "
          f"{med(external_br) + css_br + js:12,.0f}")
    print(f"{'render-blocking requests':28} {1:10} {2:12}")
    print(f"{'each later page, gzip':28} {med(inline_gz):10,.0f} {med(external_gz):12,.0f}"
          f"  (CSS and JS cached)")
    print(f"{'each later page, brotli':28} {med(inline_br):10,.0f} {med(external_br):12,.0f}")
    print("cost of the cached file on a first view, and what it saves on each later page:")
    for name, kbps, rtt in PROFILES:
        per_byte = 8 / kbps  # ms per byte at kbit/s
        first = rtt + (css_gz - saved_gz) * per_byte
        later = max(saved_gz * per_byte, 1e-9)
        print(f"  {name:8} ({kbps} kbit/s, RTT {rtt} ms): first view +{first:5.0f} ms, "
              f"each later page -{later:4.0f} ms: even after {first / later:4.1f} more pages")
    print(f"inline wins the first view on every profile (one round trip less) and costs "
          f"{saved_gz:,.0f} B gzip / {saved_br:,.0f} B br on each later page; a cached "
          "stylesheet would also leave a trace of the visit in the browser cache.")


LANGUAGE_CONTROL = re.compile(r'<nav class="?lc"?[^>]*>.*?</nav>', re.S)


def every_language_list(app, page_code: str, path: str) -> str:
    """The header as it was before issue 19: a link to this page in every language."""
    items = []
    for lang in app.extensions["i18n"].registry.public:
        attrs = f'lang="{lang.bcp47}" dir="{lang.dir}"'
        if lang.code == page_code:
            items.append(f"<li><b {attrs}>{lang.endonym}</b>")
        else:
            items.append(f'<li><a href="/{lang.code}/{path}" {attrs} '
                         f'hreflang="{lang.bcp47}">{lang.endonym}</a>')
    return '<nav aria-label="Languages"><ul class="langs">' + "".join(items) + "</ul></nav>"


def language_header(app, export):
    heading("Header: one language control instead of a link per language (issue 19)")
    saved_gz, saved_br, per_link = [], [], []
    count = len(app.extensions["i18n"].registry.public)
    for url, bodies in export.pages.items():
        html = bodies[""].decode("utf-8")
        match = LANGUAGE_CONTROL.search(html)
        if not match or url.count("/") < 2:
            continue
        code, path = url.split("/", 2)[1:]
        old = html[:match.start()] + every_language_list(app, code, path) + html[match.end():]
        before_gz, before_br = gz(old.encode()), br(old.encode())
        saved_gz.append(before_gz - len(bodies[".gz"]))
        saved_br.append(before_br - len(bodies[".br"]))
        per_link.append(saved_gz[-1] / max(count - 1, 1))
    if not saved_gz:
        print("no page carries the language control: nothing to compare")
        return
    med = statistics.median
    print(f"{len(saved_gz)} pages, {count} languages: the control saves median "
          f"{med(saved_gz):,.0f} B gzip (min {min(saved_gz):,}, max {max(saved_gz):,}), "
          f"{med(saved_br):,.0f} B br per first view")
    print(f"a list would grow by about {med(per_link):,.0f} B gzip per language: at 32 "
          f"languages about {med(saved_gz) + 20 * med(per_link):,.0f} B gzip on every page")


def htmlmin_cost(app):
    heading("htmlmin on uncached search results pages")
    client = app.test_client()
    codes = [lang.code for lang in app.extensions["i18n"].registry.public]
    pages, render_ms = [], []
    for code in codes:
        for term in SEARCH_TERMS:
            url = f"/{code}/search?q={quote(term)}"
            started = time.perf_counter()
            response = client.get(url, headers={"Accept-Encoding": "identity"})
            render_ms.append((time.perf_counter() - started) * 1000)
            if response.status_code == 200:
                pages.append((url, response.get_data(as_text=True)))
    if not pages:
        print("search answers 503 (no index): timing the empty-query search page instead")
        for code in codes:
            url = f"/{code}/search"
            started = time.perf_counter()
            response = client.get(url, headers={"Accept-Encoding": "identity"})
            render_ms.append((time.perf_counter() - started) * 1000)
            pages.append((url, response.get_data(as_text=True)))
    costs, raw_saved, gz_saved, sizes = [], [], [], []
    for _url, html in pages:
        rounds = 20
        started = time.perf_counter()
        for _ in range(rounds):
            small = minify(html)
        costs.append((time.perf_counter() - started) * 1000 / rounds)
        data, mini = html.encode("utf-8"), small.encode("utf-8")
        sizes.append(len(data))
        raw_saved.append(len(data) - len(mini))
        gz_saved.append(len(gzip.compress(data, 6, mtime=0)) -
                        len(gzip.compress(mini, 6, mtime=0)))
    med = statistics.median
    print(f"{len(pages)} pages, median {med(sizes):,.0f} B raw; whole request (render + "
          f"search + compress) median {med(render_ms):.2f} ms")
    print(f"htmlmin: median {med(costs):.2f} ms per page (max {max(costs):.2f} ms); saves "
          f"median {med(raw_saved):,.0f} B raw, {med(gz_saved):,.0f} B gzip")
    verdict = "well under" if max(costs) < 0.5 else "NOT well under"
    print(f"=> htmlmin is {verdict} a millisecond per search page; search results stay "
          f"unminified{' (it would cost more than it saves)' if verdict.startswith('NOT') else ''}")


def main():
    app = create_app()
    export, took = crawl(app)
    print(f"(rendered {len(export.pages)} pages in {took:.1f} s to measure them)")
    page_weights(app, export)
    inline_or_cached_css(app, export)
    language_header(app, export)
    htmlmin_cost(app)
