"""HTTP caching: ETags and 304s everywhere, the shared cache, and invalidation on every change."""

import json
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from api.delivery import caching
from api.delivery.conditional import etag_for
from api.partners.provisioning import api_key_issue, partner_create
from articles.models import ArticlePage, Author, Series
from cms.cache import FolioRedisCache
from tests.api.conftest import get_json
from tests.conftest import cache_clear
from tests.factories import publish

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/articles/",
    "/api/v1/articles/first/",
    "/api/v1/series/",
    "/api/v1/series/the-series/",
    "/api/v1/authors/",
    "/api/v1/authors/the-author/",
    "/api/v1/topics/",
    "/api/v1/topics/the-topic/",
    "/api/v1/sync/",
]


@pytest.fixture
def content(series_world):
    return series_world


@pytest.fixture
def shared_cache(settings):
    """The response cache switched on and empty."""
    settings.API_RESPONSE_CACHE = True
    cache_clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run an editorial change and what its commit triggers (tests roll back, never commit)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


class TestConditionalGet:
    @pytest.mark.parametrize("path", ENDPOINTS)
    def test_every_endpoint_answers_a_matching_etag_with_304(self, api, content, path):
        first = api.get(path)
        assert first.status_code == 200
        etag = first["ETag"]

        again = api.get(path, HTTP_IF_NONE_MATCH=etag)

        assert again.status_code == 304
        assert again.content == b""
        assert again["ETag"] == etag

    @pytest.mark.parametrize("path", ENDPOINTS)
    def test_a_stale_etag_gets_the_full_body(self, api, content, path):
        response = api.get(path, HTTP_IF_NONE_MATCH='"not-the-current-tag"')

        assert response.status_code == 200
        assert response.content

    def test_the_etag_is_derived_from_the_body(self, api, content):
        response = api.get("/api/v1/articles/first/")

        assert response["ETag"] == etag_for(response.content)

    def test_a_change_changes_the_etag(self, api, content):
        before = api.get("/api/v1/articles/first/")["ETag"]
        first = content[0]
        first.summary = "A new summary."
        publish(first)

        assert api.get("/api/v1/articles/first/")["ETag"] != before

    def test_if_modified_since_is_honoured_on_details(self, api, content):
        response = api.get("/api/v1/articles/first/")
        last_modified = response["Last-Modified"]

        assert (
            api.get("/api/v1/articles/first/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code
            == 304
        )
        assert (
            api.get(
                "/api/v1/articles/first/", HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT"
            ).status_code
            == 200
        )

    def test_anonymous_responses_are_public_with_revalidation_and_vary(self, api, content):
        response = api.get("/api/v1/articles/")

        assert response["Cache-Control"].startswith("public, max-age=")
        assert "stale-while-revalidate=" in response["Cache-Control"]
        vary = {v.strip().lower() for v in response["Vary"].split(",")}
        assert {"accept", "accept-encoding", "authorization"} <= vary

    def test_large_json_is_gzipped_for_clients_that_ask(self, api, content):
        response = api.get("/api/v1/articles/", HTTP_ACCEPT_ENCODING="gzip")

        assert response["Content-Encoding"] == "gzip"
        assert api.get("/api/v1/articles/").get("Content-Encoding") is None

    def test_errors_carry_no_etag(self, api, content):
        response = api.get("/api/v1/articles/", {"limit": "0"})

        assert response.status_code == 400
        assert "ETag" not in response


class TestSharedResponseCache:
    def test_a_repeated_anonymous_request_touches_no_database(self, api, content, shared_cache):
        first = api.get("/api/v1/articles/")

        with CaptureQueriesContext(connection) as queries:
            again = api.get("/api/v1/articles/")

        assert len(queries) == 0
        assert again.content == first.content
        assert again["ETag"] == first["ETag"]

    def test_a_304_from_the_cache_touches_no_database(self, api, content, shared_cache):
        etag = api.get("/api/v1/articles/first/")["ETag"]

        with CaptureQueriesContext(connection) as queries:
            response = api.get("/api/v1/articles/first/", HTTP_IF_NONE_MATCH=etag)

        assert response.status_code == 304
        assert len(queries) == 0

    def test_partner_requests_bypass_the_shared_cache(self, api, content, shared_cache):
        partner = partner_create(name="Bypass Media")
        _record, key = api_key_issue(partner=partner, name="web")
        api.get("/api/v1/articles/")

        with CaptureQueriesContext(connection) as queries:
            response = api.get("/api/v1/articles/", HTTP_AUTHORIZATION=f"Api-Key {key}")

        assert response.status_code == 200
        assert len(queries) > 0
        assert response["Cache-Control"].startswith("private")

    def test_a_revalidation_is_answered_from_the_headers_entry_alone(
        self, api, content, shared_cache
    ):
        path = "/api/v1/articles/first/"
        etag = api.get(path)["ETag"]
        # Take the stored body away: a matching revalidation must not need it.
        body_key = caching.response_cache_key(RequestFactory().get(path, HTTP_HOST="localhost"))
        caching.cache.delete(body_key)

        with CaptureQueriesContext(connection) as queries:
            response = api.get(path, HTTP_IF_NONE_MATCH=etag)

        assert response.status_code == 304
        assert response["ETag"] == etag
        assert len(queries) == 0

    def test_an_outdated_copy_gets_the_stored_body(self, api, content, shared_cache):
        path = "/api/v1/articles/first/"
        first = api.get(path)

        with CaptureQueriesContext(connection) as queries:
            response = api.get(path, HTTP_IF_NONE_MATCH='"an-old-version"')

        assert response.status_code == 200
        assert response.content == first.content
        assert response["ETag"] == first["ETag"]
        assert len(queries) == 0

    def test_a_stale_headers_entry_is_not_used_after_a_change(
        self, api, content, shared_cache, committed
    ):
        path = "/api/v1/articles/first/"
        etag = api.get(path)["ETag"]
        first = content[0]
        first.title = "Changed since"
        with committed():
            publish(first)

        response = api.get(path, HTTP_IF_NONE_MATCH=etag)

        assert response.status_code == 200
        assert json.loads(response.content)["title"] == "Changed since"


class TestSiteRuleMemo:
    """Each worker keeps the site and restriction lookups while the content generation stands."""

    @pytest.fixture
    def memo(self, settings):
        settings.API_SITE_RULE_MEMO = True
        cache_clear()

    def test_a_repeated_request_skips_the_site_and_restriction_queries(
        self, api, content, settings, memo
    ):
        api.get("/api/v1/articles/")
        with CaptureQueriesContext(connection) as remembered:
            api.get("/api/v1/articles/")
        settings.API_SITE_RULE_MEMO = False
        with CaptureQueriesContext(connection) as looked_up:
            api.get("/api/v1/articles/")

        sql = [query["sql"] for query in remembered.captured_queries]
        assert not any("wagtailcore_site" in q or "pageviewrestriction" in q for q in sql)
        assert len(looked_up) == len(remembered) + 2

    def test_a_new_view_restriction_hides_the_article_on_the_next_request(
        self, api, content, memo, committed
    ):
        assert "first" in slugs(api)
        with committed():
            PageViewRestriction.objects.create(
                page=content[0], restriction_type=PageViewRestriction.LOGIN
            )

        assert "first" not in slugs(api)
        assert api.get("/api/v1/articles/first/").status_code == 404

    def test_a_lifted_view_restriction_shows_the_article_again(self, api, content, memo, committed):
        with committed():
            restriction = PageViewRestriction.objects.create(
                page=content[0], restriction_type=PageViewRestriction.LOGIN
            )
        assert "first" not in slugs(api)
        with committed():
            restriction.delete()

        assert "first" in slugs(api)

    def test_without_a_cache_the_rule_is_read_on_every_request(
        self, api, content, memo, monkeypatch
    ):
        unreachable = FolioRedisCache(
            "redis://127.0.0.1:1/0",
            {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
        )
        monkeypatch.setattr(caching, "cache", unreachable)
        api.get("/api/v1/articles/")
        PageViewRestriction.objects.create(
            page=content[0], restriction_type=PageViewRestriction.LOGIN
        )

        # No generation to keep it against: the restriction, never committed, still counts.
        assert "first" not in slugs(api)


def titles(client):
    return [item["title"] for item in get_json(client, "/api/v1/articles/")["results"]]


def slugs(client):
    return [item["slug"] for item in get_json(client, "/api/v1/articles/")["results"]]


class TestInvalidation:
    """After each editorial event the very next request sees the change."""

    def test_publish(self, api, content, shared_cache, committed, make_article):
        titles(api)
        with committed():
            make_article(title="Fresh off the press")

        assert "Fresh off the press" in titles(api)

    def test_edit_and_republish(self, api, content, shared_cache, committed):
        get_json(api, "/api/v1/articles/first/")
        first = content[0]
        first.title = "Retitled"
        with committed():
            publish(first)

        assert get_json(api, "/api/v1/articles/first/")["title"] == "Retitled"
        assert "Retitled" in titles(api)

    def test_unpublish(self, api, content, shared_cache, committed):
        assert api.get("/api/v1/articles/first/").status_code == 200
        with committed():
            content[0].unpublish()

        assert api.get("/api/v1/articles/first/").status_code == 404
        assert "first" not in slugs(api)

    def test_delete(self, api, content, shared_cache, committed):
        get_json(api, "/api/v1/series/the-series/")
        with committed():
            ArticlePage.objects.get(slug="second").delete()

        members = get_json(api, "/api/v1/series/the-series/")["articles"]
        assert [m["slug"] for m in members] == ["first"]

    def test_series_reorder(self, api, content, shared_cache, committed):
        before = [a["slug"] for a in get_json(api, "/api/v1/series/the-series/")["articles"]]
        get_json(api, "/api/v1/articles/first/")
        series = Series.objects.get(slug="the-series")
        members = list(series.members.all())
        members[0].sort_order, members[1].sort_order = 1, 0
        series.members.set(members)
        with committed():
            series.save_revision().publish()

        after = [a["slug"] for a in get_json(api, "/api/v1/series/the-series/")["articles"]]
        assert after == list(reversed(before))
        navigation = get_json(api, "/api/v1/articles/first/")["navigation"]["series"]
        assert navigation["previous"]["slug"] == "second"

    def test_author_edit(self, api, content, shared_cache, committed):
        get_json(api, "/api/v1/articles/")
        author = Author.objects.get(slug="the-author")
        author.name = "Renamed Author"
        with committed():
            author.save()

        items = get_json(api, "/api/v1/articles/")["results"]
        assert "Renamed Author" in {a["name"] for item in items for a in item["authors"]}

    def test_view_restriction(self, api, content, shared_cache, committed):
        get_json(api, "/api/v1/articles/")
        with committed():
            PageViewRestriction.objects.create(
                page=content[0], restriction_type=PageViewRestriction.LOGIN
            )

        assert "first" not in slugs(api)

    def test_expiry_passing_before_the_scheduler_runs(self, api, content, shared_cache, committed):
        # Generous: publishing must finish well before the moment, even on a loaded machine.
        soon = timezone.now() + timedelta(seconds=6)
        first = content[0]
        first.expire_at = soon
        with committed():
            publish(first)
        assert timezone.now() < soon, "publishing took longer than the test allows"
        assert "first" in slugs(api)

        time.sleep(max(0.0, (soon - timezone.now()).total_seconds()) + 0.05)

        assert "first" not in slugs(api)


class TestCacheOutage:
    @pytest.fixture
    def unreachable_cache(self, monkeypatch):
        """A real Redis client pointed at a port where nothing listens: every call fails."""
        unreachable = FolioRedisCache(
            "redis://127.0.0.1:1/0",
            {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
        )
        monkeypatch.setattr(caching, "cache", unreachable)

    def test_requests_succeed_uncached(self, api, content, settings, unreachable_cache, caplog):
        settings.API_RESPONSE_CACHE = True

        first = api.get("/api/v1/articles/")
        again = api.get("/api/v1/articles/", HTTP_IF_NONE_MATCH=first["ETag"])

        assert first.status_code == 200
        assert again.status_code == 304
        assert "serving uncached" in caplog.text

    def test_an_editorial_save_succeeds(self, content, unreachable_cache, committed, caplog):
        first = content[0]
        first.title = "Saved despite the cache"

        with committed():
            publish(first)

        assert ArticlePage.objects.get(pk=first.pk).title == "Saved despite the cache"
        assert "could not bump" in caplog.text


def test_sync_responses_are_revalidated_every_time(api, content):
    response = api.get("/api/v1/sync/")

    assert response["Cache-Control"] == "public, no-cache"
    assert api.get("/api/v1/sync/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
