"""The webhook admin: endpoints (secret shown once, URLs checked), deliveries, Redeliver."""

# ruff: noqa: F811  (the receiver, partner and endpoint fixtures come from webhook_support)

import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import NoReverseMatch, reverse

from api.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tests.api.webhook_support import endpoint, partner, receiver  # noqa: F401
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(superuser):
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def delivered(make_article, endpoint, receiver, django_capture_on_commit_callbacks):
    """A delivery that succeeded on its first attempt."""
    with django_capture_on_commit_callbacks(execute=True):
        make_article(slug="delivered-article")
    receiver.wait_for(1)
    return WebhookDelivery.objects.get()


def endpoint_form(partner, url, **extra):
    return {
        "partner": partner.pk,
        "url": url,
        "event_types": ["article.published", "article.unpublished"],
        "is_active": "on",
        "description": "Their CMS",
        **extra,
    }


class TestEndpoints:
    def test_creating_an_endpoint_shows_its_secret_exactly_once(self, admin, partner):
        response = admin.post(
            reverse("webhook_endpoints:add"), endpoint_form(partner, "http://127.0.0.1:9/in")
        )

        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        created = WebhookEndpoint.objects.get()
        assert created.event_types == ["article.published", "article.unpublished"]
        shown = re.search(r"data-webhook-secret[^>]*>(whsec_[\w-]+)<", response.content.decode())
        assert shown and shown[1] == created.secret
        for url in (
            reverse("webhook_endpoints:index"),
            reverse("webhook_endpoints:edit", args=[created.pk]),
        ):
            page = admin.get(url)
            assert page.status_code == 200
            assert created.secret not in page.content.decode()

    def test_the_form_refuses_internal_urls(self, admin, partner, settings):
        settings.WEBHOOK_ALLOW_HTTP = False
        settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
        for url, reason in [
            ("https://169.254.169.254/latest/meta-data/", "link-local"),
            ("https://localhost/hook", "loopback"),
            ("http://93.184.215.14/hook", "https"),
        ]:
            response = admin.post(reverse("webhook_endpoints:add"), endpoint_form(partner, url))
            assert response.status_code == 200
            assert reason in response.context["form"].errors["url"][0]
        assert not WebhookEndpoint.objects.exists()

    def test_editing_checks_the_url_again_and_never_touches_the_secret(
        self, admin, endpoint, partner, settings
    ):
        secret = endpoint.secret
        edit = reverse("webhook_endpoints:edit", args=[endpoint.pk])
        settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
        refused = admin.post(edit, endpoint_form(partner, "https://10.1.1.1/hook"))
        assert "private" in refused.context["form"].errors["url"][0]

        settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
        admin.post(edit, endpoint_form(partner, "http://127.0.0.1:9/moved", secret="chosen"))
        endpoint.refresh_from_db()
        assert endpoint.url == "http://127.0.0.1:9/moved"
        assert endpoint.secret == secret


class TestDeliveries:
    def test_the_list_shows_status_attempts_next_attempt_and_last_error(
        self, admin, make_article, endpoint, receiver, django_capture_on_commit_callbacks
    ):
        receiver.fail(1, status=503)
        with django_capture_on_commit_callbacks(execute=True):
            make_article(slug="first-try-fails")

        page = admin.get(reverse("webhook_deliveries:index"))

        assert page.status_code == 200
        html = page.content.decode()
        for text in ("article.published", "pending", "HTTP 503", "Next attempt", "Last error"):
            assert text in html

    def test_inspect_lists_every_attempt(self, admin, delivered):
        WebhookAttempt.objects.create(
            delivery=delivered, status_code=None, latency_ms=5000, error="timed out after 5 s"
        )

        page = admin.get(reverse("webhook_deliveries:inspect", args=[delivered.pk]))

        html = page.content.decode()
        assert page.status_code == 200
        assert html.count("<tr>") >= 3  # the header and both attempts
        assert "timed out after 5 s" in html
        assert "5000 ms" in html
        assert ">200<" in html and ">ok<" in html  # status and response excerpt
        assert "Redeliver" in html

    def test_deliveries_cannot_be_added_or_edited_by_hand(self):
        for name in ("add", "edit", "delete"):
            with pytest.raises(NoReverseMatch):
                reverse(f"webhook_deliveries:{name}", args=[1] if name != "add" else [])


class TestRedeliver:
    """(g) Staff redeliver from the admin: a POST with its CSRF token makes a new attempt."""

    def csrf_client(self, user) -> Client:
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        return client

    def csrf_token(self, client, delivery) -> str:
        page = client.get(reverse("webhook_deliveries:inspect", args=[delivery.pk]))
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]

    def test_redeliver_makes_a_new_successful_attempt(
        self, superuser, delivered, receiver, django_capture_on_commit_callbacks
    ):
        client = self.csrf_client(superuser)
        token = self.csrf_token(client, delivered)

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("webhook_deliveries:redeliver", args=[delivered.pk]),
                {"csrfmiddlewaretoken": token},
            )

        assert response.status_code == 302
        assert response["Location"] == reverse("webhook_deliveries:inspect", args=[delivered.pk])
        delivered.refresh_from_db()
        assert delivered.status == WebhookDelivery.Status.SUCCEEDED
        assert delivered.attempt_count == 2
        assert [a.succeeded for a in delivered.attempts.order_by("pk")] == [True, True]
        first, again = receiver.wait_for(2)
        assert first.json["id"] == again.json["id"] == str(delivered.event_id)

    def test_without_the_csrf_token_or_by_get_nothing_happens(self, superuser, delivered, receiver):
        client = self.csrf_client(superuser)
        url = reverse("webhook_deliveries:redeliver", args=[delivered.pk])

        assert client.post(url).status_code == 403
        assert client.get(url).status_code == 405
        assert delivered.attempts.count() == 1
        assert len(receiver.requests) == 1

    def test_staff_without_the_permissions_see_nothing_and_cannot_redeliver(
        self, editor, delivered, receiver
    ):
        client = Client()
        client.force_login(editor)

        assert client.get(reverse("webhook_deliveries:index")).status_code in (302, 403)
        assert client.get(reverse("webhook_endpoints:index")).status_code in (302, 403)
        inspect = reverse("webhook_deliveries:inspect", args=[delivered.pk])
        assert client.get(inspect).status_code in (302, 403)
        redeliver = reverse("webhook_deliveries:redeliver", args=[delivered.pk])
        refused = client.post(redeliver)
        assert refused.status_code in (302, 403)
        assert refused.get("Location") != inspect
        delivered.refresh_from_db()
        assert delivered.status == WebhookDelivery.Status.SUCCEEDED

    def test_view_permission_shows_deliveries_but_not_the_redeliver_action(
        self, delivered, journal
    ):
        viewer = UserFactory(username="viewer", is_staff=True)
        viewer.user_permissions.add(
            Permission.objects.get(codename="access_admin"),
            Permission.objects.get(codename="view_webhookdelivery"),
        )
        client = Client()
        client.force_login(viewer)

        page = client.get(reverse("webhook_deliveries:inspect", args=[delivered.pk]))
        assert page.status_code == 200
        assert "Redeliver" not in page.content.decode()
        redeliver = reverse("webhook_deliveries:redeliver", args=[delivered.pk])
        refused = client.post(redeliver)
        assert refused.status_code in (302, 403)  # Wagtail sends a 403 back home, with a message
        assert refused.get("Location") != page.request["PATH_INFO"]
        delivered.refresh_from_db()
        assert delivered.status == WebhookDelivery.Status.SUCCEEDED  # not reset for a new try

    def test_redelivering_to_an_inactive_endpoint_is_refused_with_a_message(
        self, admin, delivered, endpoint
    ):
        endpoint.is_active = False
        endpoint.save()

        response = admin.post(
            reverse("webhook_deliveries:redeliver", args=[delivered.pk]), follow=True
        )

        assert "The endpoint is inactive" in response.content.decode()
        assert delivered.attempts.count() == 1
