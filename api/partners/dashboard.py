"""The partner staff's dashboard panel: requests per partner today.

Shown to users with any permission on partners (and superusers), in a fixed number of queries
whatever the number of partners.
"""

from dataclasses import dataclass

from django.db.models import IntegerField, OuterRef, Subquery
from django.utils import timezone
from wagtail import hooks
from wagtail.permission_policies import ModelPermissionPolicy

from api.partners.models import Partner, PartnerUsage
from api.partners.usage import usage_today
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

    One query for the partners, then `api.partners.usage.usage_today` for each shown (one
    query each, so at most 1 + ROWS whatever the number of partners).
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


@hooks.register("construct_homepage_panels")
def add_partner_usage_panel(request, panels):
    if can_see_partners(request.user):
        panels.append(PartnerUsageTodayPanel(request))
