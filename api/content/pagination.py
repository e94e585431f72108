"""Keyset (cursor) pagination with signed, opaque cursors; offset cursors only for search.

A cursor records the sort key of the row it continues from, never an offset, so a page is an
indexed range scan however deep it is, and publishing in between pages neither repeats nor
skips a row. Cursors are signed: a cursor this server did not issue is rejected before any
query runs, so a client cannot craft one that forces a scan.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.db.models import Q, QuerySet

from api.errors import InvalidParameter

CURSOR_SALT = "folio.api.cursor.v1"
MAX_LIMIT = 100
DEFAULT_LIMIT = 20
# Search relevance has no stable key to seek on; deep search pages are bounded instead.
MAX_SEARCH_OFFSET = 1000


@dataclass(frozen=True)
class Ordering:
    """A sort order on a unique key: one or more model fields, the last always the pk."""

    name: str
    fields: tuple[str, ...]
    descending: bool
    datetime_fields: frozenset[str] = frozenset()

    def order_by(self, *, reverse: bool = False) -> list[str]:
        descending = self.descending != reverse
        return [f"-{field}" if descending else field for field in self.fields]

    def beyond(self, key: list, *, reverse: bool = False) -> Q:
        """Rows strictly after `key` in this order (before it when `reverse`)."""
        descending = self.descending != reverse
        lookup = "lt" if descending else "gt"
        condition = Q()
        for depth, field in enumerate(self.fields):
            equal_prefix = Q(**dict(zip(self.fields[:depth], key[:depth], strict=True)))
            condition |= equal_prefix & Q(**{f"{field}__{lookup}": key[depth]})
        return condition

    def key_of(self, item) -> list:
        return [getattr(item, field) for field in self.fields]


@dataclass(frozen=True)
class CursorPage:
    """A page of rows and the absolute URLs of the pages before and after it (None at an end)."""

    items: list
    next: str | None
    previous: str | None


def _encode_key(ordering: Ordering, key: list) -> list:
    return [
        value.isoformat() if field in ordering.datetime_fields else value
        for field, value in zip(ordering.fields, key, strict=True)
    ]


def _decode_key(ordering: Ordering, raw: list) -> list:
    if not isinstance(raw, list) or len(raw) != len(ordering.fields):
        raise ValueError("key shape")
    key = []
    for field, value in zip(ordering.fields, raw, strict=True):
        if field in ordering.datetime_fields:
            value = datetime.fromisoformat(value)
        elif field in ("pk", "id") and (not isinstance(value, int) or isinstance(value, bool)):
            raise ValueError("pk")
        key.append(value)
    return key


def sign_cursor(payload: dict) -> str:
    # Without a timestamp (cursors never expire): the same page rendered later has the same
    # bytes, so its ETag holds and a client revalidating it gets 304.
    return signing.Signer(salt=CURSOR_SALT).sign_object(payload, compress=True)


def read_cursor(token: str) -> dict:
    try:
        if token.count(":") == 2:
            # Issued before the timestamp was dropped (TimestampSigner, never expired).
            payload = signing.loads(token, salt=CURSOR_SALT)
        else:
            payload = signing.Signer(salt=CURSOR_SALT).unsign_object(token)
    except signing.BadSignature:
        raise InvalidParameter({"cursor": ["is not a cursor issued by this API"]}) from None
    if not isinstance(payload, dict):
        raise InvalidParameter({"cursor": ["is not a cursor issued by this API"]})
    return payload


def keyset_page(
    queryset: QuerySet,
    ordering: Ordering,
    *,
    limit: int,
    cursor: str | None,
    request,
    search: str | None = None,
) -> CursorPage:
    """One page of `queryset` in `ordering`, continuing from `cursor` in either direction.

    The cursors of a search in an explicit ordering carry the query's fingerprint: they only
    continue that search.
    """
    scope = _query_fingerprint(search) if search is not None else None
    direction, key = "next", None
    if cursor is not None:
        payload = read_cursor(cursor)
        if (
            payload.get("o") != ordering.name
            or payload.get("d") not in ("next", "prev")
            or payload.get("q") != scope
        ):
            raise InvalidParameter(
                {"cursor": ["does not belong to this list, ordering and search"]}
            )
        try:
            key = _decode_key(ordering, payload.get("k"))
        except (TypeError, ValueError):
            raise InvalidParameter({"cursor": ["is not a cursor issued by this API"]}) from None
        direction = payload["d"]

    backwards = direction == "prev"
    rows = queryset
    if key is not None:
        rows = rows.filter(ordering.beyond(key, reverse=backwards))
    items = list(rows.order_by(*ordering.order_by(reverse=backwards))[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    if backwards:
        items.reverse()

    def cursor_from(item, towards: str) -> str:
        payload = {
            "o": ordering.name,
            "d": towards,
            "k": _encode_key(ordering, ordering.key_of(item)),
        }
        if scope is not None:
            payload["q"] = scope
        return sign_cursor(payload)

    has_next = more if not backwards else True
    has_previous = (key is not None) if not backwards else more
    return CursorPage(
        items=items,
        next=_page_link(request, cursor_from(items[-1], "next") if items and has_next else None),
        previous=_page_link(
            request, cursor_from(items[0], "prev") if items and has_previous else None
        ),
    )


def _query_fingerprint(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()[:16]


def ranked_page(
    ranked_ids: Callable[[int, int], list[int]],
    *,
    query: str,
    limit: int,
    cursor: str | None,
    request,
) -> CursorPage:
    """A page of ids in relevance order: `ranked_ids(offset, count)` reads up to `count` of them.

    One more than the page is read to know whether another page follows; an empty `query` (no
    searchable words) matches nothing.
    """
    offset = _search_offset(query, cursor)
    if not query:
        return CursorPage(items=[], next=None, previous=None)
    ids = ranked_ids(offset, limit + 1)
    following = _search_cursor(query, offset + limit) if len(ids) > limit else None
    return CursorPage(
        items=ids[:limit],
        next=_page_link(request, following),
        previous=_page_link(
            request, _search_cursor(query, max(0, offset - limit)) if offset > 0 else None
        ),
    )


def _search_offset(query: str, cursor: str | None) -> int:
    """The offset a search cursor continues from; it only fits the query it was issued for."""
    if cursor is None:
        return 0
    payload = read_cursor(cursor)
    offset = payload.get("n")
    if (
        payload.get("o") != "search"
        or payload.get("q") != _query_fingerprint(query)
        or not isinstance(offset, int)
        or isinstance(offset, bool)
        or not 0 <= offset <= MAX_SEARCH_OFFSET
    ):
        raise InvalidParameter({"cursor": ["does not belong to this search"]})
    return offset


def _search_cursor(query: str, offset: int) -> str | None:
    if offset < 0 or offset > MAX_SEARCH_OFFSET:
        return None
    return sign_cursor({"o": "search", "q": _query_fingerprint(query), "n": offset})


def _page_link(request, cursor: str | None) -> str | None:
    """The absolute URL of the same list with `cursor` in place of the current one."""
    if cursor is None:
        return None
    params = [(name, value) for name, value in request.GET.items() if name != "cursor"]
    params.append(("cursor", cursor))
    return f"{settings.PUBLIC_BASE_URL}{request.path}?{urlencode(params)}"
