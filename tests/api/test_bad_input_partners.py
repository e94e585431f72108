"""Malformed partner credentials and request bodies: a 4xx with the error body, in bounded time."""

import time

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

BIG = 3 * 1024 * 1024


@pytest.fixture
def client(journal):
    return Client(HTTP_HOST="localhost")


def error_code(response, status: int) -> str:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["status"] == status and error["message"]
    return error["code"]


@pytest.mark.parametrize("path", ["/api/v1/articles/", "/api/v1/sync/", "/feeds/articles.rss"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_an_oversized_body_on_a_read_endpoint_is_405(client, path, method):
    started = time.monotonic()
    response = getattr(client, method)(path, data=b"x" * BIG, content_type="application/json")
    assert error_code(response, 405) == "method_not_allowed"
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    "header",
    [
        "Api-Key abc\x00def",
        "Api-Key " + "A" * 100_000,
        "Api-Key \u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "Api-Key ../../etc/passwd",
        "Api-Key ' OR 1=1 --",
    ],
    ids=["nul", "100kb", "non-ascii", "path", "sql"],
)
@pytest.mark.parametrize("path", ["/api/v1/articles/", "/feeds/articles.atom"])
def test_a_malformed_key_is_401_with_the_error_body(client, header, path):
    started = time.monotonic()
    response = client.get(path, HTTP_AUTHORIZATION=header)
    assert error_code(response, 401) == "invalid_api_key"
    assert time.monotonic() - started < 1
    assert "passwd" not in response.content.decode() and "OR 1=1" not in response.content.decode()


@pytest.mark.parametrize("value", ["", "a" * 100_000, "abc\x00"], ids=["empty", "100kb", "nul"])
def test_a_malformed_feed_key_in_the_query_is_a_4xx(client, value):
    response = client.get("/feeds/articles.json", {"api_key": value})
    assert response.status_code in (400, 401)
    assert error_code(response, response.status_code) in ("invalid_parameter", "invalid_api_key")
