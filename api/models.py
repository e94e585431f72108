"""Every model of the api app, each defined by the package that owns it (Django looks here)."""

from api.delivery.cdn.models import EdgePurge, EdgeVisibilitySnapshot, EdgeVisibleArticle
from api.delivery.models import ArticleChange
from api.partners.models import Partner, PartnerAPIKey, PartnerUsage
from api.webhooks.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

__all__ = [
    "ArticleChange",
    "EdgePurge",
    "EdgeVisibilitySnapshot",
    "EdgeVisibleArticle",
    "Partner",
    "PartnerAPIKey",
    "PartnerUsage",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
]
