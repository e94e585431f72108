"""OpenAPI generation hooks: the public document describes /api/v1/ and nothing else."""

PUBLIC_PREFIX = "/api/v1/"


from drf_spectacular.extensions import OpenApiAuthenticationExtension  # noqa: E402


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    """Documents `Authorization: Api-Key <key>`; every endpoint also answers without a key."""

    target_class = "api.partners.keys.PartnerKeyAuthentication"
    name = "PartnerApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A partner's key, sent as `Api-Key <key>`. Optional: without it the "
            "API answers anonymously (public content, per-IP rate limit).",
        }


def public_endpoints_only(endpoints, **kwargs):
    """drf-spectacular preprocessing hook dropping Wagtail's own admin API endpoints."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(PUBLIC_PREFIX)]


# The shapes of the responses, for the OpenAPI document only: api/content/serializers.py produces
# them, and the contract tests validate every response against the document built from these.

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse  # noqa: E402
from rest_framework import serializers  # noqa: E402

from api.content.serializers import SUMMARY_FIELDS  # noqa: E402


class RenditionSerializer(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class RenditionSetSerializer(serializers.Serializer):
    thumbnail = RenditionSerializer(help_text="fill-320x180")
    card = RenditionSerializer(help_text="fill-640x360")
    hero = RenditionSerializer(help_text="width-1600")
    thumbnail_webp = RenditionSerializer()
    card_webp = RenditionSerializer()
    hero_webp = RenditionSerializer()


class ImageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    alt = serializers.CharField(allow_blank=True)
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    renditions = RenditionSetSerializer(help_text="A fixed, named set of renditions.")


class AuthorRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    credentials = serializers.CharField(allow_blank=True)


class TopicRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class SeriesRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    position = serializers.IntegerField(min_value=1, help_text="1-based among published members")
    total = serializers.IntegerField(min_value=1)


class SyndicationSerializer(serializers.Serializer):
    allowed = serializers.BooleanField(help_text="Whether partners may republish the article")
    canonical_url = serializers.URLField(help_text="Where republished copies must point")
    license = serializers.CharField()
    attribution = serializers.CharField(allow_blank=True)
    full_text = serializers.BooleanField(
        required=False,
        help_text="Partner responses only: whether this key receives the article's body",
    )


class ArticleSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField()
    subtitle = serializers.CharField(allow_blank=True)
    summary = serializers.CharField(allow_blank=True)
    url = serializers.URLField()
    api_url = serializers.URLField()
    published_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    reading_time_minutes = serializers.IntegerField(min_value=1)
    hero_image = ImageSerializer(allow_null=True)
    authors = AuthorRefSerializer(many=True)
    topics = TopicRefSerializer(many=True)
    tags = serializers.ListField(child=serializers.CharField())
    series = SeriesRefSerializer(allow_null=True)
    syndication = SyndicationSerializer(
        required=False, help_text="Partner responses only: the article's republishing rights"
    )


class ArticleListItemSerializer(ArticleSummarySerializer):
    """A list item: the summary, or only the fields named in `fields=` when it is given."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.required = False
        return fields


class ArticleLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField()
    url = serializers.URLField()
    api_url = serializers.URLField()


class SeriesNavigationSerializer(serializers.Serializer):
    previous = ArticleLinkSerializer(allow_null=True)
    next = ArticleLinkSerializer(allow_null=True)


class NavigationSerializer(serializers.Serializer):
    series = SeriesNavigationSerializer(allow_null=True, help_text="In the editor's series order")
    previous = ArticleLinkSerializer(allow_null=True, help_text="Previous by publication date")
    next = ArticleLinkSerializer(allow_null=True, help_text="Next by publication date")


class BodyBlockSerializer(serializers.Serializer):
    type = serializers.ChoiceField(
        choices=[
            "heading",
            "paragraph",
            "image",
            "quote",
            "embed",
            "callout",
            "list",
            "table",
            "references",
        ]
    )
    id = serializers.CharField()
    value = serializers.JSONField(help_text="Shape depends on the block type; see the guide.")


class MedicalReviewSerializer(serializers.Serializer):
    reviewer = AuthorRefSerializer()
    reviewed_at = serializers.DateTimeField()


class ReferenceSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.URLField()


class SeoSerializer(serializers.Serializer):
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)


class ArticleDetailSerializer(ArticleSummarySerializer):
    body = BodyBlockSerializer(many=True)
    body_html = serializers.CharField(allow_blank=True)
    navigation = NavigationSerializer()
    medical_review = MedicalReviewSerializer(allow_null=True)
    references = ReferenceSerializer(many=True)
    syndication = SyndicationSerializer()
    seo = SeoSerializer()


class SeriesSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    image = ImageSerializer(allow_null=True)
    article_count = serializers.IntegerField(min_value=0)
    updated_at = serializers.DateTimeField()


class SeriesDetailSerializer(SeriesSerializer):
    articles = ArticleSummarySerializer(many=True)


class AuthorSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    credentials = serializers.CharField(allow_blank=True)
    role = serializers.CharField(allow_blank=True)
    bio = serializers.CharField(allow_blank=True)
    photo = ImageSerializer(allow_null=True)


class TopicSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)


def list_of(item_serializer, name: str):
    """A list envelope `{results, next, previous}` around `item_serializer`."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "results": item_serializer(many=True),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
        },
    )


ArticleListSerializer = list_of(ArticleListItemSerializer, "ArticleList")
SeriesListSerializer = list_of(SeriesSerializer, "SeriesList")
AuthorListSerializer = list_of(AuthorSerializer, "AuthorList")
TopicListSerializer = list_of(TopicSerializer, "TopicList")


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    details = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


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


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


# Every error a read endpoint can answer, by status; each operation lists those it can send.
ERRORS = {
    400: _error(
        "`invalid_parameter`, `unknown_parameter` or `invalid_token`: a malformed, unknown or "
        "out-of-range parameter; `bad_request`: a request that is not valid HTTP/1.1"
    ),
    401: _error("`invalid_api_key`: an unknown, revoked, expired or malformed partner key"),
    404: _error("`not_found`: nothing published at this address"),
    405: _error("`method_not_allowed`: only the methods in `Allow`"),
    406: _error("`not_acceptable`: only application/json is offered"),
    414: _error("`uri_too_long`: a request line over 4,094 bytes"),
    429: _error("`throttled`: rate limit reached (per partner key, or per client IP)"),
    431: _error("`headers_too_large`: a header line over 8,190 bytes, or over 100 headers"),
    500: _error("`server_error`: a bug, logged; never a traceback"),
    503: _error("`service_unavailable`: the database is unreachable"),
}
LIST_ERRORS = (400, 401, 405, 406, 414, 429, 431, 500, 503)
DETAIL_ERRORS = (*LIST_ERRORS, 404)


def errors(*statuses: int, **extra: OpenApiResponse) -> dict:
    """The error responses of an operation: `statuses` from ERRORS, `extra` by status."""
    return {status: ERRORS[status] for status in statuses} | {
        int(status): response for status, response in extra.items()
    }


ERROR_RESPONSES = errors(*DETAIL_ERRORS)


def header(name: str, schema: dict, description: str, statuses, *, required: bool = True):
    return OpenApiParameter(
        name,
        schema,
        location=OpenApiParameter.HEADER,
        required=required,
        description=description,
        response=list(statuses),
    )


ETAG = {"type": "string", "pattern": r'^(W/)?"[0-9a-f]{32}"$'}
HTTP_DATE = {
    "type": "string",
    "pattern": r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} [A-Z][a-z]{2} [0-9]{4} "
    r"[0-9]{2}:[0-9]{2}:[0-9]{2} GMT$",
}
SURROGATE_KEYS = {"type": "string", "pattern": r"^[a-z0-9-]+( [a-z0-9-]+)*$"}
CACHE_TAGS = {"type": "string", "pattern": r"^[a-z0-9-]+(,[a-z0-9-]+)*$"}
SECONDS = {"type": "integer", "minimum": 1}
ERROR_HEADERS = [
    header("Allow", {"type": "string"}, "The methods this resource answers", [405]),
    header("Retry-After", SECONDS, "Seconds until the rate limit's window ends", [429]),
    header("Retry-After", SECONDS, "Seconds to wait before trying again", [503]),
    header(
        "WWW-Authenticate",
        {"type": "string", "enum": ["Api-Key"]},
        "Sent with `invalid_api_key`",
        [401],
        required=False,
    ),
]


def response_headers(*, last_modified: bool | None, surrogate_keys: bool = True) -> list:
    """The headers of a read endpoint's 200 (and 304), and of its errors.

    `last_modified`: True when every 200 has one, None when some do, False when none does.
    """
    ok = [200, 304]
    headers = [
        header("ETag", ETAG, "Strong tag of the body (weak when gzip-compressed)", ok),
        header("Cache-Control", {"type": "string"}, "See the guide's Caching section", ok),
        header("Vary", {"type": "string"}, "Request headers that change the body", ok),
        *ERROR_HEADERS,
    ]
    if last_modified is not False:
        headers.append(
            header(
                "Last-Modified",
                HTTP_DATE,
                "The resource's last published change",
                ok,
                required=bool(last_modified),
            )
        )
    if surrogate_keys:
        headers += [
            header("Surrogate-Key", SURROGATE_KEYS, "Space-separated purge keys", [200]),
            header("Cache-Tag", CACHE_TAGS, "The same keys, comma-separated", [200]),
        ]
    return headers


NOT_MODIFIED = OpenApiResponse(description="Unchanged since `If-None-Match` / `If-Modified-Since`")

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


# The feeds and the probes are plain Django views, which drf-spectacular does not see: their
# operations are written out here and added to the document after it is generated.

FEED_FORMATS = {
    "rss": ("application/rss+xml; charset=utf-8", "RSS 2.0", {"type": "string"}),
    "atom": ("application/atom+xml; charset=utf-8", "Atom 1.0", {"type": "string"}),
    "json": (
        "application/feed+json",
        "JSON Feed 1.1",
        {
            "type": "object",
            "required": ["version", "title", "items"],
            "properties": {
                "version": {"type": "string", "format": "uri"},
                "title": {"type": "string"},
                "home_page_url": {"type": "string", "format": "uri"},
                "feed_url": {"type": "string", "format": "uri"},
                "items": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["id", "url", "title"],
                        "properties": {
                            "id": {"type": "string", "pattern": "^urn:folio:article:[0-9]+$"},
                            "url": {"type": "string", "format": "uri"},
                            "title": {"type": "string"},
                        },
                    },
                },
            },
        },
    ),
}
FEED_SCOPES = {
    "/feeds/articles": "every article",
    "/feeds/series/{slug}": "one series' articles",
    "/feeds/topics/{slug}": "one topic's articles",
}
ERROR_CONTENT = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
NO_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"


def _header(schema: dict, description: str, *, required: bool = True) -> dict:
    return {"schema": schema, "description": description, "required": required}


def _error_response(status: int, *, headers: dict | None = None) -> dict:
    response = {"description": ERRORS[status].description, "content": ERROR_CONTENT}
    if headers:
        response["headers"] = headers
    return response


def _error_responses(*statuses: int, methods: str) -> dict:
    headers = {
        401: {"WWW-Authenticate": _header({"type": "string"}, "Api-Key", required=False)},
        405: {"Allow": _header({"type": "string", "enum": [methods]}, "The methods answered")},
        429: {"Retry-After": _header(SECONDS, "Seconds until the rate limit's window ends")},
    }
    return {
        str(status): _error_response(status, headers=headers.get(status)) for status in statuses
    }


def feed_operation(scope: str, format: str) -> dict:
    content_type, name, body = FEED_FORMATS[format]
    parameters = [
        {
            "name": "api_key",
            "in": "query",
            "schema": API_KEY,
            "description": "A partner key, for feed readers that cannot send `Authorization`",
        }
    ]
    if "{slug}" in scope:
        parameters.insert(
            0,
            {"name": "slug", "in": "path", "required": True, "schema": text(pattern=SLUG_PATTERN)},
        )
    cached = {
        "ETag": _header(ETAG, "Strong tag of the body"),
        "Cache-Control": _header({"type": "string"}, "See the guide's Caching section"),
        "Vary": _header({"type": "string"}, "Request headers that change the body"),
        "Last-Modified": _header(
            HTTP_DATE, "The newest entry's change", required="{slug}" in scope
        ),
    }
    statuses = (400, 401, *((404,) if "{slug}" in scope else ()), 405, 414, 429, 431, 500, 503)
    return {
        "operationId": f"feeds_{scope.split('/')[2]}_{format}",
        "summary": f"{name} feed of {FEED_SCOPES[scope]}",
        "description": "The 50 newest articles by first publication; full content only for a "
        "partner key with the full-text right, and only for articles it may republish.",
        "tags": ["feeds"],
        "security": [{"PartnerApiKey": []}, {}],
        "parameters": parameters,
        "responses": {
            "200": {
                "description": f"The {name} document",
                "content": {content_type: {"schema": body}},
                "headers": {
                    **cached,
                    "Surrogate-Key": _header(SURROGATE_KEYS, "Space-separated purge keys"),
                    "Cache-Tag": _header(CACHE_TAGS, "The same keys, comma-separated"),
                },
            },
            "304": {"description": NOT_MODIFIED.description, "headers": cached},
            **_error_responses(*statuses, methods="GET, HEAD"),
        },
    }


def probe_operation(path: str) -> dict:
    ready = path == "/readyz"
    ok = {"type": "object", "required": ["status"], "properties": {"status": {"enum": ["ok"]}}}
    if ready:
        ok["required"].append("checks")
        ok["properties"]["checks"] = {
            "type": "object",
            "additionalProperties": {"enum": ["ok"]},
            "required": ["database", "cache"],
        }
    no_cache = {"Cache-Control": _header({"type": "string", "enum": [NO_CACHE]}, "Never cached")}
    responses = {
        "200": {
            "description": "Ready" if ready else "The process is up",
            "content": {"application/json": {"schema": ok}},
            "headers": no_cache,
        },
        **_error_responses(405, methods="GET, HEAD"),
    }
    if ready:
        responses["503"] = {
            **_error_response(503),
            "description": "`service_unavailable`: `details` names each dependency that is down",
        }
    return {
        "operationId": "readyz" if ready else "healthz",
        "summary": "Readiness: the databases and the cache answer"
        if ready
        else "Liveness: the process answers",
        "tags": ["operations"],
        "security": [{}],
        "responses": responses,
    }


def feeds_and_probes(result, generator, request, public, **kwargs):
    """drf-spectacular postprocessing hook adding /feeds/ and the probes to the document."""
    for scope in FEED_SCOPES:
        for format in FEED_FORMATS:
            result["paths"][f"{scope}.{format}"] = {"get": feed_operation(scope, format)}
    for path in ("/healthz", "/readyz"):
        result["paths"][path] = {"get": probe_operation(path)}
    return result
