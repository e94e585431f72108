"""The shared response cache, invalidated in O(1) by a generation counter; the views' mixin.

Every cached response is stored with the content generation current when its request began.
An editorial change (any save or delete of content the API shows) bumps the generation once
its transaction commits, so every entry written before it is stale from that moment, on every
worker sharing the cache: no scan, no key listing. A request that read the database before the
commit stores its entry under the old generation, so a stale body can never be stored as new.

Time alone can change what is visible (an expiry or go-live date passing before the scheduler
runs) and what a detail says (a medical review turning due soon or overdue); the earliest such
moment is kept beside the generation, and the first request after it bumps the generation too.

The cache is an accelerator, never a dependency: if it fails, requests are served uncached and
the failure is logged. Conditional GET is api/delivery/conditional.py; what bumps the generation,
api/delivery/invalidation.py.
"""

import hashlib
import logging
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Min, Q
from django.http import HttpResponse
from django.http.response import ResponseHeaders
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from api.delivery.cdn.keys import header_values
from api.delivery.conditional import etag_for, is_not_modified, last_modified_header, not_modified
from api.partners.throttling import anonymous_throttle_wait, throttled_response

logger = logging.getLogger("folio.api.cache")

GENERATION_KEY = "folio:api:generation"
BOUNDARY_KEY = "folio:api:next-boundary"
# The number is the stored entry's format: entries written by an older release are never read.
RESPONSE_KEY_PREFIX = "folio:api:response:2:"
NO_BOUNDARY = 0.0  # stored when nothing is scheduled

# Response headers kept with a cached body.
CACHED_HEADERS = (
    "Allow",
    "Content-Type",
    "ETag",
    "Last-Modified",
    "Cache-Control",
    "Vary",
    "Surrogate-Key",
    "Cache-Tag",
)

# Request headers that change the body (or the status) of an API response.
VARY = ("Accept", "Accept-Encoding", "Authorization")


def _cache_timeout() -> int:
    return getattr(settings, "API_CACHE_TIMEOUT", 300)


def anonymous_cache_control(boundary: float = 0.0, *, now: float | None = None) -> str:
    """`Cache-Control` of an anonymous response, never fresh past the next scheduled change.

    `boundary` is the earliest moment (a Unix time; 0 for none) at which some content goes
    live or expires (`schedule_boundary`). No freshness, shared or private, and no
    stale-while-revalidate window outlives it, so even an edge no purge reaches stops serving
    an expired article then. `s-maxage` (CDN_MAX_AGE) lets a purged edge keep answers longer
    than clients do.
    """
    max_age = getattr(settings, "API_CACHE_MAX_AGE", 60)
    stale = getattr(settings, "API_STALE_WHILE_REVALIDATE", 300)
    shared = getattr(settings, "CDN_MAX_AGE", None)
    if boundary:
        remaining = max(0, int(boundary - (time.time() if now is None else now)))
        max_age = min(max_age, remaining)
        shared = None if shared is None else min(shared, remaining)
        stale = max(0, min(stale, remaining - max(max_age, shared or 0)))
    parts = ["public", f"max-age={max_age}"]
    if shared is not None:
        parts.append(f"s-maxage={shared}")
    if stale:
        parts.append(f"stale-while-revalidate={stale}")
    return ", ".join(parts)


def schedule_boundary(request) -> float:
    """The next scheduled go-live or expiry (Unix time, 0 for none), as the cache keeps it.

    Read by this request's cache lookup when it made one; else from the cache, or computed
    (two aggregate queries) and kept there until the next editorial change.
    """
    boundary = getattr(request, "_folio_boundary", None)
    if boundary is not None:
        return boundary
    try:
        boundary = cache.get(BOUNDARY_KEY)
    except Exception:
        logger.warning("schedule boundary unavailable from the cache", exc_info=True)
        boundary = None
    if boundary is None:
        boundary = _next_schedule_boundary(timezone.now())
        try:
            cache.set(BOUNDARY_KEY, boundary, timeout=None)
        except Exception:
            logger.warning("could not keep the schedule boundary", exc_info=True)
    request._folio_boundary = boundary
    return boundary


def _capped(headers, boundary: float) -> None:
    """Re-cap a stored answer's freshness: time has passed since it was stored."""
    if boundary and "max-age=" in headers.get("Cache-Control", ""):
        headers["Cache-Control"] = anonymous_cache_control(boundary)


PRIVATE_CACHE_CONTROL = "private, max-age=0, must-revalidate"
NO_STORE = "no-store"


# The generation and the schedule boundary


def _next_schedule_boundary(now: datetime) -> float:
    """The earliest future moment at which a live page or series expires or goes live, or a
    live article's medical review turns due soon or overdue (the start of that UTC day)."""
    from wagtail.models import Page

    from articles.models import ArticlePage, Series

    moments = []
    for model in (Page, Series):
        result = model.objects.filter(live=True).aggregate(
            expiry=Min("expire_at", filter=Q(expire_at__gt=now)),
            go_live=Min("go_live_at", filter=Q(go_live_at__gt=now)),
        )
        moments += [value for value in result.values() if value is not None]
    today = now.astimezone(UTC).date()
    reviews = ArticlePage.objects.filter(live=True, medical_reviewer__isnull=False).aggregate(
        due_soon=Min("review_due_soon_from", filter=Q(review_due_soon_from__gt=today)),
        overdue=Min("next_review_due", filter=Q(next_review_due__gt=today)),
    )
    moments += [
        datetime(day.year, day.month, day.day, tzinfo=UTC)
        for day in reviews.values()
        if day is not None
    ]
    return min(moments).timestamp() if moments else NO_BOUNDARY


def content_generation_bump() -> None:
    """Make every cached response stale, on every worker; safe to call when the cache is down."""
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:
            # No generation yet (or the cache was flushed): start from the clock, so a reset
            # never revisits a generation some surviving entry was stored under.
            cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
        # The change may have added or removed a scheduled moment; the next request recomputes.
        cache.delete(BOUNDARY_KEY)
    except Exception:
        logger.warning("could not bump the content generation", exc_info=True)


def content_generation(request=None) -> int | None:
    """The current content generation: the one this request's cache lookup read, if it did one.

    None when the cache is unreachable or holds none yet: nothing may then be kept against it.
    """
    generation = getattr(request, "_folio_generation", None)
    if generation is not None:
        return generation
    try:
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            content_generation_bump()  # first use, or a flushed cache: start one
            generation = cache.get(GENERATION_KEY)
        return generation
    except Exception:
        logger.warning("content generation unavailable", exc_info=True)
        return None


# The response cache


def response_cache_key(request) -> str:
    """The cache key of an anonymous GET: host, path and the query string as sent."""
    raw = f"{request.get_host()}|{request.path}|{request.META.get('QUERY_STRING', '')}"
    return RESPONSE_KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def _read_values(keys: list[str]) -> list:
    """The cached values of `keys`, in order, in one round trip (None where missing)."""
    get_values = getattr(cache, "get_values", None)  # cms.cache.FolioRedisCache's direct MGET
    if get_values is not None:
        return get_values(keys)
    found = cache.get_many(keys)
    return [found.get(key) for key in keys]


def cache_lookup(key: str) -> tuple[int | None, float | None, dict | None]:
    """(current generation, schedule boundary, cached entry) in one round trip.

    (None, None, None) if the cache fails.
    """
    try:
        generation, boundary, entry = _read_values([GENERATION_KEY, BOUNDARY_KEY, key])
        if generation is None or (boundary and time.time() >= boundary):
            # First use, a flushed cache, or a scheduled moment has passed: a new generation.
            content_generation_bump()
            generation, boundary, entry = cache.get(GENERATION_KEY), None, None
        if boundary is None:
            boundary = _next_schedule_boundary(timezone.now())
            cache.set(BOUNDARY_KEY, boundary, timeout=None)
        return generation, boundary, entry
    except Exception:
        logger.warning("response cache unavailable; serving uncached", exc_info=True)
        return None, None, None


# Beside each stored response, its headers alone: a revalidation reads this small entry and
# answers 304 without fetching (and unpickling) the body.
TAG_SUFFIX = ":tag"


def cached_response(request, key: str) -> tuple[int | None, HttpResponse | None]:
    """The current generation, and the stored answer to `request` if one is current.

    A conditional request is answered from the headers entry: a 304 when the client's copy
    matches, else the body is fetched (one more round trip, only for an outdated copy).
    """
    conditional = "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META
    generation, boundary, entry = cache_lookup(key + TAG_SUFFIX if conditional else key)
    if boundary is not None:
        request._folio_boundary = boundary
    if entry is None or entry["generation"] != generation:
        return generation, None
    headers = entry["headers"]
    _capped(headers, boundary)
    if is_not_modified(request, etag=headers["ETag"], last_modified=headers.get("Last-Modified")):
        return generation, not_modified(headers)
    if conditional:
        try:
            entry = cache.get(key)
        except Exception:
            logger.warning("response cache unavailable; serving uncached", exc_info=True)
            return None, None
        if entry is None or entry["generation"] != generation:
            return generation, None
    response = HttpResponse(entry["content"], status=200)
    # Validated when stored; a fresh copy per request, since outer middleware adds to it.
    response.headers = entry["headers"]
    _capped(response.headers, boundary)
    return generation, response


def request_cache_lookup(request) -> tuple[str, int | None, HttpResponse | None]:
    """(key, generation, cached response or None) for a view that shares its response.

    The lookup `api.delivery.middleware.SharedResponseCacheMiddleware` made, if it made one (a miss:
    it answers hits itself); else one now.
    """
    looked_up = getattr(request, "_folio_cache_lookup", None)
    if looked_up is not None:
        key, generation = looked_up
        return key, generation, None
    key = response_cache_key(request)
    generation, cached = cached_response(request, key)
    request._folio_generation = generation
    return key, generation, cached


def cache_store(key: str, *, generation: int, response: HttpResponse) -> None:
    """Store a rendered 200 with its cacheable headers, under the generation it was read at."""
    headers = ResponseHeaders({name: response[name] for name in CACHED_HEADERS if name in response})
    try:
        cache.set_many(
            {
                key: {"generation": generation, "content": response.content, "headers": headers},
                key + TAG_SUFFIX: {"generation": generation, "headers": headers},
            },
            timeout=_cache_timeout(),
        )
    except Exception:
        logger.warning("could not store a response in the cache", exc_info=True)


def finish_response(request, response, *, cache_control: str) -> None:
    """Give a rendered 200 its ETag, Cache-Control and Vary."""
    response["ETag"] = etag_for(response.content)
    response["Cache-Control"] = cache_control
    patch_vary_headers(response, VARY)


class ConditionalCachedMixin:
    """For read views: ETag/304 on every 200, and the shared cache for anonymous requests.

    Views set `self.last_modified` (a datetime) when the resource has a modification time,
    and `cache_control` to NO_STORE for responses that must never be stored (previews).
    """

    cache_control: str | None = None
    last_modified: datetime | None = None
    surrogate_keys: tuple[str, ...] | list[str] = ()

    @staticmethod
    def is_anonymous(request) -> bool:
        return "HTTP_AUTHORIZATION" not in request.META

    def shares_cache(self, request) -> bool:
        """Only anonymous responses go to the shared cache; partner responses are private."""
        return (
            settings.API_RESPONSE_CACHE
            and self.cache_control != NO_STORE
            and self.is_anonymous(request)
        )

    def dispatch(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return super().dispatch(request, *args, **kwargs)
        if self.is_anonymous(request):
            # Before the cache: a scraper is limited whether or not its answers are cached.
            wait = anonymous_throttle_wait(request)
            if wait is not None:
                return throttled_response(wait)
        shared = self.shares_cache(request)
        key = generation = None
        if shared:
            key, generation, cached = request_cache_lookup(request)
            if cached is not None:
                return cached

        response = super().dispatch(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        cache_control = self.cache_control or (
            anonymous_cache_control(schedule_boundary(request))
            if self.is_anonymous(request)
            else PRIVATE_CACHE_CONTROL
        )
        finish_response(request, response, cache_control=cache_control)
        modified = last_modified_header(self.last_modified)
        if modified:
            response["Last-Modified"] = modified
        if self.surrogate_keys:
            for name, value in header_values(self.surrogate_keys).items():
                response[name] = value
        if shared and generation is not None:
            cache_store(key, generation=generation, response=response)
        if cache_control != NO_STORE and is_not_modified(
            request, etag=response["ETag"], last_modified=modified
        ):
            return not_modified(response.headers)
        return response
