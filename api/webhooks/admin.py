"""Admin for webhooks: partners' endpoints and the record of every delivery.

Endpoints are created through `webhook_endpoint_create`: the URL is checked against the SSRF
rules, and the signing secret is generated and shown once, on the response to the creating
POST, then never again (no form includes it). Deliveries are read-only: a list with their
state and last error, an inspect page with every attempt, and a Redeliver action (a POST).
Both need the models' permissions (superusers have them all).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry

from api.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from api.webhooks.addresses import webhook_url_validate
from api.webhooks.models import EVENT_TYPES
from api.webhooks.services import (
    webhook_endpoint_create,
    webhook_event_types_validate,
    webhook_redeliver,
)

# Endpoints


class WebhookEndpointForm(WagtailAdminModelForm):
    url = forms.URLField(
        label="URL",
        max_length=500,
        assume_scheme="https",
        help_text="Where events are POSTed: https, on a public address.",
    )
    event_types = forms.MultipleChoiceField(
        choices=EVENT_TYPES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Events this endpoint receives.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["partner", "url", "event_types", "is_active", "description"]
        help_texts = {
            "is_active": "Inactive endpoints receive nothing; pending deliveries are skipped.",
        }

    def clean_url(self):
        url = self.cleaned_data["url"]
        webhook_url_validate(url)
        return url

    def clean_event_types(self):
        return webhook_event_types_validate(self.cleaned_data["event_types"])


class WebhookEndpointCreateView(generic.CreateView):
    """Creates the endpoint through the service and shows its secret once, on this response."""

    secret: str | None = None

    def save_instance(self):
        data = self.form.cleaned_data
        endpoint, self.secret = webhook_endpoint_create(
            partner=data["partner"],
            url=data["url"],
            event_types=data["event_types"],
            description=data["description"],
            is_active=data["is_active"],
        )
        return endpoint

    def save_action(self):
        response = render(
            self.request,
            "api/admin/webhook_endpoint_created.html",
            {"endpoint": self.object, "secret": self.secret, "index_url": self.get_success_url()},
        )
        # The only time the secret leaves the server: no browser or proxy may keep it.
        response["Cache-Control"] = "no-store"
        return response


class WebhookEndpointViewSet(ModelViewSet):
    model = WebhookEndpoint
    name = "webhook_endpoints"
    icon = "link-external"
    menu_label = "Webhook endpoints"
    add_to_admin_menu = False
    list_display = ["url", "partner", "is_active", "created_at"]
    list_filter = ["is_active", "partner"]
    form_fields = ["partner", "url", "event_types", "is_active", "description"]
    add_view_class = WebhookEndpointCreateView
    copy_view_enabled = False  # a copy would share the secret

    def get_form_class(self, for_update=False):
        return WebhookEndpointForm


# Deliveries


def _last_error(delivery) -> str:
    if delivery.last_succeeded is None or delivery.last_succeeded:
        return ""
    return delivery.last_error or f"HTTP {delivery.last_status_code}"


class WebhookDeliveryIndexView(generic.IndexView):
    def get_base_queryset(self):
        last = WebhookAttempt.objects.filter(delivery=OuterRef("pk")).order_by(
            "-attempted_at", "-pk"
        )
        return (
            super()
            .get_base_queryset()
            .select_related("event", "endpoint__partner")
            .annotate(
                last_error=Subquery(last.values("error")[:1]),
                last_status_code=Subquery(last.values("status_code")[:1]),
                last_succeeded=Subquery(last.values("succeeded")[:1]),
            )
        )


class WebhookDeliveryInspectView(generic.InspectView):
    redeliver_url_name = None
    template_name = "api/admin/webhook_delivery_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            WebhookDelivery.objects.select_related("event", "endpoint__partner"),
            pk=self.pk,
        )

    def get_event_display_value(self):
        event = self.object.event
        return f"{event.type} ({event.id}), {event.created_at:%Y-%m-%d %H:%M:%S %Z}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        policy = policy_registry.get_by_type(WebhookDelivery)
        context.update(
            attempts=self.object.attempts.order_by("-attempted_at", "-pk"),
            can_redeliver=policy.user_has_permission(self.request.user, "change"),
            redeliver_url=reverse(self.redeliver_url_name, args=[self.object.pk]),
        )
        return context


def redeliver_view(request, pk, *, inspect_url_name: str):
    """Redeliver (POST only; CSRF-checked like every POST): a fresh attempt, enqueued."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    policy = policy_registry.get_by_type(WebhookDelivery)
    if not policy.user_has_permission(request.user, "change"):
        raise PermissionDenied
    delivery = get_object_or_404(WebhookDelivery, pk=pk)
    try:
        webhook_redeliver(delivery=delivery)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Redelivery queued: a new attempt is on its way.")
    return redirect(inspect_url_name, pk)


class WebhookDeliveryViewSet(ModelViewSet):
    """Read-only: deliveries are made by the outbox; staff inspect and redeliver them."""

    model = WebhookDelivery
    name = "webhook_deliveries"
    icon = "history"
    menu_label = "Webhook deliveries"
    add_to_admin_menu = False
    index_view_class = WebhookDeliveryIndexView
    inspect_view_class = WebhookDeliveryInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_filter = ["status", "endpoint__partner", "event__type"]
    form_fields = ["status"]  # never shown: there is no add or edit view
    inspect_view_fields = [
        "event",
        "endpoint",
        "status",
        "attempt_count",
        "next_attempt_at",
        "locked_until",
        "created_at",
        "completed_at",
    ]

    @cached_property
    def list_display(self):
        return [
            Column("event", label="Event", accessor=lambda d: d.event.type),
            "endpoint",
            "status",
            Column("attempt_count", label="Attempts", sort_key="attempt_count"),
            Column("next_attempt_at", label="Next attempt", sort_key="next_attempt_at"),
            Column("last_error", label="Last error", accessor=_last_error),
            "created_at",
        ]

    def get_common_view_kwargs(self, **kwargs):
        # No add, edit, copy or delete: rows link to the inspect page.
        return super().get_common_view_kwargs(
            **{
                "add_url_name": None,
                "edit_url_name": None,
                "delete_url_name": None,
                **kwargs,
            }
        )

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            redeliver_url_name=self.get_url_name("redeliver"), **kwargs
        )

    @property
    def redeliver_view(self):
        inspect_url_name = self.get_url_name("inspect")

        def view(request, pk):
            return redeliver_view(request, pk, inspect_url_name=inspect_url_name)

        return view

    @property
    def url_finder_class(self):
        return type(
            "_WebhookDeliveryURLFinder",
            (ModelAdminURLFinder,),
            {"edit_url_name": self.get_url_name("inspect")},
        )

    def get_urlpatterns(self):
        read_only = {"index", "index_results", "inspect", "history", "history_results", "usage"}
        return [
            *(p for p in super().get_urlpatterns() if p.name in read_only),
            path("redeliver/<int:pk>/", self.redeliver_view, name="redeliver"),
        ]
