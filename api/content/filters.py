"""Query parameters: hygiene for every endpoint, and the article list's filters and choices."""

from datetime import UTC, datetime, time
from urllib.parse import unquote, unquote_to_bytes

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from api.content.pagination import DEFAULT_LIMIT, MAX_LIMIT
from api.errors import InvalidParameter, UnknownParameter
from articles.models import ArticlePage

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


class ArticleFilter(django_filters.FilterSet):
    """The article list's filters; each one is a join or comparison on indexed columns.

    Slugs that name nothing are caught by the view after the query, only when the page comes
    back empty, so a valid filter never costs a lookup of its own.
    """

    series = django_filters.CharFilter(
        method="filter_series", help_text="Series slug; results come in the series' reading order."
    )
    topic = django_filters.CharFilter(field_name="topics__slug", help_text="Topic slug.")
    tag = django_filters.CharFilter(field_name="tagged_items__tag__name", help_text="A tag.")
    author = django_filters.CharFilter(
        field_name="article_authors__author__slug", help_text="Author slug (any byline position)."
    )
    published_after = django_filters.IsoDateTimeFilter(
        field_name="first_published_at", lookup_expr="gte", help_text="First published at or after."
    )
    published_before = django_filters.IsoDateTimeFilter(
        field_name="first_published_at", lookup_expr="lt", help_text="First published before."
    )
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="last_published_at", lookup_expr="gte", help_text="Last published at or after."
    )
    id = django_filters.CharFilter(
        method="filter_ids", help_text="Comma-separated article ids, at most 100."
    )

    class Meta:
        model = ArticlePage
        fields = []

    def __init__(self, *args, visibility, **kwargs):
        super().__init__(*args, **kwargs)
        self.visibility = visibility

    def filter_series(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # One filter() call, so the slug and the series' own visibility use the same join:
        # an unpublished series' members and order are not to be revealed through the list.
        return queryset.filter(
            self.visibility.series_q("series_memberships__series__"),
            series_memberships__series__slug=value,
        )

    def filter_ids(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(pk__in=parse_ids(value))


ARTICLE_FILTERS = tuple(ArticleFilter.base_filters)
TIMESTAMP_FILTERS = ("published_after", "published_before", "updated_since")


def filter_articles(queryset: QuerySet, params: dict[str, str], *, visibility) -> QuerySet:
    """Apply the article filters, with every malformed value a 400 naming the parameter."""
    filter_params = {name: params[name] for name in ARTICLE_FILTERS if name in params}
    for name in TIMESTAMP_FILTERS:
        if name in filter_params:
            # Parsed here so every malformed date gets the same clear message and naive
            # date-times are UTC, not the server's zone.
            filter_params[name] = parse_timestamp(name, filter_params[name]).isoformat()
    if "id" in filter_params:
        parse_ids(filter_params["id"])
    filterset = ArticleFilter(filter_params, queryset=queryset, visibility=visibility)
    if not filterset.is_valid():
        raise InvalidParameter({k: [str(m) for m in v] for k, v in filterset.errors.items()})
    return filterset.qs
