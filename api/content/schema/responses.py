"""Every error an endpoint can answer, by status, and the headers of its responses."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from api.content.schema.shapes import ErrorSerializer


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


# Every error a read endpoint can answer, by status; each operation lists those it can send.
ERRORS = {
    400: _error(
        "`invalid_parameter`, `unknown_parameter` or `invalid_token`: a malformed, unknown or "
        "out-of-range parameter; `bad_request`: a request that is not valid HTTP/1.1"
    ),
    401: _error("`invalid_api_key`: an unknown, revoked, expired or malformed partner key"),
    403: _error(
        "`permission_denied`: a PROXY protocol header from an address not configured as a proxy"
    ),
    404: _error("`not_found`: nothing published at this address"),
    405: _error("`method_not_allowed`: only the methods in `Allow`"),
    406: _error("`not_acceptable`: only application/json is offered"),
    414: _error("`uri_too_long`: a request line over 4,094 bytes"),
    417: _error("`expectation_failed`: an `Expect` other than `100-continue`"),
    429: _error("`throttled`: rate limit reached (per partner key, or per client IP)"),
    431: _error("`headers_too_large`: a header line over 8,190 bytes, or over 100 headers"),
    500: _error("`server_error`: a bug, logged; never a traceback"),
    501: _error("`not_implemented`: a `Transfer-Encoding` the server does not support"),
    503: _error("`service_unavailable`: the database is unreachable"),
}
# What the served process (cms/gunicorn_worker.py) may answer on any path, before any view.
SERVER_ERRORS = (400, 403, 414, 417, 431, 500, 501)
LIST_ERRORS = tuple(sorted({*SERVER_ERRORS, 401, 405, 406, 429, 503}))
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
