"""Rate limits counted in the shared cache: per partner key at its own rate, per IP otherwise.

Each limit is a fixed window counted with the cache's atomic increment (Redis INCR), so the
limit holds in total across every worker and node sharing the cache; DRF's stock throttles
read and rewrite a list of timestamps, which lets concurrent workers overrun the limit.

The client IP is DRF's `get_ident`: REMOTE_ADDR, or with `NUM_PROXIES` = N the address the
N-th trusted proxy from the right saw, so a client-written X-Forwarded-For is never believed.

If the cache is unreachable, throttling fails open (requests are served and the failure is
logged): a cache outage must not take the API down with it.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from rest_framework.throttling import BaseThrottle

from api.errors import Throttled, error_body
from api.partners.keys import partner_key_for
from api.partners.models import parse_rate
from api.partners.usage import usage_record

logger = logging.getLogger("folio.api.throttling")

KEY_PREFIX = "folio:throttle:"


def _count(key: str, *, timeout: int) -> int:
    """Increment the counter `key` (created with `timeout`) and return its new value.

    On Redis one round trip: INCR and EXPIRE NX in a pipeline (Django's own `incr` costs an
    EXISTS and an INCR, after an `add`). Other caches: `add` then `incr`, both atomic.
    """
    backend = getattr(cache, "_cache", None)
    if hasattr(backend, "get_client"):
        full_key = cache.make_and_validate_key(key)
        client = backend.get_client(full_key, write=True)
        with client.pipeline(transaction=False) as pipeline:
            pipeline.incr(full_key)
            pipeline.expire(full_key, timeout, nx=True)
            count, _expiry_set = pipeline.execute()
        return int(count)
    cache.add(key, 0, timeout=timeout)
    return cache.incr(key)


def window_hit(ident: str, *, limit: int, period: int, now: float | None = None) -> float | None:
    """Count one request against `ident`'s current window: None if allowed, else seconds to wait."""
    now = time.time() if now is None else now
    window = int(now // period)
    key = f"{KEY_PREFIX}{ident}:{period}:{window}"
    try:
        count = _count(key, timeout=period + 1)
    except Exception:
        logger.warning("throttle counter unavailable; allowing the request", exc_info=True)
        return None
    if count <= limit:
        return None
    return (window + 1) * period - now


class FixedWindowThrottle(BaseThrottle):
    """A DRF throttle over `window_hit`; subclasses say whom to count and at what rate."""

    def __init__(self):
        self._wait: float | None = None

    def ident_and_rate(self, request) -> tuple[str, tuple[int, int]] | None:
        raise NotImplementedError

    def allow_request(self, request, view) -> bool:
        found = self.ident_and_rate(request)
        if found is None:
            return True
        ident, (limit, period) = found
        self._wait = window_hit(ident, limit=limit, period=period)
        return self._wait is None

    def wait(self) -> float | None:
        return self._wait


class PartnerRateThrottle(FixedWindowThrottle):
    """Per key, at the partner's own rate; every request is also counted in its daily usage."""

    def ident_and_rate(self, request):
        api_key = partner_key_for(request)
        if api_key is None:
            return None
        return f"key:{api_key.prefix}", api_key.partner.rate

    def allow_request(self, request, view) -> bool:
        allowed = super().allow_request(request, view)
        api_key = partner_key_for(request)
        if api_key is not None:
            usage_record(
                partner_id=api_key.partner_id, throttled=not allowed, api_key_id=api_key.pk
            )
        return allowed


class AnonymousRateThrottle(FixedWindowThrottle):
    """Per client IP for requests without a key, at `API_ANONYMOUS_RATE` (empty: no limit)."""

    def ident_and_rate(self, request):
        rate = settings.API_ANONYMOUS_RATE
        if not rate:
            return None
        return f"ip:{self.get_ident(request)}", parse_rate(rate)


def anonymous_throttle_wait(request) -> float | None:
    """Count an anonymous request against its IP: None if allowed, else seconds to wait."""
    throttle = AnonymousRateThrottle()
    return None if throttle.allow_request(request, None) else throttle.wait()


def throttled_response(wait: float) -> JsonResponse:
    """The 429 of a request refused before it reached DRF (anonymous API calls, feeds)."""
    refused = Throttled(wait)
    response = JsonResponse(error_body(429, refused.default_code, str(refused.detail)), status=429)
    for name, value in refused.headers.items():
        response[name] = value
    return response


def request_throttle_wait(request) -> float | None:
    """For views outside DRF (feeds) and before the response cache: the seconds to wait, or None.

    A partner request is counted against its key, anything else against its IP.
    """
    throttle = (
        PartnerRateThrottle()
        if partner_key_for(request, allow_query=True) is not None
        else AnonymousRateThrottle()
    )
    return None if throttle.allow_request(request, None) else throttle.wait()
