"""Serve anonymous API and feed GETs from the shared response cache before the rest of the stack."""

from django.conf import settings

from api.delivery.caching import cached_response, response_cache_key
from api.partners.throttling import anonymous_throttle_wait, throttled_response

# Where views store anonymous responses in the shared cache (`ConditionalCachedMixin`, feeds).
CACHED_PATH_PREFIXES = ("/api/", "/feeds/")


class SharedResponseCacheMiddleware:
    """Answer a request the shared cache holds a current response to, as early as possible.

    Placed just inside the middleware that shapes every response (security headers, CSP, CORS,
    gzip), like Django's own `FetchFromCacheMiddleware`: a hit skips sessions, authentication,
    URL resolving and the view, which a cached anonymous response never needs. Only views
    store entries, and only for responses they may share, so a hit is always a response the
    view would have served; the view decides everything else (what is stored, for how long).

    A hit is still counted by the anonymous throttle. A miss leaves its lookup on the request
    (`request_cache_lookup`), so the view neither reads the cache again nor reads the
    generation anew: what it stores is kept against the generation read before the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in ("GET", "HEAD")
            and settings.API_RESPONSE_CACHE
            and "HTTP_AUTHORIZATION" not in request.META
            and request.path_info.startswith(CACHED_PATH_PREFIXES)
        ):
            key = response_cache_key(request)
            generation, cached = cached_response(request, key)
            if cached is not None:
                wait = anonymous_throttle_wait(request)
                if wait is not None:
                    return throttled_response(wait)
                # What CommonMiddleware, which a hit skips, gives every response it sees.
                cached.headers.setdefault("Content-Length", str(len(cached.content)))
                return cached
            request._folio_cache_lookup = (key, generation)
            request._folio_generation = generation
        return self.get_response(request)
