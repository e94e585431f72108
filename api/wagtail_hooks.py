"""Admin registration: the Partners menu, which gathers the partners' and the webhooks' screens.

Each concern registers its own dashboard panels with `construct_homepage_panels` in its module
(imported here, since Wagtail reads only an app's top-level `wagtail_hooks`): partner usage
(api/partners/dashboard.py), failing webhooks (api/webhooks/dashboard.py), the edge's delivery
health (api/delivery/cdn/admin.py).
"""

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from api.content import html_pages  # noqa: F401  (embeds JSON-LD in article pages)
from api.delivery.cdn import admin as edge_admin  # noqa: F401  (registers its panel)
from api.partners import dashboard as partner_dashboard  # noqa: F401  (registers its panel)
from api.partners.admin import PartnerAPIKeyViewSet, PartnerUsageViewSet, PartnerViewSet
from api.webhooks import dashboard as webhook_dashboard  # noqa: F401  (registers its panel)
from api.webhooks.admin import WebhookDeliveryViewSet, WebhookEndpointViewSet


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
