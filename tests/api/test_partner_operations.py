"""Operating partners: CORS for their origins, usage counts, the admin and `manage.py partners`."""

import io
import re
import time

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from api.models import Partner, PartnerAPIKey, PartnerUsage
from api.partners.provisioning import api_key_issue, partner_create
from api.partners.usage import usage_today
from tests.conftest import cache_clear

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    """An empty cache and no memory of earlier flushes (test databases reuse partner ids)."""
    from api.partners import usage

    cache_clear()
    usage._last_flush.clear()
    usage._keys_used.clear()


class TestCors:
    @pytest.fixture
    def partner(self, journal):
        return partner_create(
            name="Browser Partner", allowed_origins=["https://news.partner.example"]
        )

    def test_a_partner_origin_may_read_the_api_from_a_browser(self, api, partner):
        response = api.get("/api/v1/topics/", HTTP_ORIGIN="https://news.partner.example")
        assert response["Access-Control-Allow-Origin"] == "https://news.partner.example"
        assert "ETag" in response["Access-Control-Expose-Headers"]

    def test_a_preflight_allows_the_authorization_header(self, api, partner):
        response = api.options(
            "/api/v1/articles/",
            HTTP_ORIGIN="https://news.partner.example",
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
        )
        assert response.status_code == 200
        assert "authorization" in response["Access-Control-Allow-Headers"]
        assert "POST" not in response["Access-Control-Allow-Methods"]

    def test_any_other_origin_gets_no_cors_headers(self, api, partner):
        response = api.get("/api/v1/topics/", HTTP_ORIGIN="https://evil.example")
        assert response.status_code == 200
        assert "Access-Control-Allow-Origin" not in response

    def test_a_deactivated_partner_loses_its_origins_at_once(self, api, partner):
        assert "Access-Control-Allow-Origin" in api.get(
            "/api/v1/topics/", HTTP_ORIGIN="https://news.partner.example"
        )
        partner.is_active = False
        partner.save()
        response = api.get("/api/v1/topics/", HTTP_ORIGIN="https://news.partner.example")
        assert "Access-Control-Allow-Origin" not in response

    def test_the_admin_is_never_opened_to_partner_origins(self, api, partner):
        response = api.get("/admin/login/", HTTP_ORIGIN="https://news.partner.example")
        assert "Access-Control-Allow-Origin" not in response

    def test_an_origin_with_a_path_is_refused(self, journal):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            partner_create(name="Sloppy", allowed_origins=["https://partner.example/news"])


class TestUsage:
    def test_every_request_with_a_key_is_counted_for_its_partner_today(self, api, journal):
        partner = partner_create(name="Counted")
        key = api_key_issue(partner=partner, name="web")[1]
        for _ in range(7):
            api.get("/api/v1/topics/", HTTP_AUTHORIZATION=f"Api-Key {key}")
        api.get("/api/v1/topics/")  # anonymous: nobody's usage

        assert usage_today(partner.pk) == (7, 0)

    def test_a_process_stores_the_count_a_minute_after_it_started_never_on_its_first_request(
        self, api, journal, monkeypatch
    ):
        from api.partners import usage

        partner = partner_create(name="Stored")
        key = api_key_issue(partner=partner, name="web")[1]
        monkeypatch.setattr(usage, "_process_started", time.monotonic())  # a fresh worker
        api.get("/api/v1/topics/", HTTP_AUTHORIZATION=f"Api-Key {key}")
        assert not PartnerUsage.objects.filter(partner=partner).exists()
        assert usage_today(partner.pk) == (1, 0)  # from the cache meanwhile

        monkeypatch.setattr(usage, "_process_started", time.monotonic() - usage.FLUSH_EVERY)
        for _ in range(2):
            api.get("/api/v1/topics/", HTTP_AUTHORIZATION=f"Api-Key {key}")
        # The first request past the minute wrote the totals; the next one waits a minute.
        assert PartnerUsage.objects.get(partner=partner).requests == 2
        assert usage_today(partner.pk) == (3, 0)

    def test_the_write_of_the_totals_records_when_each_key_was_last_used(
        self, api, journal, monkeypatch
    ):
        from api.partners import usage

        partner = partner_create(name="Two keys")
        web, web_key = api_key_issue(partner=partner, name="web")
        app, app_key = api_key_issue(partner=partner, name="app")
        idle, _ = api_key_issue(partner=partner, name="idle")
        monkeypatch.setattr(usage, "_process_started", time.monotonic())  # a fresh worker
        api.get("/api/v1/topics/", HTTP_AUTHORIZATION=f"Api-Key {web_key}")
        # No write of its own: the key's use waits for the totals' write.
        web.refresh_from_db()
        assert web.last_used_at is None

        monkeypatch.setattr(usage, "_process_started", time.monotonic() - usage.FLUSH_EVERY)
        before = timezone.now()
        api.get("/api/v1/topics/", HTTP_AUTHORIZATION=f"Api-Key {app_key}")

        for key in (web, app, idle):
            key.refresh_from_db()
        assert web.last_used_at >= before and app.last_used_at >= before
        assert idle.last_used_at is None

    def test_throttled_requests_are_counted_and_stored_at_once(self, api, journal):
        partner = partner_create(name="Greedy", rate_limit="2/day")
        key = api_key_issue(partner=partner, name="web")[1]
        codes = [
            api.get("/api/v1/topics/", HTTP_AUTHORIZATION=f"Api-Key {key}").status_code
            for _ in range(4)
        ]
        assert codes == [200, 200, 429, 429]
        row = PartnerUsage.objects.get(partner=partner)
        assert (row.requests, row.throttled) == (4, 2)

    def test_a_lost_cache_counter_resumes_from_the_stored_count(self, api, journal):
        partner = partner_create(name="Survivor", rate_limit="1/day")
        key = api_key_issue(partner=partner, name="web")[1]
        for _ in range(3):  # two throttled: each stores the totals at once
            api.get("/api/v1/topics/", HTTP_AUTHORIZATION=f"Api-Key {key}")
        cache_clear()
        api.get("/api/v1/topics/", HTTP_AUTHORIZATION=f"Api-Key {key}")
        assert usage_today(partner.pk)[0] == 4


class TestAdmin:
    def test_issuing_a_key_in_the_admin_shows_it_exactly_once(self, client, superuser, journal):
        partner = partner_create(name="Admin Partner")
        client.force_login(superuser)
        response = client.post(
            reverse("partnerapikey:add"), {"partner": partner.pk, "name": "cms", "expiry_date": ""}
        )

        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        key = re.search(
            rb"data-issued-key[^>]*>([A-Za-z0-9]{8}\.[A-Za-z0-9]{32})<", response.content
        )
        assert key, response.content[:2000]
        key = key.group(1).decode()
        record = PartnerAPIKey.objects.get(partner=partner)
        assert record.prefix == key[:8]
        assert PartnerAPIKey.objects.is_valid(key)
        for url in (
            reverse("partnerapikey:index"),
            reverse("partnerapikey:edit", args=[record.pk]),
        ):
            page = client.get(url)
            assert page.status_code == 200
            assert key.encode() not in page.content

    def test_revoking_in_the_admin_stamps_the_time(self, client, superuser, journal):
        partner = partner_create(name="Revoker")
        record, key = api_key_issue(partner=partner, name="web")
        client.force_login(superuser)
        response = client.post(
            reverse("partnerapikey:edit", args=[record.pk]),
            {"partner": partner.pk, "name": "web", "expiry_date": "", "revoked": "on"},
        )
        assert response.status_code == 302
        record.refresh_from_db()
        assert record.revoked and record.revoked_at is not None
        assert not PartnerAPIKey.objects.is_valid(key)

    def test_partners_list_shows_requests_today(self, client, superuser, api, journal):
        partner = partner_create(name="Listed Partner")
        key = api_key_issue(partner=partner, name="web")[1]
        for _ in range(3):
            api.get("/api/v1/topics/", HTTP_AUTHORIZATION=f"Api-Key {key}")
        client.force_login(superuser)
        page = client.get(reverse("partner:index"))
        assert page.status_code == 200
        assert b"Listed Partner" in page.content
        assert re.search(rb">\s*3\s*<", page.content)

    def test_usage_is_read_only(self, client, superuser, journal):
        client.force_login(superuser)
        assert client.get(reverse("partnerusage:index")).status_code == 200
        assert client.get(reverse("partnerusage:add")).status_code in (302, 403)

    def test_editors_cannot_reach_partners(self, client, editor):
        client.force_login(editor)
        for name in ("partner:index", "partnerapikey:index", "partnerapikey:add"):
            assert client.get(reverse(name)).status_code in (302, 403), name


class TestCommand:
    def run(self, *args) -> tuple[str, str]:
        out, err = io.StringIO(), io.StringIO()
        call_command("partners", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_create_issue_use_and_revoke_from_the_command_line(self, api, journal):
        self.run("create", "--name", "Scripted", "--rate", "100/minute", "--full-text")
        partner = Partner.objects.get(name="Scripted")
        assert partner.full_text and partner.rate_limit == "100/minute"

        key, message = self.run("issue-key", "--partner", "Scripted", "--name", "web")
        key = key.strip()
        assert re.fullmatch(r"[A-Za-z0-9]{8}\.[A-Za-z0-9]{32}", key)
        assert key not in message
        assert api.get("/api/v1/topics/", HTTP_AUTHORIZATION=f"Api-Key {key}").status_code == 200

        self.run("revoke-key", key[:8])
        assert api.get("/api/v1/topics/", HTTP_AUTHORIZATION=f"Api-Key {key}").status_code == 401

        listing, _ = self.run("list")
        assert "Scripted" in listing and "revoked" in listing and key not in listing

    def test_add_webhook_prints_the_secret_once(self, journal):
        from api.models import WebhookEndpoint

        self.run("create", "--name", "Hooked")
        secret, message = self.run(
            "add-webhook",
            "--partner",
            "Hooked",
            "--url",
            "http://127.0.0.1:9/hooks",  # loopback over http is allowed by the test settings
            "--events",
            "article.published,article.deleted",
        )
        endpoint = WebhookEndpoint.objects.get(partner__name="Hooked")
        assert secret.strip() == endpoint.secret and secret.startswith("whsec_")
        assert endpoint.event_types == ["article.published", "article.deleted"]
        assert secret.strip() not in message
        listing, _ = self.run("list")
        assert "127.0.0.1:9/hooks" in listing and secret.strip() not in listing

    def test_add_webhook_refuses_an_internal_address_in_production_mode(self, journal, settings):
        from api.models import WebhookEndpoint

        settings.WEBHOOK_ALLOW_HTTP = False
        settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
        self.run("create", "--name", "Sneaky")
        with pytest.raises(CommandError, match=r"(?i)address|https|private|loopback"):
            self.run("add-webhook", "--partner", "Sneaky", "--url", "https://169.254.169.254/")
        assert not WebhookEndpoint.objects.exists()

    def test_a_key_with_an_expiry_date(self, journal):
        self.run("create", "--name", "Temporary")
        key, _ = self.run(
            "issue-key", "--partner", "Temporary", "--name", "trial", "--expires", "2999-01-01"
        )
        record = PartnerAPIKey.objects.get(prefix=key.strip()[:8])
        assert record.expiry_date.year == 2999

    @pytest.mark.parametrize(
        "args",
        [
            ("create", "--name", "Bad rate", "--rate", "lots"),
            ("create", "--name", "Bad origin", "--origin", "not-an-origin"),
            ("issue-key", "--partner", "Nobody", "--name", "x"),
            ("issue-key", "--partner", "Known", "--name", "x", "--expires", "2001-01-01"),
            ("issue-key", "--partner", "Known", "--name", "x", "--expires", "soon"),
            ("revoke-key", "ZZZZZZZZ"),
            ("add-webhook", "--partner", "Known", "--url", "https://x.example", "--events", "x.y"),
        ],
    )
    def test_bad_input_is_a_clear_error_and_changes_nothing(self, journal, args):
        partner_create(name="Known")
        before = (Partner.objects.count(), PartnerAPIKey.objects.count())
        with pytest.raises(CommandError) as raised:
            self.run(*args)
        assert str(raised.value)
        assert (Partner.objects.count(), PartnerAPIKey.objects.count()) == before
