"""The OpenAPI document at /api/v1/schema/ is valid and complete; /api/v1/docs/ is self-hosted."""

# ruff: noqa: F811  (its fixtures come from openapi_support)

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from openapi_spec_validator import validate

from tests.api.openapi_support import (  # noqa: F401
    CONTRACT_PATHS,
    DETAIL_PATHS,
    LIST_PATHS,
    SCHEMA_PATH,
    _media_root,
    api,
    content,
    media_root,
    schema,
)

pytestmark = pytest.mark.django_db

ARTICLE_LIST_PARAMETERS = {
    "series",
    "topic",
    "tag",
    "author",
    "published_after",
    "published_before",
    "updated_since",
    "search",
    "ordering",
    "fields",
    "id",
    "limit",
    "cursor",
}


def operation(schema, path):
    return schema["paths"][path]["get"]


def parameter_names(schema, path):
    return {p["name"] for p in operation(schema, path).get("parameters", []) if p["in"] == "query"}


def resolve(schema, node):
    """`node` with its local `$ref` followed (`#/components/schemas/Name`)."""
    while "$ref" in node:
        target = schema
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


class TestTheDocument:
    def test_is_served_as_json_and_is_a_valid_openapi_3_document(self, schema):
        assert schema["openapi"].startswith("3.")
        validate(schema)  # raises OpenAPIValidationError on any violation of the OAS spec

    def test_is_also_served_with_the_format_parameter(self, api):
        response = api.get(SCHEMA_PATH, {"format": "json"})

        assert response.status_code == 200
        assert response.json()["paths"]

    def test_documents_every_path_of_the_contract(self, schema):
        assert set(CONTRACT_PATHS) <= set(schema["paths"])
        for path in CONTRACT_PATHS:
            assert set(schema["paths"][path]) == {"get"}, path

    def test_documents_nothing_but_the_public_api_the_feeds_and_the_probes(self, schema):
        others = {p for p in schema["paths"] if not p.startswith(("/api/v1/", "/feeds/"))}

        assert others == {"/healthz", "/readyz"}

    def test_documents_every_feed_with_its_content_type(self, schema):
        types = {"rss": "application/rss+xml", "atom": "application/atom+xml"}
        for scope in ("/feeds/articles", "/feeds/series/{slug}", "/feeds/topics/{slug}"):
            for format in ("rss", "atom", "json"):
                content = operation(schema, f"{scope}.{format}")["responses"]["200"]["content"]
                expected = types.get(format, "application/feed+json")
                assert [media.split(";")[0] for media in content] == [expected]

    @pytest.mark.parametrize("path", ["/healthz", "/readyz"])
    def test_documents_the_probes(self, schema, path):
        assert set(operation(schema, path)["responses"]) >= {"200", "405"}

    @pytest.mark.parametrize("path", [*LIST_PATHS, "/api/v1/sync/"])
    def test_no_query_parameter_admits_an_empty_value(self, schema, path):
        """Regression: `cursor=`, `token=`, `search=` were schema-valid and then a 400."""
        for parameter in operation(schema, path)["parameters"]:
            schema_of = parameter["schema"]
            if parameter["in"] == "query" and schema_of.get("type") == "string":
                if "enum" in schema_of:
                    assert "" not in schema_of["enum"], parameter["name"]
                    continue
                assert schema_of["minLength"] >= 1, parameter["name"]
                assert schema_of["maxLength"] <= 2048, parameter["name"]
                assert "pattern" in schema_of, parameter["name"]

    def test_a_405_documents_allow_and_a_429_retry_after(self, schema):
        responses = operation(schema, "/api/v1/articles/")["responses"]

        assert responses["405"]["headers"]["Allow"]["required"] is True
        assert responses["429"]["headers"]["Retry-After"]["required"] is True
        assert {"ETag", "Cache-Control", "Surrogate-Key", "Cache-Tag", "Vary"} <= set(
            responses["200"]["headers"]
        )

    def test_documents_every_article_list_parameter(self, schema):
        assert parameter_names(schema, "/api/v1/articles/") == ARTICLE_LIST_PARAMETERS

    @pytest.mark.parametrize("path", ["/api/v1/series/", "/api/v1/authors/", "/api/v1/topics/"])
    def test_other_lists_document_limit_and_cursor_only(self, schema, path):
        assert parameter_names(schema, path) == {"limit", "cursor"}

    @pytest.mark.parametrize("path", DETAIL_PATHS)
    def test_details_take_a_slug_in_the_path_and_no_other_query_parameters(self, schema, path):
        parameters = operation(schema, path)["parameters"]
        # The article detail has one: `include=retracted_body`, optional.
        expected = [("slug", "path", True)]
        if path == "/api/v1/articles/{slug}/":
            expected = [("include", "query", False), *expected]

        assert [(p["name"], p["in"], p.get("required", False)) for p in parameters] == expected

    def test_the_include_parameter_of_the_article_detail_has_one_value(self, schema):
        include = next(
            p
            for p in operation(schema, "/api/v1/articles/{slug}/")["parameters"]
            if p["name"] == "include"
        )

        assert include["schema"] == {"type": "string", "enum": ["retracted_body"]}

    def test_the_article_detail_declares_status_and_retraction(self, schema):
        detail = schema["components"]["schemas"]["ArticleDetail"]
        retraction = schema["components"]["schemas"]["Retraction"]

        status = detail["properties"]["status"]["allOf"][0]["$ref"].rsplit("/", 1)[-1]

        assert {"status", "retraction"} <= set(detail["required"])
        assert schema["components"]["schemas"][status]["enum"] == ["published", "retracted"]
        assert set(retraction["required"]) == {"at", "reason"}

    def test_the_limit_parameter_states_its_range_and_default(self, schema):
        limit = next(
            p for p in operation(schema, "/api/v1/articles/")["parameters"] if p["name"] == "limit"
        )

        assert limit["schema"]["type"] == "integer"
        assert limit["schema"].get("minimum") == 1
        assert limit["schema"].get("maximum") == 100
        assert limit["schema"].get("default") == 20

    def test_the_ordering_parameter_lists_exactly_the_contract_orderings(self, schema):
        ordering = next(
            p
            for p in operation(schema, "/api/v1/articles/")["parameters"]
            if p["name"] == "ordering"
        )

        assert set(ordering["schema"]["enum"]) == {
            "-published_at",
            "published_at",
            "title",
            "-updated_at",
        }

    @pytest.mark.parametrize("path", CONTRACT_PATHS)
    def test_every_operation_documents_its_error_responses_with_the_error_body(self, schema, path):
        responses = operation(schema, path)["responses"]
        expected = {"400", "405", "406"} | ({"404"} if "{slug}" in path else set())

        assert expected <= set(responses)
        for status in expected:
            content = responses[status]["content"]
            assert set(content) == {"application/json"}, (path, status)
            error = resolve(schema, content["application/json"]["schema"])
            assert set(error["required"]) == {"error"}
            detail = resolve(schema, error["properties"]["error"])
            assert set(detail["required"]) == {"status", "code", "message", "details"}

    def test_every_operation_documents_what_the_served_process_refuses_before_any_view(
        self, schema
    ):
        # What gunicorn answers itself on any path (tests/live/test_served_errors.py drives it):
        # a malformed request, a foreign PROXY line, an overlong request line, an unmet Expect,
        # oversized headers, its own fault and an unknown transfer coding.
        refused_by_the_server = {"400", "403", "414", "417", "431", "500", "501"}
        lacking = {
            f"{method.upper()} {path}": sorted(refused_by_the_server - set(op["responses"]))
            for path, item in schema["paths"].items()
            for method, op in item.items()
            if refused_by_the_server - set(op["responses"])
        }
        assert lacking == {}
        assert len(schema["paths"]) >= 20  # the API, the feeds and the probes were all seen

    @pytest.mark.parametrize("path", CONTRACT_PATHS)
    def test_every_success_is_documented_as_json_only(self, schema, path):
        content = operation(schema, path)["responses"]["200"]["content"]

        assert set(content) == {"application/json"}


class AssetCollector(HTMLParser):
    """Every URL a page loads: script sources, stylesheets, icons."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.urls.append(attributes["src"])
        if tag == "link" and attributes.get("href"):
            self.urls.append(attributes["href"])


class TestInteractiveDocs:
    def test_docs_page_is_html(self, api):
        response = api.get("/api/v1/docs/")

        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert b"<html" in response.content.lower()

    def test_every_asset_is_served_from_our_own_static_files(self, api):
        page = AssetCollector()
        page.feed(api.get("/api/v1/docs/").content.decode())

        assert any(url.endswith(".js") for url in page.urls)
        assert any(url.endswith(".css") for url in page.urls)
        for url in page.urls:
            assert url.startswith("/static/"), url
            # Shipped with the project (collectstatic serves it), not fetched from elsewhere.
            assert finders.find(urlsplit(url).path.removeprefix("/static/")), url

    def test_docs_load_the_schema_from_this_api(self, api):
        html = api.get("/api/v1/docs/").content.decode()

        assert SCHEMA_PATH in html
        assert "cdn." not in html.lower()
        assert "unpkg" not in html.lower()
