"""Admin registration: the Partners menu (partners, keys, usage, webhooks) for staff, and the
edge's delivery health on the dashboard."""

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from api.admin_partners import PartnerAPIKeyViewSet, PartnerUsageViewSet, PartnerViewSet
from api.admin_webhooks import WebhookDeliveryViewSet, WebhookEndpointViewSet
from api.cdn.admin import EdgeHealthPanel
from api.dashboard import partner_panels_for


class PartnersViewSetGroup(ViewSetGroup):
    items = (
        PartnerViewSet,
        PartnerAPIKeyViewSet,
        PartnerUsageViewSet,
        WebhookEndpointViewSet,
        WebhookDeliveryViewSet,
    )
    menu_icon = "group"
    menu_label = "Partners"
    menu_name = "partners"
    menu_order = 900


@hooks.register("register_admin_viewset")
def register_partners_viewset_group():
    return PartnersViewSetGroup()


@hooks.register("construct_homepage_panels")
def add_edge_health_panel(request, panels):
    panels.append(EdgeHealthPanel(request))


@hooks.register("construct_homepage_panels")
def add_partner_panels(request, panels):
    panels.extend(partner_panels_for(request))
