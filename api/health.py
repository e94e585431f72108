"""Liveness (/healthz) and readiness (/readyz: databases and cache reachable) probes."""

import logging
import uuid
from functools import wraps

from django.core.cache import cache
from django.db import connection, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from api.errors import error_body
from cms.db_routers import REPLICA

logger = logging.getLogger("folio.health")

ALLOWED_METHODS = ("GET", "HEAD")


def _probe(view):
    """GET and HEAD only; any other method is the contract's JSON 405 with `Allow`.

    CSRF-exempt so that a write method reaches the 405 rather than Django's HTML 403: the
    probes change nothing, whatever the method.
    """

    @wraps(view)
    def guarded(request):
        if request.method not in ALLOWED_METHODS:
            response = JsonResponse(
                error_body(
                    405,
                    "method_not_allowed",
                    f"{request.path} is read with GET (or HEAD), not {request.method}.",
                ),
                status=405,
            )
            response["Allow"] = ", ".join(ALLOWED_METHODS)
            return response
        return view(request)

    return csrf_exempt(never_cache(guarded))


@_probe
def healthz(request):
    """The process is up and answering; it checks nothing else, so it never flaps."""
    return JsonResponse({"status": "ok"})


def _database_ok() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        logger.warning("readiness: database unreachable: %s", exc)
        return "unreachable"
    return None


def _replica_ok() -> str | None:
    # The API's and the feeds' reads go to the replica when one is configured: a primary that
    # answers is no use to them if the replica does not.
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        logger.warning("readiness: read replica unreachable: %s", exc)
        return "unreachable"
    return None


def _cache_ok() -> str | None:
    key = f"folio:readyz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=5)
        if cache.get(key) != "1":
            return "did not return what was stored"
        cache.delete(key)
    except Exception as exc:  # noqa: BLE001
        logger.warning("readiness: cache unreachable: %s", exc)
        return "unreachable"
    return None


@_probe
def readyz(request):
    """Ready to serve: the databases (primary, and replica if any) answer and the cache works."""
    checks = {"database": _database_ok, "cache": _cache_ok}
    if REPLICA in connections:  # DATABASE_REPLICA_URL configures it
        checks[REPLICA] = _replica_ok
    results = {name: check() for name, check in checks.items()}
    problems = {name: [problem] for name, problem in results.items() if problem}
    if problems:
        body = error_body(
            503,
            "service_unavailable",
            f"Not ready: {', '.join(sorted(problems))} unavailable.",
            problems,
        )
        return JsonResponse(body, status=503)
    return JsonResponse({"status": "ok", "checks": dict.fromkeys(results, "ok")})
