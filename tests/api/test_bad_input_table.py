"""One table of malformed requests on every endpoint: each gets the JSON error body, never 500."""

# ruff: noqa: F811  (the client and journal_content fixtures come from bad_input_support)

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core import signing
from django.test import Client

from api.content.pagination import CURSOR_SALT
from tests.api.bad_input_support import (  # noqa: F401
    ARTICLE,
    ARTICLE_FILTER_VALUES,
    ARTICLES,
    AUTHOR,
    AUTHORS,
    ONE_SERIES,
    SERIES,
    TOPIC,
    TOPICS,
    assert_error,
    client,
    issued_cursor,
    journal_content,
    q,
)

pytestmark = pytest.mark.django_db

# A keyset cursor payload as the server writes it (see api/content/pagination.py), for forgeries.
PAYLOAD = {"o": "-published_at", "d": "next", "k": ["2026-01-02T09:00:00+00:00", 1]}


def unsigned_cursor() -> str:
    """A payload in the cursor's own encoding, with no signature at all."""
    return signing.b64_encode(json.dumps(PAYLOAD, separators=(",", ":")).encode()).decode()


@dataclass(frozen=True)
class Bad:
    """One malformed request and the error the contract answers it with."""

    name: str
    path: str
    # The query string as sent on the wire (already percent-encoded), or built from the
    # client at run time when it needs a cursor the server issued.
    query: str | Callable[[Client], str] = ""
    status: int = 400
    code: str = "invalid_parameter"
    detail: str | None = None  # the parameter `details` must name
    method: str = "GET"
    headers: dict = field(default_factory=dict)


def unknown(name, path, query, parameter):
    return Bad(name, path, query, code="unknown_parameter", detail=parameter)


def invalid(name, query, parameter, path=ARTICLES):
    return Bad(name, path, query, detail=parameter)


def not_found(name, path, query=""):
    return Bad(name, path, query, status=404, code="not_found")


def not_allowed(name, method, path):
    return Bad(name, path, method=method, status=405, code="method_not_allowed")


def not_acceptable(name, path, accept):
    return Bad(name, path, status=406, code="not_acceptable", headers={"accept": accept})


BAD_REQUESTS = [
    # Unknown parameters: details and detail views accept none at all.
    unknown("articles-unknown-parameter", ARTICLES, "colour=red", "colour"),
    unknown("articles-misspelt-filter", ARTICLES, "serie=sleep-series", "serie"),
    unknown("articles-offset-pagination", ARTICLES, "page=2", "page"),
    unknown("articles-drf-format-override", ARTICLES, "format=xml", "format"),
    unknown("articles-parameter-name-not-utf8", ARTICLES, "%FF=1", "\ufffd"),
    unknown("article-detail-unknown-parameter", ARTICLE, "colour=red", "colour"),
    unknown("article-detail-rejects-limit", ARTICLE, "limit=5", "limit"),
    unknown("article-detail-rejects-cursor", ARTICLE, "cursor=abc", "cursor"),
    # The article detail's one parameter takes one value.
    invalid("article-detail-include-unknown-value", "include=body", "include", path=ARTICLE),
    invalid("article-detail-include-a-list", "include=retracted_body,body", "include", ARTICLE),
    invalid(
        "article-detail-include-twice",
        "include=retracted_body&include=retracted_body",
        "include",
        ARTICLE,
    ),
    invalid("article-detail-include-empty", "include=", "include", path=ARTICLE),
    unknown("series-list-rejects-ordering", SERIES, "ordering=title", "ordering"),
    unknown("series-detail-rejects-fields", ONE_SERIES, "fields=slug", "fields"),
    unknown("authors-list-rejects-search", AUTHORS, "search=ada", "search"),
    unknown("author-detail-unknown-parameter", AUTHOR, "colour=red", "colour"),
    unknown("topics-list-rejects-tag", TOPICS, "tag=sleep", "tag"),
    unknown("topic-detail-rejects-page", TOPIC, "page=2", "page"),
    # limit
    invalid("limit-zero", "limit=0", "limit"),
    invalid("limit-negative", "limit=-1", "limit"),
    invalid("limit-over-100", "limit=101", "limit"),
    invalid("limit-exponent", "limit=1e3", "limit"),
    invalid("limit-letters", "limit=abc", "limit"),
    invalid("limit-empty", "limit=", "limit"),
    invalid("limit-leading-space", "limit=%205", "limit"),
    invalid("limit-plus-sign", "limit=%2B5", "limit"),
    invalid("limit-decimal", "limit=5.0", "limit"),
    invalid("limit-10-to-the-30", f"limit={10**30}", "limit"),
    invalid("limit-repeated", "limit=5&limit=6", "limit"),
    invalid("limit-superscript-two", "limit=%C2%B2", "limit"),
    invalid("limit-arabic-indic-digit", "limit=%D9%A3", "limit"),
    invalid("series-list-limit-zero", "limit=0", "limit", path=SERIES),
    invalid("authors-list-limit-letters", "limit=abc", "limit", path=AUTHORS),
    invalid("topics-list-limit-over-100", "limit=101", "limit", path=TOPICS),
    # cursor: tamper-proof, and only valid for the list, ordering and search that issued it
    invalid("cursor-garbage", "cursor=not-a-cursor", "cursor"),
    invalid("cursor-unsigned-payload", lambda c: q(cursor=unsigned_cursor()), "cursor"),
    invalid(
        "cursor-payload-with-made-up-signature",
        lambda c: q(cursor=f"{unsigned_cursor()}:1xWotW:{'A' * 43}"),
        "cursor",
    ),
    invalid(
        "cursor-signed-with-another-salt",
        lambda c: q(cursor=signing.dumps(PAYLOAD, salt="folio.other.salt", compress=True)),
        "cursor",
    ),
    invalid(
        "cursor-signed-with-another-key",
        lambda c: q(cursor=signing.dumps(PAYLOAD, key="not-the-server-key", salt=CURSOR_SALT)),
        "cursor",
    ),
    invalid(
        "cursor-from-title-order-reused-for-published-order",
        lambda c: q(
            ordering="-published_at",
            cursor=issued_cursor(c, ARTICLES, ordering="title", limit=1),
        ),
        "cursor",
    ),
    invalid(
        "search-cursor-reused-for-another-query",
        lambda c: q(search="memory", cursor=issued_cursor(c, ARTICLES, search="sleep", limit=1)),
        "cursor",
    ),
    invalid(
        "keyset-cursor-used-with-search",
        lambda c: q(search="sleep", cursor=issued_cursor(c, ARTICLES, limit=1)),
        "cursor",
    ),
    invalid(
        "search-cursor-used-without-search",
        lambda c: q(cursor=issued_cursor(c, ARTICLES, search="sleep", limit=1)),
        "cursor",
    ),
    invalid(
        "article-cursor-used-on-series-list",
        lambda c: q(cursor=issued_cursor(c, ARTICLES, limit=1)),
        "cursor",
        path=SERIES,
    ),
    invalid(
        "series-cursor-used-on-article-title-order",
        lambda c: q(ordering="title", cursor=issued_cursor(c, SERIES, limit=1)),
        "cursor",
    ),
    invalid(
        "topics-cursor-used-on-authors-list",
        lambda c: q(cursor=issued_cursor(c, TOPICS, limit=1)),
        "cursor",
        path=AUTHORS,
    ),
    invalid("cursor-with-nul", "cursor=abc%00def", "cursor"),
    invalid("cursor-overlong", f"cursor={'A' * 3000}", "cursor"),
    invalid("cursor-empty", "cursor=", "cursor"),
    # NUL bytes, control characters, overlong values, bytes that are not UTF-8
    invalid("search-with-nul", "search=sleep%00", "search"),
    invalid("tag-with-nul", "tag=sl%00eep", "tag"),
    invalid("series-slug-with-nul", "series=sleep%00series", "series"),
    invalid("topic-slug-with-nul", "topic=mental%00health", "topic"),
    invalid("author-slug-with-nul", "author=ada%00lovelace", "author"),
    invalid("search-with-tab", "search=sleep%09mood", "search"),
    invalid("search-with-escape", "search=%1B%5B31m", "search"),
    invalid("tag-with-delete-char", "tag=sleep%7F", "tag"),
    invalid("series-with-crlf", "series=sleep-series%0D%0AX-Injected:%201", "series"),
    invalid("search-201-characters", f"search={'a' * 201}", "search"),
    invalid("tag-201-characters", f"tag={'a' * 201}", "tag"),
    invalid("author-201-characters", f"author={'a' * 201}", "author"),
    invalid("search-percent-encoded-non-utf8", "search=%FF%FE", "search"),
    invalid("tag-truncated-utf8-sequence", "tag=%C3", "tag"),
    invalid("search-overlong-utf8-encoding", "search=%C0%AF", "search"),
    invalid("search-raw-non-utf8-bytes", "search=\xff\xfe", "search"),
    # Empty and blank values for every filter
    *(invalid(f"{name}-empty", f"{name}=", name) for name in ARTICLE_FILTER_VALUES),
    invalid("series-blank", "series=%20", "series"),
    invalid("topic-blank", "topic=%20", "topic"),
    invalid("author-blank", "author=%20", "author"),
    invalid("search-blank", "search=%20%20", "search"),
    # fields
    invalid("fields-unknown-name", "fields=id,colour", "fields"),
    invalid("fields-empty-element", "fields=id,,slug", "fields"),
    invalid("fields-trailing-comma", "fields=id,", "fields"),
    invalid("fields-detail-only-field", "fields=body", "fields"),
    # id
    invalid("id-zero", "id=0", "id"),
    invalid("id-negative", "id=-1", "id"),
    invalid("id-letters", "id=abc", "id"),
    invalid("id-decimal", "id=1.5", "id"),
    invalid("id-empty-element", "id=1,,2", "id"),
    invalid("id-101-ids", f"id={','.join(str(n) for n in range(1, 102))}", "id"),
    invalid("id-beyond-bigint", "id=99999999999999999999", "id"),
    invalid("id-superscript-two", "id=%C2%B2", "id"),
    # ordering
    invalid("ordering-unknown", "ordering=popularity", "ordering"),
    invalid("ordering-descending-title", "ordering=-title", "ordering"),
    invalid("ordering-wrong-case", "ordering=Title", "ordering"),
    # timestamps
    invalid("published-after-yesterday", "published_after=yesterday", "published_after"),
    invalid("published-after-month-13", "published_after=2026-13-45", "published_after"),
    invalid("published-before-hour-25", "published_before=2026-01-01T25:00", "published_before"),
    invalid("updated-since-february-30", "updated_since=2026-02-30", "updated_since"),
    invalid("updated-since-unix-time", "updated_since=1767225600", "updated_since"),
    invalid(
        "updated-since-offset-out-of-range",
        "updated_since=2026-01-01T09:00:00%2B99:00",
        "updated_since",
    ),
    invalid(
        "published-after-beyond-year-9999-in-utc",
        "published_after=9999-12-31T23:00:00-05:00",
        "published_after",
    ),
    invalid(
        "published-before-before-year-1-in-utc",
        "published_before=0001-01-01T00:00:00%2B01:00",
        "published_before",
    ),
    # series, topic and author slugs that name nothing are typos: 400 (a tag is free text)
    invalid("series-names-nothing", "series=no-such-series", "series"),
    invalid("series-names-an-unpublished-series", "series=draft-series", "series"),
    invalid("topic-names-nothing", "topic=no-such-topic", "topic"),
    invalid("author-names-nothing", "author=no-such-author", "author"),
    invalid(
        "topic-names-nothing-on-a-later-page",
        lambda c: q(topic="no-such-topic", cursor=issued_cursor(c, ARTICLES, limit=1)),
        "topic",
    ),
    # Unknown slugs on every detail endpoint
    not_found("article-unknown-slug", "/api/v1/articles/no-such-article/"),
    not_found("series-unknown-slug", "/api/v1/series/no-such-series/"),
    not_found("series-unpublished", "/api/v1/series/draft-series/"),
    not_found("author-unknown-slug", "/api/v1/authors/no-such-author/"),
    not_found("topic-unknown-slug", "/api/v1/topics/no-such-topic/"),
    not_found("article-300-character-slug", f"/api/v1/articles/{'a' * 300}/"),
    not_found("author-300-character-slug", f"/api/v1/authors/{'a' * 300}/"),
    not_found("article-detail-slug-with-nul", "/api/v1/articles/sleep%00and-memory/"),
    not_found("series-detail-slug-with-nul", "/api/v1/series/sleep-series%00/"),
    not_found("topic-slug-not-utf8", "/api/v1/topics/%FF%FE/"),
    not_found("article-path-beyond-detail", "/api/v1/articles/sleep-and-memory/extra/"),
    # Paths under /api/ that name no endpoint
    not_found("unknown-path-under-v1", "/api/v1/nothing/"),
    not_found("unknown-version-v2", "/api/v2/articles/"),
    not_found("api-root", "/api/"),
    not_found("v1-root", "/api/v1/"),
    not_found("list-without-trailing-slash", "/api/v1/articles"),
    not_found("unknown-path-with-query", "/api/v1/nothing/", "limit=0"),
    Bad(
        "unknown-path-asking-for-xml",
        "/api/v1/nothing/",
        status=404,
        code="not_found",
        headers={"accept": "application/xml"},
    ),
    Bad("post-to-unknown-path", "/api/v1/nothing/", method="POST", status=404, code="not_found"),
    Bad("delete-under-v2", "/api/v2/articles/1/", method="DELETE", status=404, code="not_found"),
    # Write methods on read endpoints
    *(
        not_allowed(f"{method.lower()}-{kind}", method, path)
        for method in ("POST", "PUT", "PATCH", "DELETE")
        for kind, path in (("article-list", ARTICLES), ("article-detail", ARTICLE))
    ),
    not_allowed("post-series-list", "POST", SERIES),
    not_allowed("put-series-detail", "PUT", ONE_SERIES),
    not_allowed("delete-author-detail", "DELETE", AUTHOR),
    not_allowed("patch-topics-list", "PATCH", TOPICS),
    not_allowed("post-topic-detail", "POST", TOPIC),
    not_allowed("trace-article-list", "TRACE", ARTICLES),
    not_allowed("post-schema", "POST", "/api/v1/schema/"),
    not_allowed("post-docs", "POST", "/api/v1/docs/"),
    # JSON only
    not_acceptable("articles-as-xml", ARTICLES, "application/xml"),
    not_acceptable("article-detail-as-html", ARTICLE, "text/html"),
    not_acceptable("series-list-as-xml", SERIES, "application/xml"),
    not_acceptable("topic-detail-as-csv", TOPIC, "text/csv"),
    # A Host this deployment does not serve
    Bad("host-not-allowed", ARTICLES, code="bad_request", headers={"host": "evil.example"}),
]


def send(client, case: Bad):
    query = case.query(client) if callable(case.query) else case.query
    body = {}
    if case.method in ("POST", "PUT", "PATCH"):
        body = {"data": b'{"title": "Overwritten"}', "content_type": "application/json"}
    return client.generic(
        case.method, case.path, QUERY_STRING=query, headers=case.headers or None, **body
    )


def test_the_table_is_large_and_its_names_unique():
    names = [case.name for case in BAD_REQUESTS]

    assert len(names) >= 50
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("case", BAD_REQUESTS, ids=[case.name for case in BAD_REQUESTS])
def test_malformed_request_gets_the_error_body(client, journal_content, case):
    response = send(client, case)

    assert_error(response, status=case.status, code=case.code, detail=case.detail)
    if case.status == 405:
        assert "GET" in response["Allow"]
