"""A retraction reaches every cache at once, like an unpublish: the shared response cache on the
next request, and the CDN through a purge of the article's keys, its series and the lists."""

# ruff: noqa: F811  (the edge, world and committed fixtures come from edge_purge_support)

import pytest

from api.models import EdgePurge
from articles.retraction import article_retract
from tests.api.conftest import get_json
from tests.api.edge_purge_support import (  # noqa: F401
    LISTS,
    assert_kept,
    assert_purged,
    edge,
    snapshot,
    world,
)
from tests.api.test_caching import committed, content, shared_cache  # noqa: F401

pytestmark = pytest.mark.django_db

REASON = "Withdrawn: the dosage it gave was wrong."


def slugs(client, path="/api/v1/articles/"):
    return [item["slug"] for item in get_json(client, path)["results"]]


class TestTheSharedResponseCache:
    """The test settings switch the cache off; `shared_cache` switches it on, empty."""

    def test_the_cached_detail_and_list_change_on_the_next_request(
        self, api, content, shared_cache, committed, editor
    ):
        first = content[0]
        assert get_json(api, "/api/v1/articles/first/")["status"] == "published"
        assert "first" in slugs(api)
        # Both now come from the cache.
        assert api.get("/api/v1/articles/first/")["ETag"]

        with committed():
            article_retract(first, reason=REASON, user=editor)

        detail = get_json(api, "/api/v1/articles/first/")
        assert detail["status"] == "retracted" and detail["retraction"]["reason"] == REASON
        assert "first" not in slugs(api)
        members = get_json(api, "/api/v1/series/the-series/")["articles"]
        assert [m["slug"] for m in members] == ["second"]

    def test_a_refused_retraction_leaves_the_cache_alone(
        self, api, content, shared_cache, committed, writer
    ):
        before = api.get("/api/v1/articles/").content

        with committed(), pytest.raises(Exception, match="only Editors"):
            article_retract(content[0], reason=REASON, user=writer)

        assert api.get("/api/v1/articles/").content == before
        assert "first" in slugs(api)


class TestTheEdge:
    def test_it_purges_its_own_responses_its_neighbours_series_and_every_list(
        self, api, edge, world, committed, editor
    ):
        showing = [
            *LISTS,
            "/api/v1/articles/second/",  # its detail, and the navigation of its neighbours
            "/api/v1/articles/first/",
            "/api/v1/articles/middle/",
            "/api/v1/series/",
            "/api/v1/series/the-series/",
            "/feeds/series/the-series.atom",
            "/api/v1/sync/",
        ]
        unrelated = ["/api/v1/articles/far/", "/api/v1/authors/the-author/", "/api/v1/topics/"]
        before = snapshot(api, showing + unrelated)

        with committed():
            article_retract(world["second"], reason=REASON, user=editor)

        purged = edge.purged()
        assert {f"article-{world['second'].pk}", "articles", "sync", "series"} <= purged
        assert f"series-{world['series'].pk}" in purged
        assert_purged(before, purged, paths=showing)
        assert_kept(before, purged, paths=unrelated)
        # One purge per CDN node for the one transaction.
        assert len(edge.requests(0)) == len(edge.requests(1)) == 1
        assert EdgePurge.objects.exists()
