"""Partner API keys: read from the request, checked with one indexed lookup and one hash.

Keys are never cached, so a revoked key (or a deactivated partner) fails on the very next
request on every worker. The check costs one query by the key's unique prefix and one SHA-512
of the key (microseconds; no password hasher, since keys are 32 random characters). A refused
key is charged to its client's IP at the anonymous rate, so guessing keys is rate-limited like
any anonymous use.
"""

import re

from rest_framework.authentication import BaseAuthentication

from api.errors import InvalidApiKey, Throttled
from api.models import PartnerAPIKey

KEYWORD = "Api-Key"
# <8-character prefix>.<32-character secret>, as rest_framework_api_key generates them.
KEY_SHAPE = re.compile(r"^[A-Za-z0-9]{8}\.[A-Za-z0-9]{32}$")
_UNSET = object()


def api_key_from_request(request, *, allow_query: bool = False) -> str | None:
    """The key a request presents, or None when it presents none.

    `Authorization: Api-Key <key>` everywhere; `?api_key=` only where `allow_query` (feeds,
    whose readers cannot send headers). Any other Authorization scheme is a 401, not a
    silent fall-back to anonymous access.
    """
    header = request.META.get("HTTP_AUTHORIZATION")
    if header is not None and allow_query and "api_key" in request.GET:
        # Two keys, one possibly malformed or another partner's: never guess which one counts.
        raise InvalidApiKey("Send one partner key: in the Authorization header or ?api_key=.")
    if header is not None:
        scheme, _, key = header.strip().partition(" ")
        if scheme.lower() != KEYWORD.lower() or not key.strip():
            raise InvalidApiKey(f"Send a partner key as 'Authorization: {KEYWORD} <key>'.")
        return key.strip()
    if allow_query and "api_key" in request.GET:
        return request.GET["api_key"]
    return None


def api_key_check(raw_key: str) -> PartnerAPIKey:
    """The usable key matching `raw_key`, with its partner loaded; InvalidApiKey otherwise."""
    if not KEY_SHAPE.match(raw_key):
        raise InvalidApiKey()
    prefix = raw_key.partition(".")[0]
    api_key = (
        PartnerAPIKey.objects.select_related("partner")
        .filter(prefix=prefix, revoked=False, partner__is_active=True)
        .first()
    )
    if api_key is None or not api_key.is_valid(raw_key):
        raise InvalidApiKey()
    if api_key.has_expired:
        raise InvalidApiKey("This API key has expired; ask for a new one.")
    return api_key


def partner_key_for(request, *, allow_query: bool = False) -> PartnerAPIKey | None:
    """The partner key of a request (checked once per request), or None for anonymous use.

    The key is remembered on the Django request, where the visibility rule (articles/selectors/)
    and the throttles read it.
    """
    django_request = getattr(request, "_request", request)
    found = getattr(django_request, "folio_api_key", _UNSET)
    if found is _UNSET:
        try:
            raw_key = api_key_from_request(django_request, allow_query=allow_query)
            found = api_key_check(raw_key) if raw_key is not None else None
        except InvalidApiKey:
            _failed_key_charge(django_request)
            raise
        django_request.folio_api_key = found
    return found


def _failed_key_charge(request) -> None:
    """A refused key counts against its client's IP like an anonymous request; past that limit
    the answer is a 429, not another 401.

    A request with any key skips the per-IP limit and a refused one never reaches its key's,
    so without this a client could try keys (each a database lookup) as fast as it liked.
    """
    # Late: the throttles read keys through this module.
    from api.partners.throttling import anonymous_throttle_wait

    wait = anonymous_throttle_wait(request)
    if wait is not None:
        raise Throttled(wait)


def partner_of(request):
    """The partner whose key the request was checked with, or None."""
    django_request = getattr(request, "_request", request)
    api_key = getattr(django_request, "folio_api_key", None)
    return api_key.partner if api_key is not None else None


class PartnerKeyAuthentication(BaseAuthentication):
    """DRF authentication by partner key: `request.user` is the partner, `request.auth` the key."""

    def authenticate(self, request):
        api_key = partner_key_for(request)
        if api_key is None:
            return None
        return api_key.partner, api_key

    def authenticate_header(self, request):
        return KEYWORD
