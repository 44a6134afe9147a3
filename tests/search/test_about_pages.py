"""The partnership's app pages (partners, resources) are searchable in every language."""

import re

import pytest


@pytest.mark.parametrize(("code", "query", "url"), [
    ("en", "Shiva Foundation", "/en/partners"),
    ("ar", "Shiva Foundation", "/ar/partners"),
    ("en", "print resources", "/en/resources"),
])
def test_partners_and_resources_are_found(search_client, code, query, url):
    body = search_client.get(f"/{code}/search", query_string={"q": query}).get_data(
        as_text=True)
    main = body.split("<main", 1)[1]
    assert re.findall(r'<a href="(/[^"]+)"', main)[0] == url
