"""Partners who syndicate our articles, their API keys and their daily usage."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from rest_framework_api_key.models import AbstractAPIKey

RATE_PATTERN = re.compile(r"^(?P<count>[1-9]\d{0,6})/(?P<period>second|minute|hour|day)$")
PERIOD_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """`"600/minute"` -> (600, 60): requests allowed per window of that many seconds."""
    match = RATE_PATTERN.match(rate or "")
    if not match:
        raise ValueError(f"not a rate: {rate!r}")
    return int(match["count"]), PERIOD_SECONDS[match["period"]]


def validate_rate(value: str) -> None:
    try:
        parse_rate(value)
    except ValueError:
        raise ValidationError(
            "Write a rate as <requests>/<second|minute|hour|day>, for example 600/minute."
        ) from None


def validate_origin(value: str) -> None:
    """One CORS origin: scheme, host and optional port, nothing else."""
    if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:\d{1,5})?", value):
        raise ValidationError(
            f"{value!r} is not an origin; write scheme://host[:port] with no path, "
            "for example https://partner.example"
        )


class Partner(models.Model):
    """A site that republishes our articles under an agreement."""

    name = models.CharField(max_length=120, unique=True)
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)
    allowed_origins = models.TextField(
        blank=True,
        help_text=(
            "Browser origins allowed to call the API with this partner's keys (CORS), one per "
            "line, such as https://news.partner.example. Server-side use needs none."
        ),
    )
    rate_limit = models.CharField(
        max_length=20,
        default="600/minute",
        validators=[validate_rate],
        help_text="Requests allowed per key, as <requests>/<second|minute|hour|day>.",
    )
    full_text = models.BooleanField(
        "full-text right",
        default=False,
        help_text=(
            "May receive article bodies (only of articles whose syndication is allowed). "
            "Without it the partner gets summaries and canonical links."
        ),
    )
    is_active = models.BooleanField(
        "active", default=True, help_text="An inactive partner's keys and webhooks stop at once."
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        for origin in self.origins:
            validate_origin(origin)

    @property
    def origins(self) -> list[str]:
        lines = self.allowed_origins.splitlines()
        return [line.strip().rstrip("/") for line in lines if line.strip()]

    @property
    def rate(self) -> tuple[int, int]:
        return parse_rate(self.rate_limit)


class PartnerAPIKey(AbstractAPIKey):
    """A partner's API key: only a SHA-512 hash and an 8-character lookup prefix are stored.

    The key itself (`<prefix>.<secret>`, 32 random characters of secret) is shown once, when
    it is issued; a high-entropy key needs no slow password hasher, so checking one costs a
    primary-key-like lookup and one hash.
    """

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="api_keys")
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "partner API key"
        verbose_name_plural = "partner API keys"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class PartnerUsage(models.Model):
    """Requests made with a partner's keys on one UTC day (flushed from the shared cache)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="usage")
    day = models.DateField()
    requests = models.PositiveBigIntegerField(default=0, validators=[MinValueValidator(0)])
    throttled = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-day", "partner__name"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "day"], name="partner_usage_unique_day")
        ]
        verbose_name = "partner usage"
        verbose_name_plural = "partner usage"

    def __str__(self):
        return f"{self.partner} on {self.day}: {self.requests}"
