"""The edge's delivery health on the admin dashboard: purges pending per CDN target."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from wagtail import hooks
from wagtail.admin.ui.components import Component

from api.delivery.cdn.purges import purge_health


@dataclass(frozen=True)
class TargetHealth:
    target: str
    pending: int
    oldest_pending: datetime | None
    attempts: int
    last_error: str
    last_success: datetime | None

    @property
    def failing(self) -> bool:
        return self.pending > 0 and self.attempts > 0


class EdgeHealthPanel(Component):
    """Each configured CDN target: purges waiting, retries, the latest error, the last success.

    Shown to superusers whenever a CDN is configured (four queries), so a failing purge is seen
    before readers see what it failed to remove.
    """

    name = "folio_edge_health"
    template_name = "api/admin/edge_health.html"
    order = 175

    def __init__(self, request):
        self.request = request

    def render_html(self, parent_context=None):
        if not (settings.CDN_BACKEND and self.request.user.is_superuser):
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context=None):
        rows = [TargetHealth(**row) for row in purge_health()]
        return {
            "rows": rows,
            "backend": settings.CDN_BACKEND,
            "failing": any(row.failing for row in rows),
        }


@hooks.register("construct_homepage_panels")
def add_edge_health_panel(request, panels):
    panels.append(EdgeHealthPanel(request))
