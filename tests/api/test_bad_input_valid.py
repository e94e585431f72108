"""The valid twins of the bad-input table, the inputs beside it that are not errors, huge values."""

# ruff: noqa: F811  (the client and journal_content fixtures come from bad_input_support)

import time
from urllib.parse import quote

import pytest

from tests.api.bad_input_support import (  # noqa: F401
    ARTICLE,
    ARTICLE_FILTER_VALUES,
    ARTICLES,
    DETAILS,
    LISTS,
    assert_error,
    assert_no_leak,
    client,
    issued_cursor,
    journal_content,
    q,
)

pytestmark = pytest.mark.django_db

# The valid twins of the table (test_bad_input_table.py): the same requests with the malformed
# part made right succeed, so each 400 there is about the malformed part and nothing else.
VALID_REQUESTS = [
    pytest.param(ARTICLES, "", id="articles"),
    *(
        pytest.param(ARTICLES, q(**{name: value}), id=f"articles-{name}")
        for name, value in ARTICLE_FILTER_VALUES.items()
    ),
    pytest.param(ARTICLES, "limit=100", id="articles-limit-100"),
    pytest.param(ARTICLES, "limit=1", id="articles-limit-1"),
    pytest.param(ARTICLES, "published_after=2026-01-01", id="articles-published-after-date"),
    pytest.param(ARTICLES, "updated_since=2026-01-01T09:00:00", id="articles-updated-since-naive"),
    pytest.param(
        ARTICLES,
        "published_before=2026-06-01T09:00:00%2B02:00",
        id="articles-published-before-with-offset",
    ),
    pytest.param(ARTICLES, "series=sleep-series&ordering=title", id="articles-series-by-title"),
    pytest.param(ARTICLES, "search=sleep&topic=mental-health", id="articles-search-filtered"),
    pytest.param(ARTICLES, f"id={','.join(str(n) for n in range(1, 101))}", id="articles-100-ids"),
    pytest.param(ARTICLES, "search=%E7%9D%A1%E7%9C%A0", id="articles-search-non-latin"),
    *(pytest.param(path, "limit=1", id=path.strip("/").replace("/", "-")) for path in LISTS),
    *(pytest.param(path, "", id=path.strip("/").replace("/", "-")) for path in DETAILS),
    pytest.param(ARTICLE, "include=retracted_body", id="article-detail-include"),
]


@pytest.mark.parametrize(("path", "query"), VALID_REQUESTS)
def test_the_valid_twin_succeeds(client, journal_content, path, query):
    response = client.generic("GET", path, QUERY_STRING=query)

    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].split(";")[0] == "application/json"


def test_a_cursor_the_server_issued_is_accepted(client, journal_content):
    cursor = issued_cursor(client, ARTICLES, ordering="title", limit=1)

    response = client.get(ARTICLES, {"ordering": "title", "limit": 1, "cursor": cursor})

    assert response.status_code == 200
    assert response.json()["previous"]


def test_an_unknown_tag_gives_an_empty_list_not_an_error(client, journal_content):
    response = client.get(ARTICLES, {"tag": "no-such-tag"})

    assert response.status_code == 200
    assert response.json() == {"results": [], "next": None, "previous": None}


def test_a_blank_tag_never_matches_every_article(client, journal_content):
    """Either a 400 (blank is empty) or no match; ignoring the filter would list everything."""
    response = client.get(ARTICLES, {"tag": " "})

    if response.status_code == 400:
        assert_error(response, status=400, code="invalid_parameter", detail="tag")
    else:
        assert response.status_code == 200
        assert response.json()["results"] == []


@pytest.mark.parametrize(
    "text",
    [
        '"',
        'sleep"',
        'a"b',
        '"sleep"',
        "'",
        "*",
        "sleep*",
        "(",
        ")",
        "NEAR(",
        "a OR",
        "NOT",
        "-",
        ":",
    ],
)
def test_search_syntax_characters_are_searched_as_text(client, journal_content, text):
    """Full-text operators in a query are text to search for, never a 4xx/5xx."""
    response = client.get(ARTICLES, {"search": text})

    assert response.status_code == 200, response.content[:300]
    assert_no_leak(response)
    assert isinstance(response.json()["results"], list)


def test_a_100_kb_search_is_turned_away_at_once(client, journal_content):
    query = "search=" + quote("sleep " * 17_000)  # about 100 KB
    assert len(query) > 100_000

    started = time.perf_counter()
    response = client.generic("GET", ARTICLES, QUERY_STRING=query)
    elapsed = time.perf_counter() - started

    assert_error(response, status=400, code="invalid_parameter", detail="search")
    assert elapsed < 1.0
