"""What search engines and crawlers read: robots.txt, the sitemap with its alternates,
and per page a canonical, a description and a title of its own; every internal link
found by a crawl of the whole site resolves."""

from __future__ import annotations

import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest

from portal import create_app
from portal.seo import page_paths, resolves, unclassified_routes

ORIGIN = "https://portal.example"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


@pytest.fixture(scope="module")
def seo_app():
    return create_app({"TESTING": True, "RELOAD_INTERVAL": 0.0, "PUBLIC_URL": ORIGIN})


@pytest.fixture(scope="module")
def client(seo_app):
    return seo_app.test_client()


@pytest.fixture(scope="module")
def codes(seo_app):
    return [lang.code for lang in seo_app.extensions["i18n"].registry.public]


def fetch_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.mimetype == "application/xml", url
    return ElementTree.fromstring(response.data)


def sitemaps(client) -> dict[str, ElementTree.Element]:
    """Every sitemap the index at /sitemap.xml names, by its address."""
    index = fetch_xml(client, "/sitemap.xml")
    assert index.tag == f"{{{NS['s']}}}sitemapindex"
    return {loc.text: fetch_xml(client, local(loc.text))
            for loc in index.iterfind("s:sitemap/s:loc", NS)}


def merged(client) -> ElementTree.Element:
    """The <url> entries of every sitemap of the index, as one urlset."""
    urlset = ElementTree.Element(f"{{{NS['s']}}}urlset")
    for tree in sitemaps(client).values():
        assert tree.tag == f"{{{NS['s']}}}urlset"
        urlset.extend(tree.findall("s:url", NS))
    return urlset


@pytest.fixture(scope="module")
def sitemap(client):
    return merged(client)


class Head(HTMLParser):
    """The parts of a page that search engines read, and its links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title, self.in_title = "", False
        self.meta: dict[str, str] = {}
        self.links: list[dict] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self.in_title = True
        elif tag == "meta" and "name" in attrs:
            self.meta[attrs["name"]] = attrs.get("content") or ""
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False

    def handle_data(self, data):
        if self.in_title:
            self.title += data

    @property
    def canonical(self):
        found = [link["href"] for link in self.links if link.get("rel") == "canonical"]
        assert len(found) <= 1
        return found[0] if found else None


def head(response) -> Head:
    parser = Head()
    parser.feed(response.get_data(as_text=True))
    return parser


def local(url: str) -> str:
    assert url.startswith(ORIGIN + "/"), url
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# robots.txt and the sitemap --------------------------------------------------------------

def test_robots_txt_names_the_sitemap_at_the_root(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {ORIGIN}/sitemap.xml" in lines
    assert not any(line.strip() in ("Disallow: /", "Disallow: /en/") for line in lines)


def test_root_files_are_not_redirected(client):
    for url in ("/robots.txt", "/sitemap.xml", "/sitemap-root.xml", "/sitemap-en.xml"):
        assert client.get(url).status_code == 200, url


def test_the_sitemap_is_an_index_of_one_sitemap_per_language(client, codes):
    found = sitemaps(client)
    assert list(found) == [f"{ORIGIN}/sitemap-{name}.xml" for name in ["root", *codes]]
    for address, tree in found.items():
        name = address.removeprefix(f"{ORIGIN}/sitemap-").removesuffix(".xml")
        locs = [loc.text for loc in tree.iterfind("s:url/s:loc", NS)]
        prefix = ORIGIN + ("/languages" if name == "root" else f"/{name}/")
        assert locs and all(loc.startswith(prefix) for loc in locs), address
        # A sitemap may list only addresses at or below its own folder: the site's root.
        assert address.count("/") == 3


def test_each_sitemap_stays_small_as_languages_grow(client, codes):
    # 7 MB as one file at 32 languages; split, each language's grows only by one
    # alternate per page for each language added.
    for name in ["root", *codes]:
        size = len(client.get(f"/sitemap-{name}.xml").data)
        assert size < 500_000, (name, size)


@pytest.mark.parametrize("url", ["/sitemap-xx.xml", "/sitemap-EN.xml", "/sitemap-zh.xml",
                                 "/sitemap-en-xa.xml"])
def test_a_sitemap_the_index_does_not_name_is_not_found(client, url):
    assert client.get(url).status_code == 404


def test_every_route_is_listed_or_says_why_not(seo_app):
    assert unclassified_routes(seo_app) == []


def test_sitemap_lists_every_page_in_every_language_with_alternates(seo_app, sitemap, codes):
    langs = list(seo_app.extensions["i18n"].registry.public)
    urls = sitemap.findall("s:url", NS)
    locs = [u.find("s:loc", NS).text for u in urls]
    assert len(locs) == len(set(locs)) == 1 + len(page_paths(seo_app)) * len(codes)
    store = seo_app.extensions["content"]
    for code in codes:
        for expected in ([f"/{code}/", f"/{code}/services", f"/{code}/card",
                          f"/{code}/resources/your-rights"]
                         + [f"/{code}/{slug}" for slug in store.pages]
                         + [f"/{code}/services/{sid}" for sid in store.services]
                         + [f"/{code}/news/{slug}" for slug in store.news]):
            assert ORIGIN + expected in locs, expected
    assert ORIGIN + "/languages" in locs
    for url in urls:
        loc = url.find("s:loc", NS).text
        if loc == ORIGIN + "/languages":
            continue
        alternates = {link.get("hreflang"): link.get("href")
                      for link in url.findall("x:link", NS)}
        assert set(alternates) == {lang.bcp47 for lang in langs} | {"x-default"}, loc
        assert alternates["x-default"] == ORIGIN + "/languages"
        assert loc in alternates.values()
        rest = local(loc).split("/", 2)[2]
        for lang in langs:
            assert alternates[lang.bcp47] == f"{ORIGIN}/{lang.code}/{rest}"


def test_sitemap_leaves_out_what_is_not_indexed(sitemap):
    locs = [loc.text for loc in sitemap.iter(f"{{{NS['s']}}}loc")]
    for loc in locs:
        assert "?" not in loc and "/search" not in loc and "/translators" not in loc, loc
        assert not loc.endswith((".atom", "/languages")) or loc == ORIGIN + "/languages", loc


def test_every_address_in_the_sitemap_answers_200(client, sitemap):
    addresses = {loc.text for loc in sitemap.iter(f"{{{NS['s']}}}loc")}
    addresses |= {link.get("href") for link in sitemap.iter(f"{{{NS['x']}}}link")}
    for address in sorted(addresses):
        response = client.get(local(address))
        assert response.status_code == 200, address
        assert response.mimetype == "text/html", address


def test_lastmod_is_the_pages_checked_date(make_app):
    app = make_app(PUBLIC_URL=ORIGIN)
    pages = Path(app.config["CONTENT_DIR"]) / "pages"
    for name, date in (("your-rights.md", "checked: 2026-11-30\n"), ("get-help-now.md", "")):
        text = (pages / name).read_text(encoding="utf-8")
        text, found = re.subn(r"(?m)^checked: .*\n", date, text, count=1)
        assert found == 1, name
        (pages / name).write_text(text, encoding="utf-8")
    app.extensions["content"].load()
    tree = merged(app.test_client())
    dated = {u.find("s:loc", NS).text: u.find("s:lastmod", NS) for u in tree.findall("s:url", NS)}
    codes = [lang.code for lang in app.extensions["i18n"].registry.public]
    for code in codes:
        for path in (f"/{code}/your-rights", f"/{code}/resources/your-rights"):
            assert dated[ORIGIN + path] is not None and dated[ORIGIN + path].text == \
                "2026-11-30", path
        # No date given: no lastmod, rather than an invented one.
        assert dated[f"{ORIGIN}/{code}/get-help-now"] is None


def test_sitemap_follows_public_url(make_app):
    app = make_app(PUBLIC_URL="https://other.example/")
    client = app.test_client()
    for url, expected in (("/sitemap.xml", b"https://other.example/sitemap-en.xml"),
                          ("/sitemap-en.xml", b"https://other.example/en/get-help-now"),
                          ("/sitemap-root.xml", b"https://other.example/languages")):
        body = client.get(url, headers={"Host": "evil.example"}).data
        assert expected in body, url
        assert b"evil.example" not in body and b"localhost" not in body, url
    robots = app.test_client().get("/robots.txt", headers={"Host": "evil.example"}).data
    assert b"Sitemap: https://other.example/sitemap.xml" in robots


# Per page ----------------------------------------------------------------------------------

def test_every_page_has_a_canonical_description_and_a_title_of_its_own(client, sitemap):
    titles = defaultdict(dict)
    for loc in sitemap.iter(f"{{{NS['s']}}}loc"):
        response = client.get(local(loc.text))
        page = head(response)
        assert page.canonical == loc.text, loc.text
        assert page.meta.get("description", "").strip(), loc.text
        assert "robots" not in page.meta, loc.text
        assert page.title.strip(), loc.text
        # Titles land in the browser's history: the page's own name, no site name.
        assert not re.search(r"[|:–—-]\s*Hertfordshire Modern Slavery Partnership\s*$",
                             page.title), loc.text
        # No per-page alternates: they are in the sitemap (see the README).
        assert not any(link.get("hreflang") for link in page.links), loc.text
        code = local(loc.text).split("/")[1]
        assert page.title not in titles[code], (loc.text, titles[code].get(page.title))
        titles[code][page.title] = loc.text


def test_leaflets_are_named_apart_from_their_pages(client, codes):
    assert head(client.get("/en/resources/your-rights")).title == "Your rights – leaflet"
    for code in codes:
        leaflet = head(client.get(f"/{code}/resources/your-rights")).title
        guidance = head(client.get(f"/{code}/your-rights")).title
        assert leaflet != guidance and guidance in leaflet, code


def test_home_pages_are_named(client, codes):
    for code in codes:
        assert head(client.get(f"/{code}/")).title.strip() not in ("", "Help and advice"), code


@pytest.mark.parametrize("url", ["/en/get-help-now?with=ar", "/ar/get-help-now?with=en",
                                 "/en/get-help-now?review=1", "/en/search",
                                 "/en/search?q=help", "/translators/", "/en/no-such-page"])
def test_what_is_not_indexed_says_noindex(client, url):
    page = head(client.get(url))
    assert page.meta.get("robots") == "noindex", url
    assert page.canonical is None, url


def test_languages_under_a_language_is_the_languages_page(client, codes):
    root = client.get("/languages")
    for code in codes:
        response = client.get(f"/{code}/languages")
        assert response.status_code == 200, code
        assert response.data == root.data
        assert head(response).canonical == f"{ORIGIN}/languages"


def test_filtered_and_later_pages_name_their_canonical(client):
    assert head(client.get("/en/services?need=work")).canonical == f"{ORIGIN}/en/services"


# Links ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "expected"), [
    ("/en/", True), ("/en/get-help-now", True), ("/ar/services/childline", True),
    ("/ti/resources/your-rights", True), ("/pl/languages", True), ("/en/news", True),
    ("/languages", True), ("/en", True),
    ("/en/no-such-page", False), ("/en/services/no-such-service", False),
    ("/en/resources/no-such-leaflet", False), ("/en/resources/get-help-now", False),
    ("/en/news/no-such-item", False), ("/xx/get-help-now", False), ("/nowhere/deep/x", False),
])
def test_links_resolve_through_the_routes(seo_app, path, expected):
    assert resolves(seo_app, path) is expected


@pytest.mark.parametrize(("target", "ok"), [
    ("resources/your-rights", True), ("card", True), ("news", True), ("languages", True),
    ("services/childline", True),
    ("resources/nothing", False), ("services/nothing", False), ("news/nothing", False),
    ("translators", False),
])
def test_content_check_resolves_links_through_the_routes(make_app, target, ok):
    from portal.content_check import check_content

    app = make_app()
    page = Path(app.config["CONTENT_DIR"]) / "pages" / "zz-links.md"
    page.write_text("---\ntitle: T\nsummary: S\naudience: public\nchecked: 2026-12-06\n---\n"
                    f"Read [this]({target}).\n", encoding="utf-8")
    app.extensions["content"].load()
    errors, _ = check_content(app.extensions["content"], app.extensions["i18n"].registry,
                              app=app)
    broken = [e for e in errors if "zz-links" in e]
    assert (not broken) is ok, broken


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def test_a_crawl_from_every_home_page_finds_no_broken_internal_link(client, codes):
    queue = [f"/{code}/" for code in codes]
    seen = set(queue)
    referrer: dict[str, str] = {}
    broken = []
    while queue:
        url = queue.pop(0)
        response = client.get(url)
        if 400 <= response.status_code < 500:
            broken.append(f"{url} ({response.status_code}) linked from {referrer.get(url)}")
            continue
        if response.status_code in (301, 302, 303, 307, 308):
            targets = [response.headers["Location"]]
        elif response.mimetype == "text/html":
            anchors = _Anchors()
            anchors.feed(response.get_data(as_text=True))
            targets = anchors.hrefs
        else:
            continue
        for href in targets:
            href = href.split("#")[0]
            if not href.startswith("/") or href.startswith("//") or href in seen:
                continue
            if re.match(r"^/exit$|^/[^/]+/search\?", href):
                continue  # leaves the site; free input
            seen.add(href)
            referrer[href] = url
            queue.append(href)
        assert len(seen) < 20000, "a link loop?"
    assert not broken, "\n".join(broken[:30])
    assert {f"/{code}/languages" for code in codes} <= seen
