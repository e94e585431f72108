"""Webhook provisioning and operations: register an endpoint (its secret shown once), redeliver."""

from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.utils import timezone

from api.models import Partner, WebhookDelivery, WebhookEndpoint
from api.webhooks.addresses import webhook_url_validate
from api.webhooks.delivery import deliveries_enqueue
from api.webhooks.models import default_event_types
from api.webhooks.signing import webhook_secret_generate, webhook_signature

__all__ = [
    "webhook_endpoint_create",
    "webhook_event_types_validate",
    "webhook_redeliver",
    "webhook_signature",
]


def webhook_event_types_validate(event_types) -> list[str]:
    """The event types as a list without repeats, or a ValidationError naming the unknown."""
    known = default_event_types()
    if not isinstance(event_types, list | tuple) or not event_types:
        raise ValidationError("Choose at least one event type.")
    unknown = [name for name in event_types if name not in known]
    if unknown:
        raise ValidationError(
            f"Unknown event type(s): {', '.join(map(str, unknown))}; "
            f"choose from {', '.join(known)}."
        )
    return [name for name in known if name in event_types]


def webhook_endpoint_create(
    *,
    partner: Partner,
    url: str,
    event_types: list[str] | tuple[str, ...] | None = None,
    description: str = "",
    is_active: bool = True,
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint for `partner` and its signing secret, which is shown to no one again.

    The URL is checked against the SSRF rules (ValidationError); every event type is
    subscribed unless `event_types` names some.
    """
    webhook_url_validate(url)
    types = webhook_event_types_validate(
        list(event_types) if event_types is not None else default_event_types()
    )
    secret = webhook_secret_generate()
    endpoint = WebhookEndpoint(
        partner=partner,
        url=url,
        secret=secret,
        event_types=types,
        description=description,
        is_active=is_active,
    )
    endpoint.full_clean()
    endpoint.save()
    return endpoint, secret


def webhook_redeliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again now, whatever its state: a fresh pending attempt, enqueued.

    Its retries, if that attempt fails, run only while the event's retry window lasts. Refused
    (ValidationError) for an inactive endpoint or partner, and while an attempt is under way.
    """
    endpoint = WebhookEndpoint.objects.select_related("partner").get(pk=delivery.endpoint_id)
    if not endpoint.is_active:
        raise ValidationError("The endpoint is inactive; activate it before redelivering.")
    if not endpoint.partner.is_active:
        raise ValidationError("The partner is inactive; activate it before redelivering.")
    now = timezone.now()
    with transaction.atomic(using=router.db_for_write(WebhookDelivery)):
        reset = (
            WebhookDelivery.objects.filter(pk=delivery.pk)
            .exclude(locked_until__gt=now)
            .update(
                status=WebhookDelivery.Status.PENDING,
                next_attempt_at=now,
                locked_until=None,
                completed_at=None,
            )
        )
        if not reset:
            raise ValidationError("An attempt of this delivery is under way; try again shortly.")
        deliveries_enqueue([delivery.pk])
    delivery.refresh_from_db()
    return delivery
