"""The feeds' and probes' operations, written out: drf-spectacular sees only DRF views."""

from api.content.schema.parameters import API_KEY, SLUG_PATTERN, text
from api.content.schema.responses import (
    CACHE_TAGS,
    ERRORS,
    ETAG,
    HTTP_DATE,
    NOT_MODIFIED,
    SECONDS,
    SERVER_ERRORS,
    SURROGATE_KEYS,
)

# The feeds and the probes are plain Django views, which drf-spectacular does not see: their
# operations are written out here and added to the document after it is generated.

FEED_FORMATS = {
    "rss": ("application/rss+xml; charset=utf-8", "RSS 2.0", {"type": "string"}),
    "atom": ("application/atom+xml; charset=utf-8", "Atom 1.0", {"type": "string"}),
    "json": ("application/feed+json", "JSON Feed 1.1", {"$ref": "#/components/schemas/JsonFeed"}),
}
_NAMED = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string"}},
        "additionalProperties": False,
    },
}
_TIMESTAMP = {"type": "string", "format": "date-time"}
# The JSON Feed document exactly as api/feeds/documents.py writes it (tests validate every feed
# response against it): the spec's fields Folio fills, and its `_folio` extension.
JSON_FEED_SCHEMAS = {
    "JsonFeed": {
        "type": "object",
        "required": [
            "version",
            "title",
            "home_page_url",
            "feed_url",
            "description",
            "language",
            "authors",
            "items",
        ],
        "properties": {
            "version": {"type": "string", "enum": ["https://jsonfeed.org/version/1.1"]},
            "title": {"type": "string"},
            "home_page_url": {"type": "string", "format": "uri"},
            "feed_url": {"type": "string", "format": "uri"},
            "description": {"type": "string"},
            "language": {"type": "string"},
            "authors": _NAMED,
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/JsonFeedItem"}},
        },
        "additionalProperties": False,
    },
    "JsonFeedItem": {
        "type": "object",
        "required": [
            "id",
            "url",
            "title",
            "summary",
            "date_published",
            "date_modified",
            "authors",
            "tags",
            "_folio",
        ],
        "properties": {
            "id": {"type": "string", "pattern": "^urn:folio:article:[0-9]+$"},
            "url": {"type": "string", "format": "uri"},
            "title": {"type": "string"},
            "summary": {"type": "string"},
            "date_published": _TIMESTAMP,
            "date_modified": _TIMESTAMP,
            "authors": _NAMED,
            "tags": {"type": "array", "items": {"type": "string"}},
            "content_html": {
                "type": "string",
                "description": "With a partner key that has the full-text right: the body, "
                "then a Corrections paragraph when the article has corrections",
            },
            "content_text": {
                "type": "string",
                "description": "Otherwise, in its place: the summary",
            },
            "image": {"type": "string", "format": "uri"},
            "_folio": {
                "type": "object",
                "required": ["id", "slug", "api_url", "syndication", "corrections"],
                "properties": {
                    "id": {"type": "integer"},
                    "slug": {"type": "string"},
                    "api_url": {"type": "string", "format": "uri"},
                    "syndication": {
                        "type": "object",
                        "required": ["allowed", "canonical_url", "license", "attribution"],
                        "properties": {
                            "allowed": {"type": "boolean"},
                            "canonical_url": {"type": "string", "format": "uri"},
                            "license": {"type": "string"},
                            "attribution": {"type": "string"},
                        },
                        "additionalProperties": False,
                    },
                    "corrections": {
                        "type": "array",
                        "description": "The article's corrections, newest first, as in the API",
                        "items": {
                            "type": "object",
                            "required": ["at", "kind", "note", "what_was_wrong", "what_changed"],
                            "properties": {
                                "at": _TIMESTAMP,
                                "kind": {"type": "string", "enum": ["minor", "substantive"]},
                                "note": {"type": "string"},
                                "what_was_wrong": {"type": "string"},
                                "what_changed": {"type": "string"},
                            },
                            "additionalProperties": False,
                        },
                    },
                },
                "additionalProperties": False,
            },
        },
        # JSON Feed requires one of the two; Folio sends exactly one.
        "oneOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
        "additionalProperties": False,
    },
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
    statuses = sorted({*SERVER_ERRORS, 401, *((404,) if "{slug}" in scope else ()), 405, 429, 503})
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
        **_error_responses(*sorted({*SERVER_ERRORS, 405}), methods="GET, HEAD"),
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
    result.setdefault("components", {}).setdefault("schemas", {}).update(JSON_FEED_SCHEMAS)
    return result
