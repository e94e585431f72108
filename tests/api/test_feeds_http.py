"""Partner feeds over HTTP: keys, parameters, methods, conditional GET, caching and throttling."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from api.delivery.caching import content_generation_bump
from api.partners.provisioning import api_key_issue, api_key_revoke, partner_create
from api.partners.usage import usage_today
from tests.factories import publish

pytestmark = pytest.mark.django_db

FORMATS = ("rss", "atom", "json")
PATHS = [f"/feeds/articles.{fmt}" for fmt in FORMATS]


def error_of(response, status: int) -> dict:
    """The error object of a failed feed request, after checking the contract's envelope."""
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["status"] == status
    assert error["code"] and error["message"]
    assert isinstance(error["details"], dict)
    return error


@pytest.fixture
def articles(make_article):
    return [make_article(), make_article()]


@pytest.fixture
def partner():
    return partner_create(name="Reader partner", full_text=True)


@pytest.fixture
def key(partner):
    return api_key_issue(partner=partner, name="feeds")[1]


class TestParameters:
    def test_an_unknown_parameter_is_a_400(self, api, articles, key):
        for path in PATHS:
            error = error_of(api.get(path, {"format": "xml"}), 400)
            assert error["code"] == "unknown_parameter"
            assert "format" in error["details"]
            # A valid key does not make other parameters acceptable.
            error = error_of(api.get(path, {"api_key": key, "limit": "5"}), 400)
            assert error["code"] == "unknown_parameter"

    def test_an_empty_repeated_or_control_character_key_is_a_400(self, api, articles, key):
        for path in PATHS:
            for query in ("api_key=", "api_key=%00", f"api_key={key}&api_key={key}"):
                error = error_of(api.get(f"{path}?{query}"), 400)
                assert error["code"] == "invalid_parameter", query
                assert "api_key" in error["details"]


class TestKeys:
    def assert_refused(self, api, raw_key: str) -> None:
        for path in PATHS:
            for response in (
                api.get(path, HTTP_AUTHORIZATION=f"Api-Key {raw_key}"),
                api.get(path, {"api_key": raw_key}),
            ):
                error = error_of(response, 401)
                assert error["code"] == "invalid_api_key"
                assert response["WWW-Authenticate"] == "Api-Key"

    def test_a_garbage_key_is_a_401(self, api, articles):
        self.assert_refused(api, "not-a-key")
        self.assert_refused(api, "ABCDEFGH.abcdefghijklmnopqrstuvwxyz012345")  # well-formed

    def test_a_revoked_key_is_refused_at_once(self, api, articles, partner):
        record, raw_key = api_key_issue(partner=partner, name="soon revoked")
        assert api.get(PATHS[0], {"api_key": raw_key}).status_code == 200
        api_key_revoke(api_key=record)
        self.assert_refused(api, raw_key)

    def test_an_expired_key_is_a_401(self, api, articles, partner):
        _, raw_key = api_key_issue(
            partner=partner, name="old", expires_at=timezone.now() - timedelta(minutes=1)
        )
        self.assert_refused(api, raw_key)

    def test_another_authorization_scheme_is_a_401(self, api, articles):
        for path in PATHS:
            response = api.get(path, HTTP_AUTHORIZATION="Bearer abc")
            assert error_of(response, 401)["code"] == "invalid_api_key"


class TestSelfLink:
    def test_a_key_in_the_query_string_is_never_written_into_the_feed(self, api, articles, key):
        for path in PATHS:
            response = api.get(path, {"api_key": key})
            assert response.status_code == 200
            assert key.encode() not in response.content
            # The self link is the feed's address without its query string.
            assert f'{settings.PUBLIC_BASE_URL}{path}"'.encode() in response.content


class TestMethods:
    def test_write_methods_are_a_405_with_the_error_body(self, api, articles):
        for path in [*PATHS, "/feeds/topics/anything.rss"]:
            for method in ("post", "put", "patch", "delete"):
                response = getattr(api, method)(path)
                assert error_of(response, 405)["code"] == "method_not_allowed", (path, method)
                assert response["Allow"] == "GET, HEAD"

    def test_head_answers_like_get(self, api, articles):
        for path in PATHS:
            get, head = api.get(path), api.head(path)
            assert head.status_code == 200
            assert head["ETag"] == get["ETag"]
            assert head["Content-Type"] == get["Content-Type"]

    def test_a_path_under_feeds_that_names_no_feed_is_a_json_404(self, api, articles):
        for path in ("/feeds/articles.xml", "/feeds/series/", "/feeds/nothing"):
            assert error_of(api.get(path), 404)["code"] == "not_found"


class TestConditionalGet:
    def test_a_matching_etag_gets_a_304(self, api, articles, key):
        for path in PATHS:
            for headers in ({}, {"HTTP_AUTHORIZATION": f"Api-Key {key}"}):
                response = api.get(path, **headers)
                assert response.status_code == 200
                etag = response["ETag"]
                again = api.get(path, HTTP_IF_NONE_MATCH=etag, **headers)
                assert again.status_code == 304
                assert again.content == b""
                assert again["ETag"] == etag
                assert api.get(path, HTTP_IF_NONE_MATCH='"other"', **headers).status_code == 200

    def test_last_modified_is_the_newest_update_and_if_modified_since_is_honoured(
        self, api, articles
    ):
        newest = max(a.last_published_at for a in articles)
        for path in PATHS:
            response = api.get(path)
            assert response["Last-Modified"] == http_date(newest.timestamp())
            since = http_date(newest.timestamp())
            assert api.get(path, HTTP_IF_MODIFIED_SINCE=since).status_code == 304
            earlier = http_date((newest - timedelta(seconds=5)).timestamp())
            assert api.get(path, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200

    def test_a_new_article_changes_the_etag(self, api, articles, make_article):
        before = {path: api.get(path)["ETag"] for path in PATHS}
        make_article(title="Brand new")
        for path in PATHS:
            response = api.get(path, HTTP_IF_NONE_MATCH=before[path])
            assert response.status_code == 200
            assert b"Brand new" in response.content

    def test_anonymous_feeds_are_public_and_keyed_feeds_private(self, api, articles, key):
        for path in PATHS:
            anonymous = api.get(path)
            assert anonymous["Cache-Control"].startswith("public, max-age=")
            assert "stale-while-revalidate" in anonymous["Cache-Control"]
            for response in (
                api.get(path, HTTP_AUTHORIZATION=f"Api-Key {key}"),
                api.get(path, {"api_key": key}),
            ):
                assert response.status_code == 200
                assert response["Cache-Control"].startswith("private")
            for response in (anonymous, api.get(path, {"api_key": key})):
                vary = {v.strip() for v in response["Vary"].split(",")}
                assert {"Accept-Encoding", "Authorization"} <= vary


class TestResponseCache:
    def test_an_anonymous_feed_is_served_from_the_shared_cache_until_content_changes(
        self, api, articles, settings, django_capture_on_commit_callbacks
    ):
        settings.API_RESPONSE_CACHE = True
        content_generation_bump()  # nothing another test stored may answer here
        for path in PATHS:
            first = api.get(path)
            with CaptureQueriesContext(connection) as captured:
                second = api.get(path)
            assert len(captured) == 0, path
            assert second.content == first.content and second["ETag"] == first["ETag"]
            assert api.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

        article = articles[0]
        article.title = "Retitled after caching"
        with django_capture_on_commit_callbacks(execute=True):
            publish(article)  # the invalidation runs on commit, as in production
        for path in PATHS:
            assert b"Retitled after caching" in api.get(path).content, path

    def test_a_partner_feed_is_never_taken_from_or_put_in_the_shared_cache(
        self, api, articles, key, settings
    ):
        settings.API_RESPONSE_CACHE = True
        content_generation_bump()
        for path in PATHS:
            api.get(path)  # an anonymous copy in the cache
            with CaptureQueriesContext(connection) as captured:
                keyed = api.get(path, {"api_key": key})
            assert len(captured) > 0
            assert keyed["Cache-Control"].startswith("private")
            assert api.get(path)["Cache-Control"].startswith("public")


class TestThrottling:
    def test_anonymous_feeds_are_limited_per_client_ip(self, journal, articles, settings):
        settings.API_ANONYMOUS_RATE = "3/day"
        client = Client(HTTP_HOST="localhost", REMOTE_ADDR="203.0.113.91")
        for _ in range(3):
            assert client.get(PATHS[0]).status_code == 200
        refused = client.get(PATHS[1])
        assert error_of(refused, 429)["code"] == "throttled"
        assert int(refused["Retry-After"]) >= 1
        other = Client(HTTP_HOST="localhost", REMOTE_ADDR="203.0.113.92")
        assert other.get(PATHS[0]).status_code == 200

    def test_a_partner_key_is_limited_at_its_rate_and_its_use_counted(self, api, articles):
        partner = partner_create(name="Slow partner", rate_limit="2/day")
        _, raw_key = api_key_issue(partner=partner, name="feeds")
        assert api.get(PATHS[0], {"api_key": raw_key}).status_code == 200
        assert api.get(PATHS[1], HTTP_AUTHORIZATION=f"Api-Key {raw_key}").status_code == 200
        refused = api.get(PATHS[2], {"api_key": raw_key})
        assert error_of(refused, 429)["code"] == "throttled"
        assert int(refused["Retry-After"]) >= 1
        requests, throttled = usage_today(partner.pk)
        assert requests >= 3 and throttled >= 1
