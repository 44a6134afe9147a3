"""What per-page hreflang alternates would cost each first view, against the sitemap
the portal uses instead: gzip bytes added to a page by one ``<link rel=alternate>`` per
language plus x-default, with today's languages and with 32."""

from __future__ import annotations

import gzip

from portal import create_app

from .common import heading

ORIGIN = "https://www.example-portal.org.uk"  # a production-length origin
# Today's public languages plus wave 2 and 3 from the brief: 32 in all.
MORE = ["am", "bg", "bn", "ckb", "cs", "es", "fil", "fr", "ha", "hu", "ig", "kmr", "lt",
        "ml", "ne", "pa", "pcm", "prs", "pt", "ru", "si", "sk", "ta", "tr", "uk", "ur", "yo",
        "zh-hant", "tl", "fa-af"]
PAGES = ("/en/", "/ar/get-help-now", "/ti/services", "/hi/services", "/pl/your-rights")


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def alternates(codes: list[str], path: str) -> str:
    links = [f'<link rel="alternate" hreflang="{code}" href="{ORIGIN}/{code}/{path}">'
             for code in codes]
    links.append(f'<link rel="alternate" hreflang="x-default" href="{ORIGIN}/languages">')
    return "".join(links)


def main():
    heading("hreflang: per-page alternates or the sitemap")
    app = create_app({"TESTING": True, "PUBLIC_URL": ORIGIN})
    client = app.test_client()
    today = [lang.code for lang in app.extensions["i18n"].registry.public]
    wider = (today + [c for c in MORE if c not in today])[:32]
    print(f"{'page':<20} {'gzip now':>9} {f'+{len(today)} langs':>11} {'+32 langs':>10}")
    for url in PAGES:
        html = client.get(url, headers={"Accept-Encoding": "identity"}).get_data(as_text=True)
        path = url.split("/", 2)[2]
        base = gz(html.encode())
        extra = [gz(html.replace("</title>", "</title>" + alternates(codes, path), 1)
                    .encode()) - base for codes in (today, wider)]
        print(f"{url:<20} {base:>9,} {extra[0]:>+11,} {extra[1]:>+10,}")
    body = client.get("/sitemap.xml", headers={"Accept-Encoding": "identity"}).data
    print(f"sitemap.xml: {len(body):,} bytes, {gz(body):,} gzip, read by crawlers only")


if __name__ == "__main__":
    main()
