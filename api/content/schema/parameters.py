"""Every query value's real constraints: lengths, patterns, enums and the form of signed values."""

from drf_spectacular.utils import OpenApiParameter

from api.content.serializers import SUMMARY_FIELDS

# Query values, exactly as api/content/filters.py `clean_parameters` accepts them: at most 200
# characters (2,048 for cursor and token, 2,000 for id), no NUL or other control character and
# no U+FFFD (what bytes that are not UTF-8 decode to), and not empty or blank: at least one
# character that Python's str.strip() keeps. Character classes are spelled out rather than
# written as \s, whose meaning differs between regex engines (Python, ECMA, Rust).
CONTROL = r"\u0000-\u001f\u007f\ufffd"
SPACE = r" \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
TEXT_PATTERN = rf"^[^{CONTROL}]*[^{CONTROL}{SPACE}][^{CONTROL}]*$"
MAX_LENGTH = 200


def text(max_length: int = MAX_LENGTH, pattern: str = TEXT_PATTERN) -> dict:
    """A query value's schema: non-blank, bounded, free of control characters."""
    return {"type": "string", "minLength": 1, "maxLength": max_length, "pattern": pattern}


# Slugs: Django's <slug:> converter and SlugField, as the admin and the models validate them.
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"

# A comma list of summary field names; each name may be padded with spaces (str.strip()).
_FIELD = "|".join(SUMMARY_FIELDS)
FIELDS_PATTERN = rf"^[{SPACE}]*({_FIELD})[{SPACE}]*(,[{SPACE}]*({_FIELD})[{SPACE}]*)*$"

# 1 to 100 positive integers of at most 18 digits (leading zeros allowed), comma-separated,
# as api/content/filters.py `parse_ids` reads them. No lookahead (not every engine has one): one
# alternative per count of leading zeros.
_ID = "|".join(f"0{{{zeros}}}[1-9][0-9]{{0,{17 - zeros}}}" for zeros in range(18))
ID_PATTERN = rf"^({_ID})(,({_ID})){{0,99}}$"

# ISO 8601 timestamps as api/content/filters.py `parse_timestamp` reads them: an RFC 3339 date-time
# (with an offset, to any precision) or a date. Django also reads some other spellings
# ("2026-1-2", "2026-01-02 10:00"); these are the forms the contract promises.
TIMESTAMP = {
    "anyOf": [
        {"type": "string", "format": "date-time", "maxLength": MAX_LENGTH},
        {"type": "string", "format": "date"},
    ]
}

# Signed values (django.core.signing): URL-safe base64 of the (possibly zlib-compressed, then
# "."-prefixed) JSON payload, ":" and the HMAC-SHA256 signature (43 base64 characters). A
# cursor issued by an earlier release has a base62 timestamp between the two, and is still read.
_B64 = "[A-Za-z0-9_-]"
_SIGNATURE = f"{_B64}{{43}}"
CURSOR = {
    "type": "string",
    "minLength": 45,
    "maxLength": 2048,
    "pattern": rf"^\.?{_B64}+(:[0-9A-Za-z]+)?:{_SIGNATURE}$",
}
SYNC_TOKEN = {
    "type": "string",
    "minLength": 45,
    "maxLength": 2048,
    "pattern": rf"^\.?{_B64}+:{_SIGNATURE}$",
}
# wagtail-headless-preview's TimestampSigner over the previewed page's identifier, stored in a
# 255-character column.
PREVIEW_TOKEN = {
    "type": "string",
    "minLength": 50,
    "maxLength": 255,
    "pattern": rf"^(id=[0-9]+|parent_id=[0-9]+;page_type=[A-Za-z0-9_]+\.[A-Za-z0-9_]+)"
    rf":[0-9A-Za-z]+:{_SIGNATURE}$",
}
# <8-character prefix>.<32-character secret> (api/partners/keys.py KEY_SHAPE).
API_KEY = {"type": "string", "pattern": r"^[A-Za-z0-9]{8}\.[A-Za-z0-9]{32}$"}

LIST_PARAMETERS = [
    OpenApiParameter(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
        description="Items per page, 1 to 100",
    ),
    OpenApiParameter(
        "cursor",
        CURSOR,
        description="Opaque cursor from `next` or `previous`; only cursors this server issued "
        "for this list (and ordering, or search) are accepted",
    ),
]

ARTICLE_LIST_PARAMETERS = [
    OpenApiParameter(
        "series", text(pattern=SLUG_PATTERN), description="Series slug (series order)"
    ),
    OpenApiParameter("topic", text(pattern=SLUG_PATTERN), description="Topic slug"),
    OpenApiParameter("tag", text(), description="Tag (free text)"),
    OpenApiParameter("author", text(pattern=SLUG_PATTERN), description="Author slug"),
    OpenApiParameter(
        "published_after", TIMESTAMP, description="First published at or after (date or date-time)"
    ),
    OpenApiParameter(
        "published_before", TIMESTAMP, description="First published before (date or date-time)"
    ),
    OpenApiParameter(
        "updated_since", TIMESTAMP, description="Last published at or after (date or date-time)"
    ),
    OpenApiParameter(
        "search",
        text(),
        description="Full text over title, subtitle, summary, body, tags and author names; "
        "results in relevance order, or in `ordering` when it is given",
    ),
    OpenApiParameter(
        "ordering",
        {"type": "string", "enum": ["-published_at", "published_at", "title", "-updated_at"]},
        description="Default -published_at (series order when `series` is given, relevance "
        "when `search` is)",
    ),
    OpenApiParameter(
        "fields",
        text(pattern=FIELDS_PATTERN),
        description="Comma list of summary fields; each item then has only those fields",
    ),
    OpenApiParameter(
        "id", text(2000, pattern=ID_PATTERN), description="Comma list of at most 100 ids"
    ),
    *LIST_PARAMETERS,
]

ARTICLE_DETAIL_PARAMETERS = [
    OpenApiParameter(
        "include",
        {"type": "string", "enum": ["retracted_body"]},
        description="`retracted_body`: a retracted article's original body in place of the "
        "retraction notice, for a partner key with the full-text right (every other client "
        "still gets the notice)",
    ),
]
