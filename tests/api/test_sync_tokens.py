"""Delta sync: tokens and parameters it refuses, and /sync/ against the OpenAPI document."""

# ruff: noqa: F811  (the other_journal fixture comes from sync_support)

import pytest
from django.core import signing
from django.test import Client
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from api.delivery.sync import SYNC_SALT
from tests.api.conftest import error_of
from tests.api.sync_support import (
    OTHER_HOST,
    SYNC,
    other_journal,  # noqa: F401
    sync,
    token_after_full_sync,
)

pytestmark = pytest.mark.django_db

# Tokens and parameters


def signed(payload, salt=SYNC_SALT) -> str:
    return signing.Signer(salt=salt).sign_object(payload, compress=True)


class TestTokens:
    @pytest.fixture
    def token(self, api, make_article):
        make_article()
        return sync(api)["next_token"]

    @pytest.mark.parametrize(
        "bad",
        [
            "forged",
            "eyJ2IjoxLCJwIjoiZGVsdGEiLCJhIjowfQ:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            signed({"v": 1, "p": "delta", "a": 0, "s": "00010001"}, salt="folio.api.cursor.v1"),
            signing.dumps({"v": 1, "p": "delta", "a": 0, "s": "00010001"}, salt="other"),
            signed({"v": 1, "p": "delta", "a": "12", "s": "00010001"}),
            signed({"v": 1, "p": "delta", "a": 1.5, "s": "00010001"}),
            signed({"v": 1, "p": "delta", "a": True, "s": "00010001"}),
            signed({"v": 1, "p": "delta", "a": -1, "s": "00010001"}),
            signed({"v": 1, "p": "full", "a": 0, "s": "00010001"}),  # no log position
            signed({"v": 1, "p": "sideways", "a": 0, "s": "00010001"}),
            signed({"v": 2, "p": "delta", "a": 0, "s": "00010001"}),
            signed({"v": 1, "p": "delta", "a": 0, "s": 7}),
            signed([1, "delta", 0]),
            "π:π",
        ],
        ids=[
            "forged",
            "made-up-signature",
            "list-cursor",
            "other-salt",
            "string-position",
            "float-position",
            "bool-position",
            "negative-position",
            "full-without-since",
            "unknown-phase",
            "unknown-version",
            "non-string-site",
            "not-an-object",
            "non-ascii",
        ],
    )
    def test_a_token_the_server_did_not_issue_is_invalid_token(self, api, token, bad):
        error = error_of(api, SYNC, 400, token=bad)

        assert error["code"] == "invalid_token"
        assert "token" in error["details"]

    def test_a_truncated_token_is_invalid_token(self, api, token):
        for cut in (1, len(token) // 2, len(token) - 1):
            assert error_of(api, SYNC, 400, token=token[:cut])["code"] == "invalid_token"

    def test_a_token_from_another_site_is_invalid_token(self, api, token, other_journal):
        other_token = sync(Client(HTTP_HOST=OTHER_HOST))["next_token"]

        assert error_of(api, SYNC, 400, token=other_token)["code"] == "invalid_token"
        assert sync(api, token)["has_more"] is False  # the site's own token still works

    @pytest.mark.parametrize("bad", ["", "a\x00b"], ids=["empty", "nul"])
    def test_an_empty_token_or_a_nul_byte_is_invalid_parameter(self, api, bad):
        error = error_of(api, SYNC, 400, token=bad)

        assert error["code"] == "invalid_parameter"
        assert "token" in error["details"]

    @pytest.mark.parametrize("limit", ["0", "101", "-1", "ten", "1.5"])
    def test_a_limit_out_of_range_is_invalid_parameter(self, api, limit):
        error = error_of(api, SYNC, 400, limit=limit)

        assert error["code"] == "invalid_parameter"
        assert "limit" in error["details"]

    def test_an_unknown_parameter_is_unknown_parameter(self, api):
        assert error_of(api, SYNC, 400, cursor="x")["code"] == "unknown_parameter"

    def test_writes_are_405_with_the_error_body(self, api):
        response = api.post(SYNC)

        assert response.status_code == 405
        assert response.json()["error"]["status"] == 405


class TestTheDocument:
    def test_sync_responses_match_the_openapi_document(self, api, make_article):
        """The envelope and `deleted` are checked here; `changed` items are list items (above),
        which tests/api/test_openapi.py checks against the same ArticleSummary component."""
        document = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
        openapi = OpenAPI.from_dict(document)
        empty = api.get(SYNC)
        gone = make_article()
        token = token_after_full_sync(api)
        gone.unpublish()
        delta = api.get(SYNC, {"token": token, "limit": 5})

        for response in (empty, delta):
            assert response.status_code == 200
            request = DjangoOpenAPIRequest(response.wsgi_request)
            openapi.validate_request(request)
            openapi.validate_response(request, DjangoOpenAPIResponse(response))
        assert [item["id"] for item in delta.json()["deleted"]] == [gone.pk]
        operation = document["paths"][SYNC]["get"]
        assert {p["name"] for p in operation["parameters"]} == {"token", "limit"}
        assert {"400", "200"} <= set(operation["responses"])
        changed = document["components"]["schemas"]["Sync"]["properties"]["changed"]
        assert changed["items"] == {"$ref": "#/components/schemas/ArticleSummary"}
