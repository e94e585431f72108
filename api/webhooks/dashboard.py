"""The partner staff's dashboard panel: webhook endpoints whose deliveries fail or are retried.

Shown to the users who see the partner panels (api/partners/dashboard.py), in one query.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, OuterRef, Q, Subquery
from wagtail import hooks

from api.partners.dashboard import can_see_partners
from api.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from articles.admin.dashboard import ROWS, DashboardPanel, admin_url


@dataclass(frozen=True)
class FailingEndpoint:
    endpoint: object
    failed: int
    retrying: int
    last_error: str
    last_status_code: int | None
    last_excerpt: str
    last_attempt_at: datetime | None
    inspect_url: str | None
    edit_url: str | None

    @property
    def status_label(self) -> str:
        return f"HTTP {self.last_status_code}" if self.last_status_code else ""


class FailingWebhooksPanel(DashboardPanel):
    """Endpoints with deliveries that failed or are being retried, with the latest error.

    One query: the endpoints with their counts and their latest failed attempt as subqueries.
    """

    name = "folio_failing_webhooks"
    heading = "Failing webhook endpoints"
    template_name = "api/admin/dashboard/failing_webhooks.html"
    order = 180

    def rows(self):
        failed = Q(deliveries__status=WebhookDelivery.Status.FAILED)
        retrying = Q(
            deliveries__status=WebhookDelivery.Status.PENDING, deliveries__attempt_count__gt=0
        )
        latest = WebhookAttempt.objects.filter(
            Q(delivery__status=WebhookDelivery.Status.FAILED)
            | Q(delivery__status=WebhookDelivery.Status.PENDING, delivery__attempt_count__gt=0),
            delivery__endpoint=OuterRef("pk"),
            succeeded=False,
        ).order_by("-attempted_at", "-pk")
        endpoints = (
            WebhookEndpoint.objects.select_related("partner")
            .annotate(
                failed_count=Count("deliveries", filter=failed, distinct=True),
                retrying_count=Count("deliveries", filter=retrying, distinct=True),
            )
            .filter(Q(failed_count__gt=0) | Q(retrying_count__gt=0))
            .annotate(
                last_error=Subquery(latest.values("error")[:1]),
                last_status_code=Subquery(latest.values("status_code")[:1]),
                last_excerpt=Subquery(latest.values("response_excerpt")[:1]),
                last_attempt_at=Subquery(latest.values("attempted_at")[:1]),
                last_delivery_id=Subquery(latest.values("delivery_id")[:1]),
            )
            .order_by("-last_attempt_at", "pk")[: ROWS + 1]
        )
        return [
            FailingEndpoint(
                endpoint=endpoint,
                failed=endpoint.failed_count,
                retrying=endpoint.retrying_count,
                last_error=endpoint.last_error or "",
                last_status_code=endpoint.last_status_code,
                last_excerpt=endpoint.last_excerpt or "",
                last_attempt_at=endpoint.last_attempt_at,
                inspect_url=(
                    admin_url("webhook_deliveries:inspect", endpoint.last_delivery_id)
                    if endpoint.last_delivery_id
                    else None
                ),
                edit_url=admin_url("webhook_endpoints:edit", endpoint.pk),
            )
            for endpoint in endpoints
        ]


@hooks.register("construct_homepage_panels")
def add_failing_webhooks_panel(request, panels):
    if can_see_partners(request.user):
        panels.append(FailingWebhooksPanel(request))
