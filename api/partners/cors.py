"""CORS for partners only: a browser origin is allowed when an active partner lists it."""

import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from api.models import Partner

logger = logging.getLogger("folio.api.cors")

ORIGINS_KEY = "folio:cors:partner-origins"


def partner_origins() -> frozenset[str]:
    """Every origin an active partner lists; cached until a partner changes."""
    try:
        origins = cache.get(ORIGINS_KEY)
    except Exception:
        logger.warning("cache unavailable; reading partner origins", exc_info=True)
        origins = None
    if origins is None:
        origins = frozenset(
            origin
            for partner in Partner.objects.filter(is_active=True).only("allowed_origins")
            for origin in partner.origins
        )
        try:
            cache.set(ORIGINS_KEY, origins, timeout=3600)
        except Exception:
            logger.warning("could not cache partner origins", exc_info=True)
    return origins


def origin_allowed(sender, request, **kwargs) -> bool:
    """django-cors-headers' `check_request_enabled` receiver.

    A receiver's yes overrides CORS_URLS_REGEX, so the paths are checked here too: the
    admin and everything else outside the API and the feeds stay closed to every origin.
    """
    if not re.match(settings.CORS_URLS_REGEX, request.path_info):
        return False
    origin = request.headers.get("Origin", "").rstrip("/")
    return bool(origin) and origin in partner_origins()


@receiver(post_save, sender=Partner, dispatch_uid="api-cors-partner-saved")
@receiver(post_delete, sender=Partner, dispatch_uid="api-cors-partner-deleted")
def partner_changed(**kwargs) -> None:
    try:
        cache.delete(ORIGINS_KEY)
    except Exception:
        logger.warning("could not clear the cached partner origins", exc_info=True)
