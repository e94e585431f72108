"""Per-partner request counts per UTC day: counted in the shared cache, kept in the database.

Every partner request increments a day counter in the cache (atomic, cheap). At most once a
minute per process and partner, the counter's value is written to `PartnerUsage`, so the
admin's figures are at most a minute behind and survive a cache flush: a counter missing from
the cache is re-seeded from the database before it is incremented. The same write records when
each of the partner's keys that served since was last used (`PartnerAPIKey.last_used_at`, shown
in the admin's key list), so a key's use costs no write of its own.
"""

import logging
import time
from datetime import date

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from api.models import PartnerAPIKey, PartnerUsage

logger = logging.getLogger("folio.api.usage")

FLUSH_EVERY = 60.0  # seconds between database writes, per process and partner
_last_flush: dict[tuple[int, date], float] = {}
# The keys each partner's requests came with since this process last wrote its totals.
_keys_used: dict[int, set[int]] = {}
# A fresh process counts as having just written: its first partner request costs no write
# (the count is in the cache meanwhile, which is what the admin reads first).
_process_started = time.monotonic()


def _counter_key(partner_id: int, day: date, field: str) -> str:
    return f"folio:usage:{partner_id}:{day.isoformat()}:{field}"


def _increment(partner_id: int, day: date, field: str) -> int:
    key = _counter_key(partner_id, day, field)
    try:
        return cache.incr(key)
    except ValueError:
        # Missing (first request of the day, or a flushed cache): start from what is stored.
        stored = (
            PartnerUsage.objects.filter(partner_id=partner_id, day=day)
            .values_list(field, flat=True)
            .first()
        )
        cache.add(key, stored or 0, timeout=3 * 86400)
        return cache.incr(key)


def usage_record(
    *, partner_id: int, throttled: bool = False, api_key_id: int | None = None
) -> None:
    """Count one request by a partner today (and whether it was throttled), made with a key."""
    day = timezone.now().date()
    if api_key_id is not None:
        _keys_used.setdefault(partner_id, set()).add(api_key_id)
    try:
        requests = _increment(partner_id, day, "requests")
        refused = _increment(partner_id, day, "throttled") if throttled else None
    except Exception:
        logger.warning("usage counter unavailable; counting in the database", exc_info=True)
        _database_increment(partner_id, day, throttled=throttled)
        return
    last = _last_flush.get((partner_id, day), _process_started)
    if time.monotonic() - last >= FLUSH_EVERY or throttled:
        _last_flush[(partner_id, day)] = time.monotonic()
        if refused is None:
            refused = cache.get(_counter_key(partner_id, day, "throttled")) or 0
        usage_store(partner_id=partner_id, day=day, requests=requests, throttled=refused)
        keys_used_store(partner_id)


def keys_used_store(partner_id: int) -> None:
    """Stamp the partner's keys used since the last write as used now (one UPDATE, or none)."""
    used = _keys_used.pop(partner_id, None)
    if not used:
        return
    try:
        PartnerAPIKey.objects.filter(pk__in=sorted(used)).update(last_used_at=timezone.now())
    except Exception:
        _keys_used.setdefault(partner_id, set()).update(used)  # the next write tries again
        logger.warning("could not record when partner keys were used", exc_info=True)


def usage_store(*, partner_id: int, day: date, requests: int, throttled: int) -> None:
    """Write a day's totals, never lowering what is stored (counters only grow)."""
    try:
        with transaction.atomic():
            row, created = PartnerUsage.objects.select_for_update().get_or_create(
                partner_id=partner_id,
                day=day,
                defaults={"requests": requests, "throttled": throttled},
            )
            if not created and (requests > row.requests or throttled > row.throttled):
                row.requests = max(row.requests, requests)
                row.throttled = max(row.throttled, throttled)
                row.save(update_fields=["requests", "throttled"])
    except Exception:
        logger.warning("could not store partner usage", exc_info=True)


def _database_increment(partner_id: int, day: date, *, throttled: bool) -> None:
    try:
        with transaction.atomic():
            row, _ = PartnerUsage.objects.get_or_create(partner_id=partner_id, day=day)
            PartnerUsage.objects.filter(pk=row.pk).update(
                requests=F("requests") + 1, throttled=F("throttled") + int(throttled)
            )
    except Exception:
        logger.warning("could not store partner usage", exc_info=True)


def usage_today(partner_id: int) -> tuple[int, int]:
    """(requests, throttled) today, live from the cache when it has them."""
    day = timezone.now().date()
    try:
        found = cache.get_many(
            [_counter_key(partner_id, day, "requests"), _counter_key(partner_id, day, "throttled")]
        )
    except Exception:  # noqa: BLE001 - the stored figures are the answer then
        found = {}
    row = PartnerUsage.objects.filter(partner_id=partner_id, day=day).first()
    stored = (row.requests, row.throttled) if row else (0, 0)
    return (
        max(found.get(_counter_key(partner_id, day, "requests")) or 0, stored[0]),
        max(found.get(_counter_key(partner_id, day, "throttled")) or 0, stored[1]),
    )
