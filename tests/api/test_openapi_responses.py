"""Real responses of every endpoint, errors included, match the OpenAPI document."""

# ruff: noqa: F811  (its fixtures come from openapi_support)

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from jsonschema import Draft202012Validator, ValidationError
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from tests.api.openapi_support import (  # noqa: F401
    DETAIL_PATHS,
    LIST_PATHS,
    _media_root,
    api,
    content,
    media_root,
    openapi,
    schema,
)

pytestmark = pytest.mark.django_db

BODY_BLOCK_TYPES = {
    "heading",
    "paragraph",
    "image",
    "quote",
    "callout",
    "list",
    "table",
    "references",
}


def get_valid(client, openapi, path, status=200, **params):
    """GET `path`, check its status, and validate request and response against the document."""
    response = client.get(path, params)
    assert response.status_code == status, (response.status_code, response.content[:500])
    request = DjangoOpenAPIRequest(response.wsgi_request)
    openapi.validate_request(request)
    openapi.validate_response(request, DjangoOpenAPIResponse(response))
    return response.json()


def cursor_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["cursor"][0]


class TestRealResponsesMatchTheDocument:
    def test_article_list(self, api, openapi, content):
        body = get_valid(api, openapi, "/api/v1/articles/")

        assert len(body["results"]) == 5
        assert any(item["hero_image"] is None for item in body["results"])
        assert any(item["series"] is not None for item in body["results"])

    def test_article_list_page_two_with_a_cursor(self, api, openapi, content):
        first = get_valid(api, openapi, "/api/v1/articles/", limit=2)
        cursor = cursor_of(first["next"])

        second = get_valid(api, openapi, "/api/v1/articles/", limit=2, cursor=cursor)

        assert second["previous"] is not None

    def test_filtered_article_lists(self, api, openapi, content):
        get_valid(api, openapi, "/api/v1/articles/", series="sleep-series")
        get_valid(api, openapi, "/api/v1/articles/", topic="mental-health", tag="sleep")
        get_valid(api, openapi, "/api/v1/articles/", author="ada-lovelace", ordering="title")
        get_valid(
            api, openapi, "/api/v1/articles/", published_after="2026-01-01T00:00:00Z", limit=1
        )
        get_valid(api, openapi, "/api/v1/articles/", search="Everything")

    def test_sparse_article_list(self, api, openapi, content):
        """A sparse response omits the fields not asked for; the document must allow that."""
        body = get_valid(api, openapi, "/api/v1/articles/", fields="id,title")

        assert body["results"]
        assert all(set(item) == {"id", "title"} for item in body["results"])

    def test_article_detail_with_every_block_type_and_a_hero_image(self, api, openapi, content):
        body = get_valid(api, openapi, f"/api/v1/articles/{content['full'].slug}/")

        assert {block["type"] for block in body["body"]} == BODY_BLOCK_TYPES
        assert body["hero_image"] is not None
        assert body["medical_review"] is not None
        assert content["plain"].slug in body["body_html"]  # the internal link, resolved

    def test_article_detail_in_a_series_with_navigation(self, api, openapi, content):
        middle = content["members"][1]

        body = get_valid(api, openapi, f"/api/v1/articles/{middle.slug}/")

        assert body["navigation"]["series"]["previous"] is not None
        assert body["navigation"]["series"]["next"] is not None

    def test_article_detail_without_hero_image_or_series(self, api, openapi, content):
        body = get_valid(api, openapi, f"/api/v1/articles/{content['plain'].slug}/")

        assert body["hero_image"] is None
        assert body["series"] is None

    def test_series_list_and_detail(self, api, openapi, content):
        listing = get_valid(api, openapi, "/api/v1/series/")
        detail = get_valid(api, openapi, "/api/v1/series/sleep-series/")

        assert [s["slug"] for s in listing["results"]] == ["sleep-series"]
        assert [a["series"]["position"] for a in detail["articles"]] == [1, 2, 3]

    def test_authors_list_and_detail(self, api, openapi, content):
        listing = get_valid(api, openapi, "/api/v1/authors/", limit=100)
        detail = get_valid(api, openapi, "/api/v1/authors/ada-lovelace/")

        assert any(a["photo"] is None for a in listing["results"])
        assert detail["photo"] is not None

    def test_topics_list_and_detail(self, api, openapi, content):
        listing = get_valid(api, openapi, "/api/v1/topics/")
        detail = get_valid(api, openapi, "/api/v1/topics/mental-health/")

        assert listing["results"]
        assert detail["slug"] == "mental-health"

    def test_json_feeds_anonymous_and_with_the_full_text_right(self, api, schema, content):
        """The document states the JSON Feed exactly: nothing more, nothing less, either way.

        openapi-core reads only application/json bodies, so the feed's is checked with
        jsonschema against the document's own component.
        """
        from api.partners.provisioning import api_key_issue, partner_create

        validator = Draft202012Validator(
            {"$ref": "#/components/schemas/JsonFeed", "components": schema["components"]},
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )

        def feed(path, **params):
            response = api.get(path, params)
            assert response.status_code == 200
            assert response["Content-Type"] == "application/feed+json"
            body = json.loads(response.content)
            validator.validate(body)
            return body

        summary_only = feed("/feeds/articles.json")
        per_series = feed("/feeds/series/sleep-series.json")
        key = api_key_issue(partner=partner_create(name="Reader", full_text=True), name="r")[1]
        full_text = feed("/feeds/articles.json", api_key=key)

        assert all("content_text" in item for item in summary_only["items"])
        assert len(per_series["items"]) == 3
        assert all("content_html" in item for item in full_text["items"])
        assert any("image" in item for item in full_text["items"])
        # The component is strict: a field the server does not document is refused.
        with pytest.raises(ValidationError):
            validator.validate({**summary_only, "unexpected": 1})

    @pytest.mark.parametrize("path", LIST_PATHS)
    def test_a_400_matches_the_error_schema(self, api, openapi, content, path):
        response = api.get(path, {"limit": "0"})
        assert response.status_code == 400
        request = DjangoOpenAPIRequest(response.wsgi_request)

        openapi.validate_response(request, DjangoOpenAPIResponse(response))

    @pytest.mark.parametrize("path", [p.replace("{slug}", "no-such-slug") for p in DETAIL_PATHS])
    def test_a_404_matches_the_error_schema(self, api, openapi, content, path):
        get_valid(api, openapi, path, status=404)

    def test_a_406_matches_the_error_schema(self, api, openapi, content):
        response = api.get("/api/v1/articles/", HTTP_ACCEPT="application/xml")
        assert response.status_code == 406
        request = DjangoOpenAPIRequest(response.wsgi_request)

        openapi.validate_response(request, DjangoOpenAPIResponse(response))
