"""The partner staff's dashboard panels: partner usage today and failing webhook endpoints.

Shown to users with any permission on partners (and superusers), each in a fixed number of
queries whatever the number of partners.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.utils import timezone
from wagtail.permission_policies import ModelPermissionPolicy

from api.models import Partner, PartnerUsage, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from api.usage import usage_today
from articles.admin.dashboard import ROWS, DashboardPanel, admin_url


def can_see_partners(user) -> bool:
    return ModelPermissionPolicy(Partner).user_has_any_permission(
        user, ["view", "add", "change", "delete"]
    )


@dataclass(frozen=True)
class Usage:
    partner: object
    requests: int
    throttled: int
    rate_limit: str
    edit_url: str | None


class PartnerUsageTodayPanel(DashboardPanel):
    """Requests per active partner today (live counters), busiest first; at most ROWS partners.

    One query for the partners, then `api.usage.usage_today` for each shown (one query each, so
    at most 1 + ROWS whatever the number of partners).
    """

    name = "folio_partner_usage"
    heading = "Partner usage today"
    template_name = "api/admin/dashboard/partner_usage.html"
    order = 170

    def rows(self):
        stored_today = PartnerUsage.objects.filter(
            partner=OuterRef("pk"), day=timezone.now().date()
        ).values("requests")[:1]
        partners = list(
            Partner.objects.filter(is_active=True)
            .annotate(stored_today=Subquery(stored_today, output_field=IntegerField()))
            .order_by("-stored_today", "name")[:ROWS]
        )
        rows = []
        for partner in partners:
            requests, throttled = usage_today(partner.pk)
            edit_url = admin_url("partner:edit", partner.pk)
            rows.append(Usage(partner, requests, throttled, partner.rate_limit, edit_url))
        rows.sort(key=lambda row: (-row.requests, row.partner.name))
        return rows


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


def partner_panels_for(request) -> list[DashboardPanel]:
    """The partner panels this user sees: none without a permission on partners."""
    if not can_see_partners(request.user):
        return []
    return [PartnerUsageTodayPanel(request), FailingWebhooksPanel(request)]
