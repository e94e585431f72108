"""Liveness (/healthz) and readiness (/readyz: database and cache reachable) probes."""

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from api.errors import error_body

logger = logging.getLogger("folio.health")


@never_cache
@require_GET
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


@never_cache
@require_GET
def readyz(request):
    """Ready to serve: the database answers a query and the cache stores and returns a value."""
    problems = {
        name: [problem]
        for name, problem in (("database", _database_ok()), ("cache", _cache_ok()))
        if problem
    }
    if problems:
        body = error_body(
            503,
            "service_unavailable",
            f"Not ready: {', '.join(sorted(problems))} unavailable.",
            problems,
        )
        return JsonResponse(body, status=503)
    return JsonResponse({"status": "ok", "checks": {"database": "ok", "cache": "ok"}})
