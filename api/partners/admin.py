"""Admin for partners: the partners, their API keys (each shown once) and their daily usage."""

from django.shortcuts import render
from django.utils import timezone
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from api.models import Partner, PartnerAPIKey, PartnerUsage
from api.partners.usage import usage_today


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Records written by the system (usage): staff may look, nobody may add or edit."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class RequestsTodayColumn(Column):
    """Requests made with the partner's keys today (live from the shared cache)."""

    def get_value(self, instance):
        requests, throttled = usage_today(instance.pk)
        return f"{requests} ({throttled} throttled)" if throttled else str(requests)


class PartnerViewSet(ModelViewSet):
    model = Partner
    icon = "group"
    menu_label = "Partners"
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        "name",
        "full_text",
        "rate_limit",
        "is_active",
        RequestsTodayColumn("requests_today", label="Requests today"),
    ]
    list_filter = ["is_active", "full_text"]
    search_fields = ["name", "contact_name", "contact_email"]
    form_fields = [
        "name",
        "contact_name",
        "contact_email",
        "full_text",
        "rate_limit",
        "allowed_origins",
        "is_active",
        "notes",
    ]


class KeyCreateView(generic.CreateView):
    """Issues the key on save and shows it once, on the response to that POST, never again."""

    issued_key: str | None = None

    def save_instance(self):
        self.issued_key = PartnerAPIKey.objects.assign_key(self.form.instance)
        return super().save_instance()

    def save_action(self):
        response = render(
            self.request,
            "api/admin/key_issued.html",
            {"api_key": self.object, "key": self.issued_key, "index_url": self.get_success_url()},
        )
        # The only copy of the key: no browser or proxy may keep it.
        response["Cache-Control"] = "no-store"
        return response


class KeyEditView(generic.EditView):
    """Name, expiry and revocation; revoking stamps the time and cannot be undone."""

    def save_instance(self):
        instance = self.form.instance
        if instance.revoked and instance.revoked_at is None:
            instance.revoked_at = timezone.now()
        return super().save_instance()


class PartnerAPIKeyViewSet(ModelViewSet):
    model = PartnerAPIKey
    icon = "key"
    menu_label = "API keys"
    add_to_admin_menu = False
    copy_view_enabled = False
    add_view_class = KeyCreateView
    edit_view_class = KeyEditView
    list_display = [
        "name",
        "partner",
        "prefix",
        "created",
        "expiry_date",
        "revoked",
        "last_used_at",
    ]
    list_filter = ["partner", "revoked"]
    search_fields = ["name", "prefix"]
    form_fields = ["partner", "name", "expiry_date", "revoked"]


class PartnerUsageViewSet(ModelViewSet):
    model = PartnerUsage
    icon = "table"
    menu_label = "Usage"
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = ["day", "partner", "requests", "throttled"]
    list_filter = ["partner", "day"]
    form_fields = ["requests"]


register_permission_policy(PartnerUsage, ReadOnlyPermissionPolicy(PartnerUsage))
