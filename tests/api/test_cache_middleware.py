"""The shared cache answers hits before the view: the same answer, read once, never for a key."""

import pytest
from django.core.cache import cache as default_cache

from api.delivery import caching
from api.delivery.caching import ConditionalCachedMixin
from api.feeds.views import FeedView
from api.partners.provisioning import api_key_issue, api_key_revoke, partner_create
from tests.conftest import cache_clear, service_missing

pytestmark = pytest.mark.django_db

PATHS = [
    "/api/v1/articles/",
    "/api/v1/articles/?limit=1&fields=id,slug",
    "/api/v1/articles/first/",
    "/api/v1/series/the-series/",
    "/api/v1/topics/the-topic/",
    "/api/v1/sync/",
    "/feeds/articles.rss",
    "/feeds/series/the-series.json",
]


@pytest.fixture
def shared_cache(settings):
    settings.API_RESPONSE_CACHE = True


@pytest.fixture
def views_unreachable(monkeypatch):
    """Every API and feed view raises: whatever still answers was answered before them."""

    def unreachable(self, request, *args, **kwargs):
        raise AssertionError(f"the view was reached for {request.get_full_path()}")

    monkeypatch.setattr(ConditionalCachedMixin, "dispatch", unreachable)
    monkeypatch.setattr(FeedView, "dispatch", unreachable)


@pytest.fixture
def cache_reads(monkeypatch):
    """The number of round trips to the shared cache for lookups, counted around the real one."""
    calls = []
    real = caching._read_values

    def counted(keys):
        calls.append(list(keys))
        return real(keys)

    monkeypatch.setattr(caching, "_read_values", counted)
    return calls


@pytest.mark.usefixtures("series_world", "shared_cache")
class TestHitsBeforeTheView:
    @pytest.mark.parametrize("path", PATHS)
    def test_a_hit_is_answered_without_reaching_the_view(self, api, path, request):
        first = api.get(path)
        assert first.status_code == 200

        request.getfixturevalue("views_unreachable")
        again = api.get(path)

        assert again.status_code == 200
        assert again.content == first.content

    @pytest.mark.parametrize("path", PATHS)
    def test_a_hit_carries_every_header_the_stored_response_had(self, api, path):
        first = api.get(path)
        again = api.get(path)

        assert dict(again.headers) == dict(first.headers)
        assert int(again["Content-Length"]) == len(first.content)

    @pytest.mark.parametrize("path", PATHS)
    def test_a_304_from_the_cache_has_the_headers_of_one_from_the_view(self, api, path):
        etag = api.get(path)["ETag"]
        cache_clear()

        from_view = api.get(path, HTTP_IF_NONE_MATCH=etag)
        from_cache = api.get(path, HTTP_IF_NONE_MATCH=etag)

        assert from_view.status_code == from_cache.status_code == 304
        assert dict(from_cache.headers) == dict(from_view.headers)

    def test_a_miss_reads_the_cache_once_and_a_hit_once(self, api, cache_reads):
        api.get("/api/v1/articles/first/")
        assert len(cache_reads) == 1

        api.get("/api/v1/articles/first/")
        assert len(cache_reads) == 2

    def test_with_the_response_cache_off_nothing_is_read(self, api, settings, cache_reads):
        settings.API_RESPONSE_CACHE = False

        api.get("/api/v1/articles/")
        api.get("/api/v1/articles/")

        assert cache_reads == []

    def test_other_paths_are_never_looked_up(self, api, cache_reads):
        api.get("/healthz")
        api.get("/admin/login/")

        assert cache_reads == []


@pytest.mark.usefixtures("series_world", "shared_cache")
class TestKeysNeverMeetTheSharedEntry:
    """A request that names a key is decided by the view, whatever anonymous entry exists."""

    def test_a_forged_key_is_401_though_the_anonymous_answer_is_cached(self, api):
        assert api.get("/api/v1/articles/").status_code == 200

        response = api.get("/api/v1/articles/", HTTP_AUTHORIZATION="Api-Key not-a-key")

        assert response.status_code == 401
        assert response.json()["error"]["code"] == "invalid_api_key"

    def test_a_revoked_key_fails_at_once_on_a_cached_feed(self, api):
        partner = partner_create(name="Revoked Media")
        record, key = api_key_issue(partner=partner, name="feeds")
        assert api.get("/feeds/articles.rss").status_code == 200
        assert api.get(f"/feeds/articles.rss?api_key={key}").status_code == 200
        api_key_revoke(api_key=record)

        by_header = api.get("/feeds/articles.rss", HTTP_AUTHORIZATION=f"Api-Key {key}")
        by_query = api.get(f"/feeds/articles.rss?api_key={key}")

        assert by_header.status_code == by_query.status_code == 401


def test_on_redis_values_come_back_as_the_backend_stored_them(settings):
    if not settings.REDIS_URL:
        service_missing("Redis (REDIS_URL)")
    entry = {"generation": 7, "content": b"{}", "headers": {"ETag": '"x"'}}
    default_cache.set_many({"probe:int": 42, "probe:float": 1.5, "probe:entry": entry})

    values = default_cache.get_values(["probe:int", "probe:missing", "probe:float", "probe:entry"])

    assert values == [42, None, 1.5, entry]
