"""Signed webhooks for partners, delivered at least once from a durable outbox.

Importing the package connects the outbox receivers (api/webhooks/receivers.py).
"""

from api.webhooks import receivers  # noqa: F401  (connects the outbox receivers)
from api.webhooks.addresses import webhook_url_validate
from api.webhooks.delivery import (
    delivery_attempt,
    event_body,
    webhook_deliver,
    webhook_sweep,
)
from api.webhooks.events import (
    ARTICLE_DELETED,
    ARTICLE_PUBLISHED,
    ARTICLE_UNPUBLISHED,
    ARTICLE_UPDATED,
    SERIES_UPDATED,
    partner_visibility,
)
from api.webhooks.services import (
    webhook_endpoint_create,
    webhook_event_types_validate,
    webhook_redeliver,
)
from api.webhooks.signing import signature_header, webhook_signature

__all__ = [
    "ARTICLE_DELETED",
    "ARTICLE_PUBLISHED",
    "ARTICLE_UNPUBLISHED",
    "ARTICLE_UPDATED",
    "SERIES_UPDATED",
    "delivery_attempt",
    "event_body",
    "partner_visibility",
    "signature_header",
    "webhook_deliver",
    "webhook_endpoint_create",
    "webhook_event_types_validate",
    "webhook_redeliver",
    "webhook_signature",
    "webhook_sweep",
    "webhook_url_validate",
]
