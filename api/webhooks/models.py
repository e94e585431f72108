"""Webhook endpoints, the outbox of editorial events, and every delivery attempt."""

import uuid

from django.db import models
from django.utils import timezone

from api.partners.models import Partner

EVENT_TYPES = (
    ("article.published", "Article published"),
    ("article.updated", "Article updated"),
    ("article.unpublished", "Article unpublished"),
    ("article.deleted", "Article deleted"),
    ("article.retracted", "Article retracted (take down)"),
    ("series.updated", "Series updated"),
    ("article.corrected", "Article corrected (substantive corrections)"),
)


def default_event_types() -> list[str]:
    return [name for name, _label in EVENT_TYPES]


class WebhookEndpoint(models.Model):
    """A partner's URL that receives signed POSTs for the event types it subscribed to."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField("URL", max_length=500)
    # Kept in the clear because every delivery is signed with it (HMAC-SHA256); shown once.
    secret = models.CharField(max_length=100, editable=False)
    event_types = models.JSONField(default=default_event_types)
    is_active = models.BooleanField("active", default=True)
    description = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["partner__name", "url"]
        verbose_name = "webhook endpoint"

    def __str__(self):
        return f"{self.partner}: {self.url}"


class WebhookEvent(models.Model):
    """The outbox: one editorial event, written in the transaction of the change itself."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(max_length=40, choices=EVENT_TYPES)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The article or series the event is about (plain ids: they outlive deletions).
    article_id = models.BigIntegerField(null=True, blank=True)
    series_id = models.BigIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "webhook event"
        indexes = [
            # "What were partners last told about this article / series?" (api/webhooks).
            models.Index(fields=["article_id", "created_at"], name="webhook_event_article"),
            models.Index(fields=["series_id", "created_at"], name="webhook_event_series"),
        ]

    def __str__(self):
        return f"{self.type} {self.id}"


class WebhookDelivery(models.Model):
    """One event owed to one endpoint; retried until it succeeds or its time runs out."""

    class Status(models.TextChoices):
        PENDING = "pending"
        SUCCEEDED = "succeeded"
        FAILED = "failed"  # gave up after the retry window

    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempt_count = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    # A worker holds a delivery while it posts it; a lease that runs out (a killed worker)
    # lets the next sweep pick it up again.
    locked_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "webhook delivery"
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="webhook_delivery_once")
        ]

    def __str__(self):
        return f"{self.event} → {self.endpoint} ({self.status})"


class WebhookAttempt(models.Model):
    """One POST of a delivery: what the receiver answered, and how fast."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")
    attempted_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(default=0)
    succeeded = models.BooleanField(default=False)
    error = models.CharField(max_length=500, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-attempted_at"]
        verbose_name = "webhook attempt"

    def __str__(self):
        return f"{self.delivery_id} at {self.attempted_at}: {self.status_code or self.error}"
