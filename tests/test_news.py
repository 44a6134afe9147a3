"""News and events, the feed, training, resources and partners."""

import datetime as dt
from xml.etree import ElementTree

import feedparser
import pytest

from portal.dates import local_date, partial_date
from portal.locales import Registry

REG = Registry()


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en", "29 November 2026"),
        ("pl", "29 listopada 2026"),
        ("vi", "29 tháng 11, 2026"),
        ("zh-hans", "2026年11月29日"),
        ("ar", "29 نوفمبر 2026"),
        ("fa", "۲۹ نوامبر ۲۰۲۶"),
    ],
)
def test_dates_follow_the_readers_locale(code, expected):
    assert local_date(dt.date(2026, 11, 29), REG.get(code)) == expected


@pytest.mark.parametrize(
    ("value", "code", "expected"),
    [("2021", "en", "2021"), ("2021-03", "en", "March 2021"), ("2021-03-04", "en", "4 March 2021"),
     ("2021-03", "fa", "مارس ۲۰۲۱"), ("undated", "en", None), ("", "en", None)],
)
def test_source_dates_may_be_partial(value, code, expected):
    assert partial_date(value, REG.get(code)) == expected


def test_news_is_newest_first_with_localised_dates(client, app):
    items = app.extensions["content"].sorted_news()
    assert len(items) >= 3
    dates = [str(item.meta["date"]) for item in items]
    assert dates == sorted(dates, reverse=True)
    body = client.get("/pl/news").get_data(as_text=True)
    first, second = (f'href="/pl/news/{items[i].slug}"' for i in (0, 1))
    assert body.index(first) < body.index(second)
    assert "listopada" in body


def test_pagination_with_plain_links(make_app):
    app = make_app(NEWS_PER_PAGE=2)
    client = app.test_client()
    total = len(app.extensions["content"].news)
    pages = -(-total // 2)
    first = client.get("/en/news").get_data(as_text=True)
    assert 'href="/en/news?page=2"' in first and 'rel="prev"' not in first
    last = client.get(f"/en/news?page={pages}").get_data(as_text=True)
    assert f'href="/en/news?page={pages - 1}"' in last and 'rel="next"' not in last
    assert first.count('href="/en/news/') == 2
    assert client.get(f"/en/news?page={pages + 1}").status_code == 404
    for bad in (0, "x", "-1", "9" * 50, "1.0", "0x1", "1e1", "²", "١", "①", "\U00010a40"):
        response = client.get("/ar/news", query_string={"page": bad})
        assert response.status_code == 400, bad
        assert '<html lang="ar"' in response.get_data(as_text=True)


def test_untranslated_item_is_english_marked(make_app):
    app = make_app()
    news = app.extensions["content"].news
    slug = sorted(news)[0]
    item = news[slug]
    item.blocks.append(type(item.blocks[-1])(kind="p", text="Brand new English words.",
                                             context=item.blocks[-1].context))
    body = app.test_client().get(f"/ar/news/{slug}").get_data(as_text=True)
    assert '<p lang="en" dir="ltr">Brand new English words.</p>' in body


@pytest.mark.parametrize("code", ["en", "ar", "zh-hans"])
def test_atom_feed_parses_back(client, app, code):
    response = client.get(f"/{code}/news.atom")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert len(feed.entries) == len(app.extensions["content"].news)
    for entry in feed.entries:
        assert f"/{code}/news/" in entry.link
        assert entry.title and entry.published_parsed


ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize("code", ["en", "ar"])
def test_atom_feed_has_what_rfc_4287_requires(make_app, code):
    """4.1.1: a feed has an id, a title, updated, and an author (or one in every entry);
    4.1.2: each entry has an id, a title, updated, and a link or content. Ids are
    permanent: from PUBLIC_URL, whatever Host the request named."""
    app = make_app(PUBLIC_URL="https://portal.example")
    client = app.test_client()
    body = client.get(f"/{code}/news.atom", headers={"Host": "evil.example"}).data
    assert b"evil.example" not in body and b"localhost" not in body
    feed = feedparser.parse(body)
    assert not feed.bozo, feed.get("bozo_exception")
    root = ElementTree.fromstring(body)
    for name in ("id", "title", "updated"):
        assert (root.findtext(ATOM + name) or "").strip(), name
    assert root.findtext(f"{ATOM}author/{ATOM}name").strip()
    assert feed.feed.author_detail.href == f"https://portal.example/{code}/about-the-partnership"
    assert root.findtext(ATOM + "id") == f"https://portal.example/{code}/news"
    entries = root.findall(ATOM + "entry")
    assert entries
    ids = [entry.findtext(ATOM + "id") for entry in entries]
    assert len(ids) == len(set(ids))
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert (entry.findtext(ATOM + name) or "").strip(), name
        assert entry.find(ATOM + "link") is not None or entry.find(ATOM + "content") is not None
        assert entry.findtext(ATOM + "id").startswith(f"https://portal.example/{code}/news/")
    again = client.get(f"/{code}/news.atom", headers={"Host": "other.example"}).data
    assert again == body


@pytest.mark.parametrize("path", ["training", "resources", "partners", "news",
                                  "resources/spot-the-signs", "resources/your-rights"])
def test_partnership_pages_exist_in_every_language(client, path):
    for lang in REG.public:
        response = client.get(f"/{lang.code}/{path}")
        assert response.status_code == 200, (lang.code, path)
        body = response.get_data(as_text=True)
        assert f'href="/{lang.code}/news"' in body and f'href="/{lang.code}/partners"' in body
        assert 'id="exit"' in body


def test_training_email_comes_from_configuration(make_app):
    app = make_app(TRAINING_EMAIL="training@example.org")
    body = app.test_client().get("/en/training").get_data(as_text=True)
    assert 'href="mailto:training@example.org"' in body
    plain = make_app().test_client().get("/en/training").get_data(as_text=True)
    assert "{training_email}" not in plain and "mailto:" not in plain.split("<main")[1]


def test_partners_are_grouped_by_kind(client):
    body = client.get("/en/partners").get_data(as_text=True)
    assert "<h2>Councils, police and public bodies</h2>" in body
    assert 'href="https://www.hertfordshire.gov.uk/"' in body
