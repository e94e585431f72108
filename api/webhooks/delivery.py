"""Delivering the outbox: one task per delivery attempt, leases, retries, and the sweeper.

A delivery is attempted by `webhook_deliver`, a task run by the worker (`manage.py db_worker`).
An attempt first claims the delivery with a conditional UPDATE that sets a lease
(`locked_until`): only one worker can hold it, so two workers never post the same attempt at
once, and the lease outlasts the attempt's hard deadline. The attempt is recorded and the
delivery's state moved on in one transaction, fenced by the attempt number and the lease so a
worker that overran its lease cannot overwrite a newer attempt's outcome.

A 2xx answer is a success; anything else, or no answer, is retried with exponential backoff
and full jitter (up to 10 s · 2^(n-1), at most an hour between attempts) until
WEBHOOK_RETRY_WINDOW after the event, and then the delivery has failed. Retries are enqueued
with `run_after` on backends that can defer; `webhook_sweep`, run every minute by
`manage.py run_scheduler`, enqueues whatever is due and was not picked up: a task lost with a
killed worker (its lease runs out), a retry on a backend that cannot defer, an enqueue that
never happened. Delivery is therefore at least once; receivers deduplicate on the event id.

Deliveries to an endpoint or partner made inactive after the event are skipped, not held: the
attempt closes them as failed without sending anything, and says so. Published, updated and
corrected events of an article partners may no longer see (unpublished or syndication
withdrawn since) are skipped the same way, so a late retry cannot put back what partners were
told to drop.
"""

import json
import logging
import random
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task
from django_tasks_db.backend import DatabaseBackend

from api.models import WebhookAttempt, WebhookDelivery, WebhookEvent
from api.webhooks.addresses import webhook_target_resolve
from api.webhooks.events import CARRIES_THE_ARTICLE, event_timestamp, partner_visibility
from api.webhooks.signing import SIGNATURE_HEADER, signature_header
from api.webhooks.transport import PostResult, post
from articles.selectors import visible_articles

logger = logging.getLogger("folio.api.webhooks")

BACKOFF_BASE = 10  # seconds before the first retry, at most
BACKOFF_CAP = 3600  # seconds between two attempts, at most
# A lease covers the POST's hard deadline plus resolving the host and recording the outcome.
LEASE_MARGIN = 10
# Due deliveries are swept once they have waited this long for their own task (seconds).
SWEEP_GRACE = 60
SWEEP_BATCH = 500

PENDING = WebhookDelivery.Status.PENDING


def _unleased(now) -> Q:
    return Q(locked_until__isnull=True) | Q(locked_until__lte=now)


# The task


@task()
def webhook_deliver(delivery_id: int) -> str:
    """Attempt one delivery if it is due and free; returns what happened, for the task log."""
    return delivery_attempt(delivery_id=delivery_id)


def delivery_attempt(*, delivery_id: int) -> str:
    now = timezone.now()
    lease = now + timedelta(seconds=settings.WEBHOOK_TIMEOUT + LEASE_MARGIN)
    claimed = WebhookDelivery.objects.filter(
        _unleased(now), pk=delivery_id, status=PENDING, next_attempt_at__lte=now
    ).update(locked_until=lease, attempt_count=F("attempt_count") + 1)
    if not claimed:
        return "not due, taken by another worker, or done"
    delivery = WebhookDelivery.objects.select_related("event", "endpoint__partner").get(
        pk=delivery_id
    )
    refusal = _refusal(delivery)
    if refusal:
        result = PostResult(None, 0, error=f"not sent: {refusal}")
        _record(delivery, lease=lease, result=result, give_up=True)
        return result.error
    body = event_body(delivery.event)
    try:
        target = webhook_target_resolve(delivery.endpoint.url)
    except ValidationError as error:
        result = PostResult(None, 0, error=f"URL refused: {' '.join(error.messages)}"[:500])
    else:
        result = post(
            target,
            body=body,
            headers=event_headers(delivery.event, secret=delivery.endpoint.secret, body=body),
            timeout=settings.WEBHOOK_TIMEOUT,
        )
    return _record(delivery, lease=lease, result=result)


def _refusal(delivery: WebhookDelivery) -> str:
    if not delivery.endpoint.is_active:
        return "the endpoint is inactive"
    if not delivery.endpoint.partner.is_active:
        return "the partner is inactive"
    event = delivery.event
    if event.type in CARRIES_THE_ARTICLE and not (
        visible_articles(partner_visibility()).filter(pk=event.article_id).exists()
    ):
        return "the article is no longer available to partners"
    return ""


def _record(delivery: WebhookDelivery, *, lease, result: PostResult, give_up: bool = False) -> str:
    """Record the attempt and move the delivery on, if this worker still holds it."""
    now = timezone.now()
    number = delivery.attempt_count
    deadline = delivery.event.created_at + timedelta(seconds=settings.WEBHOOK_RETRY_WINDOW)
    changes = {"locked_until": None}
    if result.succeeded:
        changes.update(status=WebhookDelivery.Status.SUCCEEDED, completed_at=now)
        outcome = f"delivered ({result.status_code})"
    elif give_up or now >= deadline:
        changes.update(status=WebhookDelivery.Status.FAILED, completed_at=now)
        outcome = f"failed for good ({result.status_code or result.error})"
    else:
        retry_at = min(now + timedelta(seconds=backoff_seconds(number)), deadline)
        changes.update(next_attempt_at=retry_at)
        outcome = f"failed ({result.status_code or result.error}); retry at {retry_at}"
    alias = router.db_for_write(WebhookDelivery)
    with transaction.atomic(using=alias):
        WebhookAttempt.objects.create(
            delivery=delivery,
            attempted_at=now,
            status_code=result.status_code,
            latency_ms=result.latency_ms,
            succeeded=result.succeeded,
            error=result.error[:500],
            response_excerpt=result.response_excerpt[:500],
        )
        held = WebhookDelivery.objects.filter(
            pk=delivery.pk, status=PENDING, attempt_count=number, locked_until=lease
        ).update(**changes)
        if not held:
            logger.warning("webhook delivery %s: lease lost during attempt %s", delivery.pk, number)
            return f"{outcome}; lease lost, state left to the newer attempt"
        if "next_attempt_at" in changes:
            deliveries_enqueue([delivery.pk], run_after=changes["next_attempt_at"])
    return outcome


def backoff_seconds(attempts: int) -> float:
    """Seconds to wait after the `attempts`-th failure: full jitter, at least one second."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(0, min(attempts - 1, 20)))
    return max(1.0, random.uniform(0, ceiling))  # noqa: S311 - jitter, not a secret


# What is sent


def event_payload(event: WebhookEvent) -> dict:
    return {
        "id": str(event.id),
        "type": event.type,
        "created_at": event_timestamp(event.created_at),
        "data": event.data,
    }


def event_body(event: WebhookEvent) -> bytes:
    """The exact bytes POSTed (and signed): the same for every attempt of the event."""
    return json.dumps(event_payload(event), ensure_ascii=False, separators=(",", ":")).encode()


def event_headers(event: WebhookEvent, *, secret: str, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": f"Folio-Webhooks/1.0 (+{settings.PUBLIC_BASE_URL})",
        SIGNATURE_HEADER: signature_header(
            secret=secret, timestamp=int(timezone.now().timestamp()), body=body
        ),
        "Folio-Event-Id": str(event.id),
        "Folio-Event-Type": event.type,
    }


# Enqueueing and sweeping


def deliveries_enqueue(delivery_ids: list[int], *, run_after=None) -> None:
    """Enqueue an attempt of each delivery, in the caller's transaction where that is safe.

    The database backend writes its task row in the caller's transaction, so the task commits
    with the deliveries (and the editorial change) or not at all: nothing is lost between a
    commit and an enqueue, and no worker can run the task before the delivery it names is
    committed. Any other backend (the immediate backend of the tests, a broker) would run or
    send it at once, possibly for a delivery that then rolls back, so it is enqueued after
    commit instead; a crash in between leaves the delivery pending for `webhook_sweep`.
    """
    if not delivery_ids:
        return
    backend = webhook_deliver.get_backend()
    if run_after is not None and not backend.supports_defer:
        return  # the sweeper enqueues it once it is due
    deferred = webhook_deliver.using(run_after=run_after) if run_after else webhook_deliver
    if isinstance(backend, DatabaseBackend):
        for delivery_id in delivery_ids:
            deferred.enqueue(delivery_id)
        return

    def enqueue():
        for delivery_id in delivery_ids:
            deferred.enqueue(delivery_id)

    transaction.on_commit(enqueue, using=router.db_for_write(WebhookDelivery), robust=True)


def webhook_sweep(*, limit: int = SWEEP_BATCH) -> int:
    """Enqueue pending deliveries that are due and that no task is seeing to; returns how many.

    Two kinds: those whose lease ran out (the worker attempting it died), at once; and those
    never claimed since they fell due, once they are SWEEP_GRACE overdue (their task was lost,
    never enqueued, or the backend cannot defer retries). Safe to run in several processes at
    once: each delivery is taken by a conditional UPDATE that clears its lease and moves its
    `next_attempt_at` to now, so one sweeper enqueues it and later sweeps leave it alone for
    SWEEP_GRACE while its task waits to run. A duplicate task would be harmless anyway:
    attempts claim the delivery before posting.
    """
    now = timezone.now()
    overdue = now - timedelta(seconds=SWEEP_GRACE)
    candidates = list(
        WebhookDelivery.objects.filter(
            Q(locked_until__lte=now) | Q(locked_until__isnull=True, next_attempt_at__lte=overdue),
            status=PENDING,
            next_attempt_at__lte=now,
        )
        .order_by("next_attempt_at")
        .values_list("pk", "next_attempt_at", "locked_until")[:limit]
    )
    taken = []
    for pk, due, locked_until in candidates:
        seen = Q(locked_until=locked_until) if locked_until else Q(locked_until__isnull=True)
        still = WebhookDelivery.objects.filter(seen, pk=pk, status=PENDING, next_attempt_at=due)
        if still.update(next_attempt_at=now, locked_until=None):
            taken.append(pk)
    # Committed rows: enqueued at once, whatever the backend.
    for delivery_id in taken:
        webhook_deliver.enqueue(delivery_id)
    if taken:
        logger.info("webhook sweep: enqueued %s deliveries", len(taken))
    return len(taken)
