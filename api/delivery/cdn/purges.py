"""The purge queue: rows per CDN target, sent by the task worker, retried until they succeed.

`purges_queue` runs once an editorial transaction has committed: it bumps the origin's content
generation (so an edge refetching after the purge can only get the new answer), writes one
`EdgePurge` row per configured target and enqueues `edge_purge_send` for each. The task takes
every due row of its target under a lease, sends their keys together (one request, more only
past the target's limits) and marks them done; on failure the rows stay pending with
exponential backoff (full jitter, at most CDN_PURGE_RETRY_MAX seconds apart) and are tried
again, for as long as it takes. `edge_purge_sweep`, run every minute by `manage.py
run_scheduler`, enqueues due rows whose task was lost (a killed worker, a backend that cannot
defer) and deletes rows done more than a week ago.
"""

import logging
import random
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone
from django_tasks import task

from api.delivery.cdn import keys
from api.delivery.cdn.backends import PurgeFailed, chunks, configured_targets, target_named
from api.models import EdgePurge

logger = logging.getLogger("folio.api.cdn")

PENDING, DONE = EdgePurge.Status.PENDING, EdgePurge.Status.DONE
RETRY_BASE = 2  # seconds before the first retry, at most
BATCH = 500  # rows sent together, at most
KEEP_DONE = timedelta(days=7)
SWEEP_GRACE = timedelta(seconds=30)


def retry_cap() -> float:
    return float(getattr(settings, "CDN_PURGE_RETRY_MAX", 300))


def purges_queue(*, keys_to_purge, cause: str = "") -> list[EdgePurge]:
    """Queue `keys_to_purge` for every configured target; called after the change committed."""
    wanted = sorted(set(keys_to_purge))
    targets = configured_targets()
    if not wanted or not targets:
        return []
    if keys.EVERYTHING in wanted:
        wanted = [keys.EVERYTHING]
    from api.delivery.caching import content_generation_bump

    # Before any edge can refetch: what it refetches must not come from a stale origin entry.
    content_generation_bump()
    with transaction.atomic():
        rows = EdgePurge.objects.bulk_create(
            [EdgePurge(target=target.name, keys=wanted, cause=cause) for target in targets]
        )
        names = [target.name for target in targets]
        transaction.on_commit(lambda: _enqueue(names), robust=True)
    logger.info("edge: queued %s keys for %s targets (%s)", len(wanted), len(targets), cause)
    return rows


def _enqueue(target_names, *, run_after=None) -> None:
    sender = edge_purge_send
    if run_after is not None:
        if not sender.get_backend().supports_defer:
            return  # the sweep enqueues it once due
        sender = sender.using(run_after=run_after)
    for name in target_names:
        sender.enqueue(name)


@task()
def edge_purge_send(target_name: str) -> str:
    """Send every due purge of one target; returns what happened, for the task log."""
    return purges_send(target_name=target_name)


def purges_send(*, target_name: str) -> str:
    target = target_named(target_name)
    now = timezone.now()
    due = EdgePurge.objects.filter(
        Q(locked_until__isnull=True) | Q(locked_until__lte=now),
        target=target_name,
        status=PENDING,
        next_attempt_at__lte=now,
    )
    if target is None:
        return f"{target_name} is not configured any more; its purges are left pending"
    ids = list(due.order_by("pk").values_list("pk", flat=True)[:BATCH])
    if not ids:
        return "nothing due"
    lease = now + timedelta(seconds=settings.CDN_PURGE_TIMEOUT * 4 + 30)
    # The lease: only the worker that took the rows sends them and schedules their retry.
    EdgePurge.objects.filter(pk__in=ids).filter(
        Q(locked_until__isnull=True) | Q(locked_until__lte=now), status=PENDING
    ).update(locked_until=lease)
    held = list(EdgePurge.objects.filter(pk__in=ids, locked_until=lease, status=PENDING))
    if not held:
        return "taken by another worker"
    wanted = sorted({key for row in held for key in row.keys})
    if keys.EVERYTHING in wanted:
        wanted = [keys.EVERYTHING]
    started = timezone.now()
    try:
        for chunk in chunks(target, wanted):
            target.purge(chunk)
    except PurgeFailed as error:
        return _failed(held, lease=lease, error=str(error))
    EdgePurge.objects.filter(pk__in=[row.pk for row in held], locked_until=lease).update(
        status=DONE,
        completed_at=timezone.now(),
        locked_until=None,
        last_error="",
        attempt_count=F("attempt_count") + 1,
    )
    latency = (timezone.now() - min(row.created_at for row in held)).total_seconds()
    logger.info(
        "edge: purged %s keys from %s (%s changes, %.0f ms, %.1f s after the first change)",
        len(wanted),
        target_name,
        len(held),
        (timezone.now() - started).total_seconds() * 1000,
        latency,
    )
    return f"purged {len(wanted)} keys ({len(held)} changes)"


def _failed(held: list[EdgePurge], *, lease, error: str) -> str:
    attempts = max(row.attempt_count for row in held) + 1
    retry_at = timezone.now() + timedelta(seconds=backoff_seconds(attempts))
    for row in held:
        EdgePurge.objects.filter(pk=row.pk, locked_until=lease).update(
            attempt_count=row.attempt_count + 1,
            next_attempt_at=retry_at,
            locked_until=None,
            last_error=error[:1000],
        )
    logger.warning(
        "edge: purge of %s failed (attempt %s), retrying at %s: %s",
        held[0].target,
        attempts,
        retry_at.isoformat(),
        error,
    )
    _enqueue([held[0].target], run_after=retry_at)
    return f"failed ({error}); retry at {retry_at.isoformat()}"


def backoff_seconds(attempts: int) -> float:
    """Seconds to wait after the `attempts`-th failure: full jitter, at least half a second."""
    ceiling = min(retry_cap(), RETRY_BASE * 2 ** max(0, min(attempts - 1, 20)))
    return max(0.5, random.uniform(0, ceiling))  # noqa: S311 - jitter, not a secret


def edge_purge_sweep() -> int:
    """Enqueue targets with due purges no task is seeing to; prune old done rows."""
    now = timezone.now()
    EdgePurge.objects.filter(status=DONE, completed_at__lt=now - KEEP_DONE).delete()
    stale = (
        EdgePurge.objects.filter(status=PENDING, next_attempt_at__lte=now - SWEEP_GRACE)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
        .values_list("target", flat=True)
        .distinct()
    )
    names = sorted(set(stale))
    for name in names:
        edge_purge_send.enqueue(name)
    if names:
        logger.info("edge sweep: enqueued purges for %s", ", ".join(names))
    return len(names)


def purge_health() -> list[dict]:
    """Per target: pending rows, the oldest one's age, attempts and last error; last success."""
    rows = {
        row["target"]: row
        for row in EdgePurge.objects.filter(status=PENDING)
        .values("target")
        .annotate(
            pending=Count("pk"),
            oldest=Min("created_at"),
            attempts=Max("attempt_count"),
        )
    }
    last_done = dict(
        EdgePurge.objects.filter(status=DONE)
        .values("target")
        .annotate(last=Max("completed_at"))
        .values_list("target", "last")
    )
    names = [target.name for target in configured_targets()]
    names += sorted(set(rows) - set(names))
    health = []
    for name in names:
        row = rows.get(name, {})
        last_error = ""
        if row:
            last_error = (
                EdgePurge.objects.filter(target=name, status=PENDING)
                .exclude(last_error="")
                .order_by("-pk")
                .values_list("last_error", flat=True)
                .first()
                or ""
            )
        health.append(
            {
                "target": name,
                "pending": row.get("pending", 0),
                "oldest_pending": row.get("oldest"),
                "attempts": row.get("attempts", 0),
                "last_error": last_error,
                "last_success": last_done.get(name),
            }
        )
    return health
