"""The OpenAPI document at /api/v1/schema/ is valid, complete, and matches real responses.

Every response shape checked here comes from a real request against real content, validated
with openapi-core against the document the server itself publishes; the interactive docs at
/api/v1/docs/ load their assets from our own /static/, never from a CDN.
"""

import json
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
import wagtail_factories
from django.contrib.staticfiles import finders
from django.db import transaction
from django.test import Client, override_settings
from jsonschema import Draft202012Validator, ValidationError
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from openapi_spec_validator import validate
from wagtail.models import Page, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from articles.models import ArticleIndexPage, ArticlePage
from tests.api.conftest import EPOCH
from tests.factories import (
    ArticleIndexPageFactory,
    ArticlePageFactory,
    AuthorFactory,
    ReviewerFactory,
    TopicFactory,
    byline,
    publish,
    series_with_members,
)

pytestmark = pytest.mark.django_db

SCHEMA_PATH = "/api/v1/schema/"
CONTRACT_PATHS = (
    "/api/v1/articles/",
    "/api/v1/articles/{slug}/",
    "/api/v1/series/",
    "/api/v1/series/{slug}/",
    "/api/v1/authors/",
    "/api/v1/authors/{slug}/",
    "/api/v1/topics/",
    "/api/v1/topics/{slug}/",
)
LIST_PATHS = tuple(path for path in CONTRACT_PATHS if "{slug}" not in path)
DETAIL_PATHS = tuple(path for path in CONTRACT_PATHS if "{slug}" in path)
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


def default_site_journal() -> ArticleIndexPage:
    """The journal as the root page of the default site, as the `journal` fixture makes it."""
    journal = ArticleIndexPageFactory(
        parent=Page.get_first_root_node(), title="Folio Health", slug="folio-health"
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": journal, "site_name": "Folio"},
    )
    return journal


def published_article(journal, day: int, *, authors, topics=(), tags=(), image=False):
    """An article published `day` days after EPOCH, as the `make_article` fixture makes it."""
    article = ArticlePageFactory(parent=journal)
    byline(article, *authors)
    if topics:
        article.topics.set(topics)
    if tags:
        article.tags.add(*tags)
    if image:
        article.hero_image = wagtail_factories.ImageFactory(file__width=1600, file__height=900)
        article.hero_image_alt = "A described image"
    publish(article)
    when = EPOCH + timedelta(days=day)
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=when, last_published_at=when
    )
    article.refresh_from_db()
    return article


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    """Where the module's images are stored: they outlive a test, so not in its `tmp_path`."""
    return tmp_path_factory.mktemp("openapi-media")


@pytest.fixture(autouse=True)
def _media_root(settings, media_root):
    """Every test reads the module's images (conftest's `_media_root` gives each test its own
    empty directory, where the originals of the images built once per module are missing)."""
    settings.MEDIA_ROOT = media_root


@pytest.fixture(scope="module")
def content(django_db_setup, django_db_blocker, media_root):
    """The journal and its content, built once for the module: every test here only reads.

    It lives in an outer transaction rolled back after the module's last test; each test
    still runs in its own savepoint inside it, so whatever a test writes is undone before the
    next one.
    """
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root),
        transaction.atomic(),
    ):
        # What the autouse `_no_reference_index` does for each test; that switch is not
        # re-entrant, so it is held for the building only, not across the tests.
        with disable_reference_index_auto_update():
            content = build_content(default_site_journal())

        yield content

        transaction.set_rollback(True)
    # Wagtail caches the sites' root paths; the journal just rolled back is gone.
    Site.clear_site_root_paths_cache()


@pytest.fixture
def api(content):
    """A client addressing the journal's site (the default site, hostname localhost)."""
    return Client(HTTP_HOST="localhost")


@pytest.fixture(scope="module")
def schema(content, django_db_blocker):
    """The document the server publishes, fetched once for the module: the tests only read it."""
    with django_db_blocker.unblock():
        response = Client(HTTP_HOST="localhost").get(SCHEMA_PATH, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


@pytest.fixture(scope="module")
def openapi(schema):
    """The document's validator, made once: building it checks the whole document (seconds)."""
    return OpenAPI.from_dict(schema)


def get_valid(client, openapi, path, status=200, **params):
    """GET `path`, check its status, and validate request and response against the document."""
    response = client.get(path, params)
    assert response.status_code == status, (response.status_code, response.content[:500])
    request = DjangoOpenAPIRequest(response.wsgi_request)
    openapi.validate_request(request)
    openapi.validate_response(request, DjangoOpenAPIResponse(response))
    return response.json()


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


def cursor_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["cursor"][0]


def build_content(journal) -> dict:
    """A small journal: a series of three, a topic, tags, hero images and a full-body article."""
    topic = TopicFactory(name="Mental health", slug="mental-health")
    writer = AuthorFactory(name="Ada Lovelace", slug="ada-lovelace", credentials="PhD")
    members = [
        published_article(
            journal, day, authors=[writer], topics=[topic], tags=["sleep"], image=True
        )
        for day in (1, 2, 3)
    ]
    plain = published_article(journal, 4, authors=[writer])  # no image, series or topics
    series = series_with_members(*members, title="Sleep series", slug="sleep-series")
    series.image = wagtail_factories.ImageFactory()
    series.save()
    writer.photo = wagtail_factories.ImageFactory()
    writer.save()

    body_image = wagtail_factories.ImageFactory()
    blocks = [
        ("heading", {"text": "T", "level": "h2", "anchor": ""}),
        ("paragraph", f'<p>See <a linktype="page" id="{plain.pk}">this</a></p>'),
        ("image", {"image": body_image.pk, "alt": "x", "caption": "c", "credit": "k"}),
        ("quote", {"quote": "q", "attribution": "a"}),
        ("callout", {"kind": "risks", "title": "t", "body": "<p>b</p>"}),
        ("list", {"style": "ordered", "items": ["a", "b"]}),
        (
            "table",
            {
                "data": [["h1", "h2"], ["a", "b"]],
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "table_header_choice": "row",
                "table_caption": "cap",
            },
        ),
        (
            "references",
            {
                "heading": "References",
                "citations": [
                    {
                        "authors": "A",
                        "title": "T",
                        "source": "S",
                        "year": 2024,
                        "url": "https://example.org",
                        "doi": "10.1/x",
                    }
                ],
            },
        ),
    ]
    full = ArticlePageFactory(
        parent=journal,
        title="Everything at once",
        slug="everything-at-once",
        subtitle="Every block type",
        hero_image=wagtail_factories.ImageFactory(),
        hero_image_alt="A hero",
        medical_reviewer=ReviewerFactory(),
        medical_reviewed_at=date(2026, 1, 15),
        body=json.dumps([{"type": kind, "value": value} for kind, value in blocks]),
    )
    byline(full, writer)
    full.topics.set([topic])
    full.tags.add("sleep")
    publish(full)
    # The search index was updated as each article was saved (tasks run inline in tests).
    assert list(ArticlePage.objects.live().search("Everything")) == [full]
    return {
        "members": members,
        "plain": plain,
        "full": full,
        "series": series,
        "writer": writer,
        "topic": topic,
    }


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
