"""Admin for webhooks: partners' endpoints and the record of every delivery."""

from wagtail.admin.viewsets.model import ModelViewSet

from api.models import WebhookDelivery, WebhookEndpoint


class WebhookEndpointViewSet(ModelViewSet):
    model = WebhookEndpoint
    icon = "link-external"
    menu_label = "Webhook endpoints"
    add_to_admin_menu = False
    list_display = ["url", "partner", "is_active", "created_at"]
    list_filter = ["is_active", "partner"]
    form_fields = ["partner", "url", "event_types", "is_active", "description"]


class WebhookDeliveryViewSet(ModelViewSet):
    model = WebhookDelivery
    icon = "history"
    menu_label = "Webhook deliveries"
    add_to_admin_menu = False
    list_display = ["event", "endpoint", "status", "attempt_count", "next_attempt_at"]
    list_filter = ["status"]
    form_fields = ["status"]
