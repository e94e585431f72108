"""Query parameters read and checked: hygiene for every endpoint, the article list's as one query.

Nothing here runs a database query: a malformed value is a 400 before any does.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time
from urllib.parse import unquote, unquote_to_bytes

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from api.content.orderings import ARTICLE_ORDERINGS, DEFAULT_ARTICLE_ORDERING, SERIES_ORDER
from api.content.pagination import DEFAULT_LIMIT, MAX_LIMIT, Ordering
from api.errors import InvalidParameter, UnknownParameter

MAX_PARAMETER_LENGTH = 200
MAX_IDS = 100
# Signed tokens and id lists are longer than any other value.
LONG_PARAMETERS = {"cursor": 2048, "token": 2048, "id": 2000}

# Pagination and shaping parameters every list accepts.
LIST_PARAMETERS = ("limit", "cursor")


def clean_parameters(request, allowed: tuple[str, ...]) -> dict[str, str]:
    """The query string as a dict, after rejecting anything a client should never send.

    Unknown names, repeated names, empty values, NUL and other control characters, bytes that
    were not UTF-8 and overlong values are all a 400, before any query runs.
    """
    params = request.GET
    unknown = [name for name in params if name not in allowed]
    if unknown:
        raise UnknownParameter(unknown, list(allowed))
    _reject_undecodable_values(request.META.get("QUERY_STRING", ""))
    cleaned = {}
    for name in params:
        values = params.getlist(name)
        if len(values) > 1:
            raise InvalidParameter({name: ["must be given once"]})
        value = values[0]
        if value.strip() == "":
            raise InvalidParameter({name: ["must not be empty"]})
        limit = LONG_PARAMETERS.get(name, MAX_PARAMETER_LENGTH)
        if len(value) > limit:
            raise InvalidParameter({name: [f"must be at most {limit} characters"]})
        if "\ufffd" in value:
            raise InvalidParameter({name: ["must be valid UTF-8"]})
        if any(ord(char) < 32 or ord(char) == 127 for char in value):
            raise InvalidParameter({name: ["must not contain control characters"]})
        cleaned[name] = value
    return cleaned


def is_ascii_digits(value: str) -> bool:
    # str.isdigit() accepts "²" and other digits int() cannot read.
    return value.isascii() and value.isdigit()


def _reject_undecodable_values(query_string: str) -> None:
    """Django decodes bytes that are not UTF-8 as Latin-1 rather than failing; we refuse them."""
    for pair in query_string.split("&"):
        name, _, value = pair.partition("=")
        try:
            # WSGI hands over the raw bytes as a Latin-1 string: recover them, then unquote.
            raw = value.encode("latin-1")
        except UnicodeEncodeError:
            continue  # already decoded text (not from a WSGI server): nothing to check
        try:
            unquote_to_bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidParameter({unquote(name): ["must be valid UTF-8"]}) from None


def parse_limit(params: dict[str, str]) -> int:
    raw = params.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    if not is_ascii_digits(raw) or not 1 <= int(raw) <= MAX_LIMIT:
        raise InvalidParameter({"limit": [f"must be an integer from 1 to {MAX_LIMIT}"]})
    return int(raw)


def parse_timestamp(name: str, raw: str) -> datetime:
    """An ISO 8601 date or date-time; without an offset it is taken as UTC."""
    try:
        value = parse_datetime(raw)
        if value is None:
            day = parse_date(raw)
            value = datetime.combine(day, time.min) if day else None
    except ValueError:
        value = None
    if value is None:
        raise InvalidParameter({name: ["must be an ISO 8601 date or date-time"]})
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise InvalidParameter({name: ["is out of range"]}) from None


def parse_choice(name: str, raw: str | None, choices, default: str) -> str:
    if raw is None:
        return default
    if raw not in choices:
        raise InvalidParameter({name: [f"must be one of: {', '.join(choices)}"]})
    return raw


def parse_fields(raw: str | None, allowed) -> tuple[str, ...] | None:
    if raw is None:
        return None
    names = [name.strip() for name in raw.split(",")]
    unknown = [name for name in names if name not in allowed]
    if "" in names:
        raise InvalidParameter({"fields": ["must be a comma-separated list of field names"]})
    if unknown:
        raise InvalidParameter(
            {
                "fields": [
                    f"names unknown fields: {', '.join(unknown)}; allowed: {', '.join(allowed)}"
                ]
            }
        )
    return tuple(dict.fromkeys(names))


def parse_ids(raw: str) -> list[int]:
    parts = raw.split(",")
    if len(parts) > MAX_IDS or not all(
        is_ascii_digits(p) and len(p) <= 18 and int(p) > 0 for p in parts
    ):
        raise InvalidParameter(
            {"id": [f"must be a comma-separated list of at most {MAX_IDS} positive integers"]}
        )
    return sorted({int(p) for p in parts})


# The article list's filters, in the order the OpenAPI document lists them; the lookups each
# one makes are the query plan's (api/content/plans.py `ArticleFilter`).
ARTICLE_FILTERS = (
    "series",
    "topic",
    "tag",
    "author",
    "published_after",
    "published_before",
    "updated_since",
    "id",
)
TIMESTAMP_FILTERS = ("published_after", "published_before", "updated_since")
ARTICLE_LIST_PARAMETER_NAMES = (*ARTICLE_FILTERS, "search", "ordering", "fields", *LIST_PARAMETERS)


# The article detail's one parameter: what a partner asks for beyond the default shape.
ARTICLE_DETAIL_PARAMETER_NAMES = ("include",)
ARTICLE_DETAIL_INCLUDES = ("retracted_body",)


def parse_article_include(params: dict[str, str]) -> frozenset[str]:
    """`include=` of the detail: `retracted_body` is the only value (a 400 otherwise)."""
    raw = params.get("include")
    if raw is None:
        return frozenset()
    if raw not in ARTICLE_DETAIL_INCLUDES:
        raise InvalidParameter(
            {"include": [f"must be one of: {', '.join(ARTICLE_DETAIL_INCLUDES)}"]}
        )
    return frozenset({raw})


@dataclass(frozen=True)
class ArticleListQuery:
    """An article list request with every parameter read and checked; no query has run yet.

    `filters` holds the filter values as the query plan's FilterSet reads them (timestamps
    normalised to UTC). `search` is the words of `search=` (None without one; empty when none
    of it was a word). `ordering` is None for a search in relevance order.
    """

    filters: dict[str, str]
    search: str | None
    ordering: Ordering | None
    fields: tuple[str, ...] | None
    limit: int
    cursor: str | None


def parse_article_list(params: dict[str, str], *, summary_fields) -> ArticleListQuery:
    """The article list's parameters, each malformed one a 400 naming it, in a fixed order."""
    limit = parse_limit(params)
    fields = parse_fields(params.get("fields"), summary_fields)
    filters = {name: params[name] for name in ARTICLE_FILTERS if name in params}
    for name in TIMESTAMP_FILTERS:
        if name in filters:
            # Parsed here so every malformed date gets the same clear message and naive
            # date-times are UTC, not the server's zone.
            filters[name] = parse_timestamp(name, filters[name]).isoformat()
    if "id" in filters:
        parse_ids(filters["id"])
    search = search_terms(params["search"]) if "search" in params else None
    return ArticleListQuery(
        filters=filters,
        search=search,
        ordering=_article_ordering(params),
        fields=fields,
        limit=limit,
        cursor=params.get("cursor"),
    )


def _article_ordering(params: dict[str, str]) -> Ordering | None:
    if "ordering" not in params:
        if "search" in params:
            return None  # by relevance
        if "series" in params:
            return SERIES_ORDER
    name = parse_choice(
        "ordering", params.get("ordering"), tuple(ARTICLE_ORDERINGS), DEFAULT_ARTICLE_ORDERING
    )
    return ARTICLE_ORDERINGS[name]


def search_terms(raw: str) -> str:
    """The words of a search, without the operators and quotes of any engine's query syntax.

    Clients search for words; passing `"` or `*` through would let a client write FTS syntax
    (and errors) into the database's query.
    """
    return " ".join(re.findall(r"\w+", raw))
