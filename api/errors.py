"""The contract's error body for every failure under /api/, from DRF and from Django itself."""

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response

logger = logging.getLogger("folio.api")


class ApiError(exceptions.APIException):
    """An API failure with a stable machine-readable code and per-parameter details."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_parameter"
    default_detail = "The request is not valid."
    headers: dict[str, str] = {}

    def __init__(self, message: str | None = None, *, details: dict | None = None):
        super().__init__(message or self.default_detail, self.default_code)
        self.details = details or {}


class InvalidParameter(ApiError):
    def __init__(self, details: dict[str, list[str]]):
        name, problems = next(iter(details.items()))
        super().__init__(f"{name} {problems[0]}", details=details)


class UnknownParameter(ApiError):
    default_code = "unknown_parameter"

    def __init__(self, names: list[str], allowed: list[str]):
        names = sorted(names)
        super().__init__(
            f"unknown parameter{'s' if len(names) > 1 else ''}: {', '.join(names)}; "
            f"allowed: {', '.join(sorted(allowed)) or 'none'}",
            details={name: ["is not a parameter of this endpoint"] for name in names},
        )


class NotFound(ApiError):
    status_code = status.HTTP_404_NOT_FOUND
    default_code = "not_found"
    default_detail = "Nothing is published at this address."


class InvalidToken(ApiError):
    default_code = "invalid_token"
    default_detail = "The token is malformed, forged or expired."


class SyncTokenExpired(ApiError):
    status_code = status.HTTP_410_GONE
    default_code = "sync_token_expired"
    default_detail = "The sync token is older than the change log's retention; start a full sync."


class InvalidApiKey(ApiError):
    status_code = status.HTTP_401_UNAUTHORIZED
    default_code = "invalid_api_key"
    default_detail = "The API key is not valid: unknown, revoked or malformed."
    headers = {"WWW-Authenticate": "Api-Key"}


class Throttled(ApiError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "throttled"

    def __init__(self, wait_seconds: float):
        retry_after = max(1, int(wait_seconds + 0.999))
        super().__init__(f"Too many requests; retry in {retry_after} s.")
        self.headers = {"Retry-After": str(retry_after)}


class ServiceUnavailable(ApiError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "service_unavailable"
    default_detail = "The service is temporarily unavailable; try again shortly."


# DRF's own exceptions, mapped onto the contract's codes.
_DRF_CODES = {
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
    exceptions.AuthenticationFailed: "invalid_api_key",
    exceptions.NotAuthenticated: "invalid_api_key",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.ParseError: "malformed_request",
    exceptions.ValidationError: "invalid_parameter",
}


def error_body(status_code: int, code: str, message: str, details: dict | None = None) -> dict:
    return {
        "error": {
            "status": status_code,
            "code": code,
            "message": message,
            "details": details or {},
        }
    }


def _flatten(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {
            str(k): [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in detail.items()
        }
    if isinstance(detail, list):
        return {"request": [str(m) for m in detail]}
    return {}


def _database_reachable() -> bool:
    """Whether the database still answers: an OperationalError is also what a bad query raises."""
    try:
        connection.close_if_unusable_or_obsolete()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - unreachable is the answer, whatever the reason
        return False
    return True


def exception_handler(exc, context):
    """DRF exception handler: every error, expected or not, in the contract's body."""
    headers = {}
    if isinstance(exc, exceptions.Throttled):
        # DRF's throttles raise its own exception; answer in our words, with Retry-After.
        exc = Throttled(exc.wait or 1)
    if isinstance(exc, ApiError):
        body = error_body(exc.status_code, exc.default_code, str(exc.detail), exc.details)
        return Response(body, status=exc.status_code, headers=exc.headers)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, (OperationalError, InterfaceError)) and not _database_reachable():
        logger.exception("database unavailable")
        unavailable = ServiceUnavailable()
        body = error_body(503, unavailable.default_code, str(unavailable.detail))
        return Response(body, status=503, headers={"Retry-After": "5"})
    if isinstance(exc, exceptions.APIException):
        code = next((c for t, c in _DRF_CODES.items() if isinstance(exc, t)), "error")
        details = _flatten(exc.detail) if isinstance(exc, exceptions.ValidationError) else {}
        message = (
            next(iter(details.values()))[0]
            if details
            else str(exc.detail if not isinstance(exc.detail, (dict, list)) else exc.default_detail)
        )
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            headers["Retry-After"] = str(int(exc.wait) + 1)
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        return Response(
            error_body(exc.status_code, code, message, details),
            status=exc.status_code,
            headers=headers,
        )
    if isinstance(exc, DatabaseError):
        logger.exception("database error")
    else:
        logger.exception("unhandled API error")
    return Response(
        error_body(500, "server_error", "Something went wrong on our side; it has been logged."),
        status=500,
    )


@csrf_exempt  # any method on an unknown path is a JSON 404, never a CSRF page
def json_not_found(request, exception=None):
    """404 for any path under /api/ that names no endpoint."""
    return JsonResponse(
        error_body(404, "not_found", f"No API endpoint at {request.path}."), status=404
    )


def json_bad_request(request, exception=None):
    return JsonResponse(error_body(400, "bad_request", "The request is malformed."), status=400)


def json_server_error(request, exception=None):
    return JsonResponse(
        error_body(500, "server_error", "Something went wrong on our side; it has been logged."),
        status=500,
    )


def _is_api(request) -> bool:
    """Paths whose clients read JSON errors: the API and the feeds."""
    return request.path.startswith(("/api/", "/feeds/"))


def handler400(request, exception=None):
    if _is_api(request):
        return json_bad_request(request, exception)
    return defaults.bad_request(request, exception)


def handler404(request, exception=None):
    if _is_api(request):
        return json_not_found(request, exception)
    return defaults.page_not_found(request, exception)


def handler500(request):
    """Django's last resort, called while the exception is being handled.

    A database that cannot be reached is an outage, not a bug: 503 with Retry-After, as JSON
    under /api/ and /feeds/ and as plain text for the admin and the site, never a traceback.
    """
    exception = sys.exc_info()[1]
    if isinstance(exception, (OperationalError, InterfaceError)) and not _database_reachable():
        logger.error("database unavailable while serving %s", request.path)
        if _is_api(request):
            response = JsonResponse(
                error_body(503, ServiceUnavailable.default_code, ServiceUnavailable.default_detail),
                status=503,
            )
        else:
            response = HttpResponse(
                "Folio is briefly unavailable; please try again in a moment.",
                status=503,
                content_type="text/plain; charset=utf-8",
            )
        response["Retry-After"] = "5"
        return response
    if _is_api(request):
        return json_server_error(request)
    return defaults.server_error(request)
