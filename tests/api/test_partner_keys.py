"""Partner API keys: issued once, stored as hashes, refused at once when revoked or expired."""

import hashlib
import io
from datetime import timedelta

import pytest
from django.core import management
from django.utils import timezone

from api.errors import InvalidApiKey
from api.models import Partner, PartnerAPIKey
from api.partners.keys import api_key_check
from api.partners.provisioning import api_key_issue, api_key_revoke, partner_create
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(journal):
    return partner_create(name="Wellness Weekly", rate_limit="1000/minute")


@pytest.fixture
def issued(partner):
    return api_key_issue(partner=partner, name="web")


def keyed(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Api-Key {key}"}


def refused(api, key_header: str | None = None, **extra):
    """The error of a request refused for its key, after checking status, body and header."""
    headers = {"HTTP_AUTHORIZATION": key_header} if key_header is not None else {}
    response = api.get("/api/v1/articles/", **headers, **extra)
    assert response.status_code == 401, response.content[:300]
    assert response["WWW-Authenticate"] == "Api-Key"
    error = response.json()["error"]
    assert error["status"] == 401
    assert error["code"] == "invalid_api_key"
    assert error["message"]
    return error


class TestIssuing:
    def test_the_key_is_returned_once_and_only_its_hash_is_stored(self, issued):
        record, key = issued
        prefix, _, secret = key.partition(".")

        assert len(prefix) == 8 and len(secret) == 32
        stored = PartnerAPIKey.objects.get(pk=record.pk)
        assert stored.prefix == prefix
        assert stored.hashed_key == "sha512$$" + hashlib.sha512(key.encode()).hexdigest()
        assert secret not in stored.hashed_key and secret not in stored.pk

    def test_no_table_in_the_database_holds_the_key(self, issued):
        _record, key = issued
        dump = io.StringIO()
        management.call_command("dumpdata", stdout=dump)

        assert dump.getvalue().count(key.partition(".")[0]) >= 1  # the prefix, for lookup
        assert key not in dump.getvalue()
        assert key.partition(".")[2] not in dump.getvalue()

    def test_keys_are_random_and_distinct(self, partner):
        keys = {api_key_issue(partner=partner, name=f"k{i}")[1] for i in range(20)}
        assert len(keys) == 20
        assert len({key[:8] for key in keys}) == 20


class TestChecking:
    def test_a_valid_key_is_accepted_and_answered_privately(self, api, issued):
        _record, key = issued
        response = api.get("/api/v1/articles/", **keyed(key))

        assert response.status_code == 200
        assert response["Cache-Control"].startswith("private")
        assert "Authorization" in response["Vary"]

    def test_the_key_check_costs_one_query(self, issued, django_assert_num_queries):
        _record, key = issued
        with django_assert_num_queries(1):
            api_key = api_key_check(key)
        assert api_key.partner.name == "Wellness Weekly"

    @pytest.mark.parametrize(
        "header",
        [
            "Api-Key",
            "Api-Key ",
            "Api-Key nonsense",
            "Api-Key AAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB",
            "Bearer something",
            "Basic dXNlcjpwYXNz",
            "api-key " + "x" * 5000,
        ],
    )
    def test_malformed_unknown_and_foreign_credentials_are_401(self, api, journal, header):
        refused(api, header)

    def test_a_right_prefix_with_a_wrong_secret_is_401(self, api, issued):
        _record, key = issued
        forged = key[:9] + ("A" if key[9] != "A" else "B") + key[10:]
        refused(api, f"Api-Key {forged}")

    def test_a_revoked_key_is_refused_on_its_next_request(self, api, issued):
        record, key = issued
        assert api.get("/api/v1/articles/", **keyed(key)).status_code == 200

        api_key_revoke(api_key=record)

        refused(api, f"Api-Key {key}")
        assert record.revoked_at is not None

    def test_an_expired_key_is_401_with_a_message_saying_so(self, api, partner):
        record, key = api_key_issue(
            partner=partner, name="old", expires_at=timezone.now() + timedelta(days=1)
        )
        assert api.get("/api/v1/articles/", **keyed(key)).status_code == 200
        PartnerAPIKey.objects.filter(pk=record.pk).update(
            expiry_date=timezone.now() - timedelta(seconds=1)
        )

        error = refused(api, f"Api-Key {key}")
        assert "expired" in error["message"]

    def test_a_deactivated_partner_loses_every_key_at_once(self, api, issued, partner):
        _record, key = issued
        Partner.objects.filter(pk=partner.pk).update(is_active=False)
        refused(api, f"Api-Key {key}")

    def test_every_endpoint_checks_the_key(self, api, issued):
        for path in (
            "/api/v1/articles/",
            "/api/v1/series/",
            "/api/v1/authors/",
            "/api/v1/topics/",
            "/api/v1/sync/",
        ):
            response = api.get(path, HTTP_AUTHORIZATION="Api-Key nope")
            assert response.status_code == 401, path
            assert response.json()["error"]["code"] == "invalid_api_key"

    def test_keys_are_not_accepted_in_the_query_string_of_the_api(self, api, issued):
        _record, key = issued
        error = error_of(api, "/api/v1/articles/", 400, api_key=key)
        assert error["code"] == "unknown_parameter"

    def test_invalid_api_key_is_raised_by_the_checker_for_a_revoked_key(self, issued):
        record, key = issued
        api_key_revoke(api_key=record)
        with pytest.raises(InvalidApiKey):
            api_key_check(key)

    def test_the_scheme_name_is_case_insensitive(self, api, issued):
        _record, key = issued
        response = api.get("/api/v1/articles/", HTTP_AUTHORIZATION=f"api-key {key}")
        assert response.status_code == 200
