"""Models owned by the API: the sync change log, partners and their keys, webhooks, the edge."""

from api.models.edge import EdgePurge, EdgeVisibilitySnapshot, EdgeVisibleArticle
from api.models.partners import Partner, PartnerAPIKey, PartnerUsage
from api.models.sync import ArticleChange
from api.models.webhooks import (
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
