"""Edge purges planned from the visibility snapshot, and freshness capped by the schedule."""

# ruff: noqa: F811  (the committed, edge and world fixtures come from edge_purge_support)

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from api.delivery.cdn import planner
from api.models import EdgeVisibilitySnapshot, EdgeVisibleArticle
from tests.api.edge_purge_support import (  # noqa: F401
    Edge,
    assert_kept,
    assert_purged,
    committed,
    edge,
    snapshot,
    world,
)
from tests.factories import publish, series_with_members

pytestmark = pytest.mark.django_db


class TestVisibilitySnapshot:
    """The planner compares with a record of what the edge showed; content it never recorded
    (published before the CDN was configured, bulk imported) is purged as if it had moved."""

    @pytest.fixture
    def older_than_the_edge(self, settings, committed, make_article):
        """A three-part series published while no CDN was configured."""
        settings.CDN_BACKEND = ""
        with committed():
            parts = [make_article(slug=f"part-{n}", days=n) for n in (1, 2, 3)]
            series_with_members(*parts, slug="three-parts")
        return parts

    def test_unpublishing_an_article_published_before_the_edge_purges_its_whole_series(
        self, api, older_than_the_edge, settings, committed
    ):
        first, _, _ = older_than_the_edge
        edge = Edge(settings)
        try:
            # The third part shows its position and the series' total, not the first part.
            before = snapshot(api, ["/api/v1/articles/part-3/", "/api/v1/series/three-parts/"])
            assert f"article-{first.pk}" not in before["/api/v1/articles/part-3/"]

            with committed():
                first.unpublish()

            assert_purged(before, edge.purged(), paths=list(before))
            assert api.get("/api/v1/articles/part-3/").json()["series"]["total"] == 2
        finally:
            edge.stop()

    def test_the_first_planned_change_takes_the_snapshot_and_the_next_plans_precisely(
        self, api, older_than_the_edge, settings, committed
    ):
        first, second, third = older_than_the_edge
        edge = Edge(settings)
        try:
            with committed():
                publish(second)
            assert EdgeVisibilitySnapshot.objects.exists()
            assert set(EdgeVisibleArticle.objects.values_list("article_id", flat=True)) == {
                first.pk,
                second.pk,
                third.pk,
            }
            edge.forget()
            before = snapshot(api, ["/api/v1/articles/part-3/"])

            with committed():
                first.title = "Retitled"
                publish(first)  # visible before and after: its series stays cached

            assert_kept(before, edge.purged(), paths=["/api/v1/articles/part-3/"])
        finally:
            edge.stop()

    def test_a_change_made_without_a_cdn_drops_the_snapshot_once_it_commits(
        self, edge, world, committed, settings, monkeypatch
    ):
        assert EdgeVisibilitySnapshot.objects.exists()
        settings.CDN_BACKEND = ""
        monkeypatch.setattr(planner, "_snapshot_dropped_here", False)

        with pytest.raises(RuntimeError), transaction.atomic():
            publish(world["far"])
            raise RuntimeError("the editor's save failed")
        assert EdgeVisibilitySnapshot.objects.exists()  # nothing changed
        world["far"].refresh_from_db()

        with committed():
            publish(world["far"])
        assert not EdgeVisibilitySnapshot.objects.exists()

    def test_a_bulk_import_drops_the_snapshot(self, edge, committed, make_article):
        from articles.bulk.seed import bulk_articles_seed

        with committed():
            make_article(slug="before-the-import")
        assert EdgeVisibilitySnapshot.objects.exists()
        with committed():
            bulk_articles_seed(articles=3)

        assert not EdgeVisibilitySnapshot.objects.exists()
        assert {"folio"} in edge.requests(0)


class TestScheduleCap:
    def test_freshness_never_outlives_the_next_scheduled_expiry(self, api, settings, world):
        settings.CDN_MAX_AGE = 86400
        expiry = timezone.now() + timedelta(seconds=45)
        type(world["far"]).objects.filter(pk=world["far"].pk).update(expire_at=expiry)
        from tests.conftest import cache_clear

        cache_clear()

        for path in ["/api/v1/articles/", "/api/v1/articles/far/", "/feeds/articles.rss"]:
            directives = dict(
                ([*part.split("="), ""])[:2]
                for part in api.get(path)["Cache-Control"].replace(" ", "").split(",")
            )
            remaining = (expiry - timezone.now()).total_seconds()
            assert int(directives["max-age"]) <= remaining
            assert int(directives["s-maxage"]) <= remaining
            assert (
                int(directives["max-age"]) + int(directives.get("stale-while-revalidate") or 0)
                <= remaining
            )
            assert (
                int(directives["s-maxage"]) + int(directives.get("stale-while-revalidate") or 0)
                <= remaining
            )

    def test_without_anything_scheduled_the_configured_freshness_holds(self, api, settings, world):
        settings.CDN_MAX_AGE = 86400
        from tests.conftest import cache_clear

        cache_clear()

        assert api.get("/api/v1/articles/far/")["Cache-Control"] == (
            f"public, max-age={settings.API_CACHE_MAX_AGE}, s-maxage=86400, "
            f"stale-while-revalidate={settings.API_STALE_WHILE_REVALIDATE}"
        )
