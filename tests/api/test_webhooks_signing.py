"""What a partner receives: the documented signature check passes; the request is as promised."""

# ruff: noqa: F811  (the receiver, partner and endpoint fixtures come from webhook_support)

import hashlib
import hmac
import json
import re
import time
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from api.models import WebhookEndpoint, WebhookEvent
from api.webhooks.models import default_event_types
from api.webhooks.services import webhook_endpoint_create
from api.webhooks.signing import webhook_signature
from tests.api.webhook_support import endpoint, partner, receiver  # noqa: F401

pytestmark = pytest.mark.django_db

VERIFY_DOC = Path(__file__).resolve().parents[2] / "docs" / "partners.md"


@pytest.fixture(scope="module")
def verify_folio_signature():
    """The function partners copy from docs/partners.md: exactly its python block."""
    blocks = re.findall(r"```python\n(.*?)```", VERIFY_DOC.read_text(), flags=re.DOTALL)
    assert len(blocks) == 1, "the guide must hold exactly one python block to copy"
    namespace = {}
    exec(compile(blocks[0], str(VERIFY_DOC), "exec"), namespace)  # noqa: S102 - our own doc
    return namespace["verify_folio_signature"]


@pytest.fixture
def delivered(make_article, endpoint, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_article(slug="signed-article")
    [request] = receiver.wait_for(1)
    return request


class TestTheDocumentedCheck:
    def test_a_delivered_request_verifies(self, delivered, endpoint, verify_folio_signature):
        header = delivered.headers["Folio-Signature"]

        assert verify_folio_signature(endpoint.plain_secret, header, delivered.body)

    def test_it_matches_an_independent_hmac_of_time_dot_body(self, delivered, endpoint):
        match = re.fullmatch(r"t=(\d+),v1=([0-9a-f]{64})", delivered.headers["Folio-Signature"])
        assert match
        timestamp, signature = int(match[1]), match[2]
        assert abs(time.time() - timestamp) < 60
        expected = hmac.new(
            endpoint.plain_secret.encode(), f"{timestamp}.".encode() + delivered.body, "sha256"
        ).hexdigest()
        assert signature == expected

    def test_a_changed_body_wrong_secret_or_mangled_header_fails(
        self, delivered, endpoint, verify_folio_signature
    ):
        header = delivered.headers["Folio-Signature"]
        body = delivered.body
        secret = endpoint.plain_secret

        assert not verify_folio_signature(secret, header, body.replace(b"signed", b"sighed"))
        assert not verify_folio_signature(secret, header, body + b" ")
        assert not verify_folio_signature(secret + "x", header, body)
        assert not verify_folio_signature(secret, header.replace("v1=", "v0="), body)
        assert not verify_folio_signature(secret, "", body)
        assert not verify_folio_signature(secret, "t=abc,v1=00", body)
        flipped = header[:-1] + ("1" if header.endswith("0") else "0")
        assert not verify_folio_signature(secret, flipped, body)

    def test_old_and_far_future_timestamps_fail_within_tolerance_pass(
        self, endpoint, verify_folio_signature
    ):
        secret, body = endpoint.plain_secret, b'{"id":"x"}'

        def header(at: int) -> str:
            return f"t={at},v1={webhook_signature(secret=secret, timestamp=at, body=body)}"

        now = int(time.time())
        assert verify_folio_signature(secret, header(now - 250), body)
        assert verify_folio_signature(secret, header(now + 250), body)
        assert not verify_folio_signature(secret, header(now - 400), body)
        assert not verify_folio_signature(secret, header(now + 400), body)
        assert verify_folio_signature(secret, header(now - 400), body, tolerance=600)

    def test_it_compares_in_constant_time(self):
        assert "hmac.compare_digest" in VERIFY_DOC.read_text()


class TestTheRequest:
    def test_headers_and_body_are_as_documented(self, delivered):
        event = WebhookEvent.objects.get()
        body = json.loads(delivered.body)

        assert delivered.headers["Content-Type"] == "application/json"
        assert delivered.headers["User-Agent"].startswith("Folio-Webhooks/")
        assert delivered.headers["Folio-Event-Id"] == str(event.pk) == body["id"]
        assert delivered.headers["Folio-Event-Type"] == "article.published" == body["type"]
        assert set(body) == {"id", "type", "created_at", "data"}
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", body["created_at"])
        assert body["data"] == event.data
        assert body["data"]["slug"] == "signed-article"


class TestEndpointCreation:
    def test_the_secret_is_returned_once_and_is_long_and_random(self, partner):
        first, secret = webhook_endpoint_create(partner=partner, url="http://127.0.0.1:9/a")
        _, other = webhook_endpoint_create(partner=partner, url="http://127.0.0.1:9/b")

        assert secret.startswith("whsec_") and len(secret) >= 6 + 43
        assert secret != other
        assert WebhookEndpoint.objects.get(pk=first.pk).secret == secret
        assert first.event_types == default_event_types()

    def test_event_types_are_checked(self, partner):
        endpoint, _ = webhook_endpoint_create(
            partner=partner,
            url="http://127.0.0.1:9/a",
            event_types=["series.updated", "article.published", "series.updated"],
        )
        assert endpoint.event_types == ["article.published", "series.updated"]
        with pytest.raises(ValidationError, match=r"article\.exploded"):
            webhook_endpoint_create(
                partner=partner, url="http://127.0.0.1:9/b", event_types=["article.exploded"]
            )
        with pytest.raises(ValidationError):
            webhook_endpoint_create(partner=partner, url="http://127.0.0.1:9/c", event_types=[])

    def test_the_url_is_checked(self, partner, settings):
        settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
        with pytest.raises(ValidationError, match="loopback"):
            webhook_endpoint_create(partner=partner, url="http://127.0.0.1:9/a")
        assert not WebhookEndpoint.objects.exists()


def test_the_signature_is_hex_hmac_sha256_of_time_dot_body():
    assert webhook_signature(secret="whsec_k", timestamp=1700000000, body=b'{"a":1}') == (
        hmac.new(b"whsec_k", b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
    )
