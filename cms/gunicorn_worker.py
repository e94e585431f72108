"""gunicorn's threaded worker, refusing what it cannot parse with the contract's JSON error body."""

import json
import ssl
from datetime import datetime

from gunicorn import util
from gunicorn.http import errors
from gunicorn.http.wsgi import Response, default_environ
from gunicorn.workers.gthread import ThreadWorker

# What the worker refuses before any application code runs: (exceptions, status, reason, code).
# The application's own faults (InvalidResponseHeader*, subclasses of InvalidHeader*) stay
# gunicorn's: a 500 with no detail, like any other application error.
_REFUSALS = (
    ((errors.LimitRequestLine,), 414, "URI Too Long", "uri_too_long"),
    ((errors.LimitRequestHeaders,), 431, "Request Header Fields Too Large", "headers_too_large"),
    ((errors.ExpectationFailed,), 417, "Expectation Failed", "expectation_failed"),
    ((errors.UnsupportedTransferCoding,), 501, "Not Implemented", "not_implemented"),
    # A PROXY protocol header from an address not in `proxy_allow_ips`.
    ((errors.ForbiddenProxyRequest,), 403, "Forbidden", "permission_denied"),
    ((errors.ConfigurationProblem,), 500, "Internal Server Error", "server_error"),
    (
        (
            errors.InvalidRequestLine,
            errors.InvalidRequestMethod,
            errors.InvalidHTTPVersion,
            errors.InvalidHeader,
            errors.InvalidHeaderName,
            errors.ObsoleteFolding,
            errors.InvalidSchemeHeaders,
            errors.InvalidChunkSize,
            errors.ChunkMissingTerminator,
            errors.InvalidChunkExtension,
            errors.InvalidProxyLine,
            errors.InvalidProxyHeader,
            errors.InvalidH2CPreface,
            ssl.SSLError,
        ),
        400,
        "Bad Request",
        "bad_request",
    ),
)
_APPLICATION_FAULTS = (errors.InvalidResponseHeader, errors.InvalidResponseHeaderName)


class JsonErrorWorker(ThreadWorker):
    """A `gthread` worker whose own refusals carry the API's JSON error body.

    gunicorn answers a request it cannot parse (a request line over `limit_request_line`,
    headers over `limit_request_field_size` or `limit_request_fields`, a malformed request
    line, version or header) from `handle_error`, with an HTML page, before Django sees it.
    Clients of the API read every error as JSON: same statuses, the contract's body.
    """

    def handle_error(self, req, client, addr, exc):
        refusal = None
        if not isinstance(exc, _APPLICATION_FAULTS):
            refusal = next((r for r in _REFUSALS if isinstance(exc, r[0])), None)
        if refusal is None:
            return super().handle_error(req, client, addr, exc)
        started = datetime.now()
        _, status, reason, code = refusal
        addr = addr or ("", -1)  # a unix socket has no peer address
        self.log.warning("Invalid request from ip=%s: %s", addr[0], exc)
        if req is None and isinstance(exc, errors.InvalidHeader):
            req = exc.req  # a header error carries the request it was reading, for the log
        body = json.dumps(self._error_body(status, code)).encode()
        if req is not None:
            self._log_access(req, client, addr, f"{status} {reason}", len(body), started)
        head = (
            f"HTTP/1.1 {status} {reason}\r\n"
            f"Date: {util.http_date()}\r\n"
            "Connection: close\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n"
            "X-Content-Type-Options: nosniff\r\n"
            "\r\n"
        )
        try:
            util.write_nonblock(client, head.encode("latin-1") + body)
        except Exception:  # noqa: BLE001 - the client may be gone; nothing left to tell it
            self.log.debug("Failed to send error message.")

    def _error_body(self, status: int, code: str) -> dict:
        # Imported here: the arbiter loads this class before Django is set up; a worker
        # reaches handle_error only after loading the application.
        from api.errors import error_body

        messages = {
            414: f"The request line is longer than {self.cfg.limit_request_line} bytes.",
            431: (
                f"The request headers are too large: at most {self.cfg.limit_request_fields}"
                f" fields of {self.cfg.limit_request_field_size} bytes each."
            ),
            400: "The request is malformed: it is not a valid HTTP/1.1 request.",
            417: "The only expectation this server meets is `Expect: 100-continue`.",
            501: "The request's Transfer-Encoding is not supported: send chunked, gzip, deflate, "
            "compress or identity.",
            403: "A PROXY protocol header is accepted only from the configured proxies.",
            500: "The server is misconfigured for this request; the fault is logged.",
        }
        # Nothing of the request is echoed: it may be 100 KB, or not text at all.
        return error_body(status, code, messages[status])

    def _log_access(self, req, client, addr, status: str, length: int, started) -> None:
        """The access log line gunicorn writes for its own refusals, with our length."""
        environ = default_environ(req, client, self.cfg)
        environ["REMOTE_ADDR"] = addr[0]
        environ["REMOTE_PORT"] = str(addr[1])
        response = Response(req, client, self.cfg)
        response.status = status
        response.response_length = length
        self.log.access(response, req, environ, datetime.now() - started)
