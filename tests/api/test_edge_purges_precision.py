"""Edge purges: each editorial change purges every response showing what it altered, no more."""

# ruff: noqa: F811  (the committed, edge and world fixtures come from edge_purge_support)

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from articles.models import Author, SeriesMember, Topic
from tests.api.edge_purge_support import (  # noqa: F401
    LISTS,
    assert_kept,
    assert_purged,
    committed,
    edge,
    snapshot,
    world,
)
from tests.factories import publish

pytestmark = pytest.mark.django_db


class TestPrecision:
    def test_retitling_purges_what_shows_the_article_and_no_unrelated_detail(
        self, api, edge, world, committed
    ):
        showing = [
            *LISTS,
            "/api/v1/articles/first/",
            "/api/v1/articles/second/",  # its previous, in series and in publication order
            "/api/v1/series/the-series/",
            "/feeds/series/the-series.atom",
            "/feeds/topics/the-topic.rss",
        ]
        unrelated = [
            "/api/v1/articles/middle/",
            "/api/v1/articles/far/",
            "/api/v1/articles/beyond/",
            "/api/v1/authors/",
            "/api/v1/authors/the-author/",
            "/api/v1/topics/",
            "/api/v1/series/",
        ]
        before = snapshot(api, showing + unrelated)
        first = world["first"]
        first.title = "A new title"

        with committed():
            publish(first)

        assert_purged(before, edge.purged(), paths=showing)
        assert_kept(before, edge.purged(), paths=unrelated)

    def test_a_new_article_purges_the_navigation_of_the_one_it_follows(
        self, api, edge, world, committed, make_article
    ):
        before = snapshot(api, ["/api/v1/articles/beyond/", "/api/v1/articles/far/", *LISTS])

        with committed():
            make_article(slug="newest", days=20)  # after `beyond`

        assert_purged(before, edge.purged(), paths=["/api/v1/articles/beyond/", *LISTS])
        assert_kept(before, edge.purged(), paths=["/api/v1/articles/far/"])

    def test_unpublishing_purges_its_neighbours_and_its_series(self, api, edge, world, committed):
        paths = ["/api/v1/articles/first/", "/api/v1/articles/middle/", "/api/v1/series/"]
        before = snapshot(api, [*paths, "/api/v1/articles/far/", *LISTS])

        with committed():
            world["second"].unpublish()

        assert_purged(before, edge.purged(), paths=[*paths, *LISTS])
        assert_kept(before, edge.purged(), paths=["/api/v1/articles/far/"])

    def test_a_series_reorder_purges_every_member_and_no_one_else(
        self, api, edge, world, committed
    ):
        members = ["/api/v1/articles/first/", "/api/v1/articles/second/"]
        series = ["/api/v1/series/", "/api/v1/series/the-series/", "/feeds/series/the-series.rss"]
        before = snapshot(api, [*members, *series, "/api/v1/articles/far/"])

        with committed(), transaction.atomic():
            for member in SeriesMember.objects.filter(series=world["series"]):
                member.sort_order = 1 - member.sort_order
                member.save()

        assert_purged(before, edge.purged(), paths=members + series)
        assert_kept(before, edge.purged(), paths=["/api/v1/articles/far/"])
        assert len(edge.requests(0)) == len(edge.requests(1)) == 1  # one transaction

    def test_an_author_rename_purges_every_byline_and_the_author(self, api, edge, world, committed):
        bylines = ["/api/v1/articles/first/", "/api/v1/articles/second/"]
        author = ["/api/v1/authors/", "/api/v1/authors/the-author/"]
        before = snapshot(api, [*bylines, *author, *LISTS, "/api/v1/articles/far/"])

        with committed():
            Author.objects.get(slug="the-author").save()  # a save of the snippet form
            renamed = Author.objects.get(slug="the-author")
            renamed.name = "Dr. Ada Renamed"
            renamed.save()

        assert_purged(before, edge.purged(), paths=bylines + author + LISTS)
        assert_kept(before, edge.purged(), paths=["/api/v1/articles/far/"])

    def test_a_topic_rename_leaves_details_without_it_alone(self, api, edge, world, committed):
        before = snapshot(
            api, ["/api/v1/articles/first/", "/api/v1/topics/the-topic/", "/api/v1/articles/far/"]
        )

        with committed():
            topic = Topic.objects.get(slug="the-topic")
            topic.name = "Sleep and rest"
            topic.save()

        purged = edge.purged()
        assert_purged(
            before, purged, paths=["/api/v1/articles/first/", "/api/v1/topics/the-topic/"]
        )
        assert_kept(before, purged, paths=["/api/v1/articles/far/"])

    def test_an_image_edit_purges_what_shows_the_image(self, api, edge, world, committed):
        before = snapshot(api, ["/api/v1/articles/first/", "/api/v1/articles/middle/"])

        with committed():
            image = world["first"].hero_image
            image.title = "Retitled image"
            image.save()

        # The sync log notes its articles too (their summaries show it).
        assert f"image-{image.pk}" in edge.purged() <= {f"image-{image.pk}", "sync"}
        assert_purged(before, edge.purged(), paths=["/api/v1/articles/first/"])
        assert_kept(before, edge.purged(), paths=["/api/v1/articles/middle/"])

    def test_expiry_by_the_scheduler_purges_the_article(self, api, edge, world, committed):
        before = snapshot(api, ["/api/v1/articles/middle/", "/api/v1/articles/second/", *LISTS])
        type(world["middle"]).objects.filter(pk=world["middle"].pk).update(
            expire_at=timezone.now() - timedelta(seconds=1)
        )

        with committed():
            call_command("publish_scheduled", verbosity=0)

        assert_purged(before, edge.purged(), paths=["/api/v1/articles/middle/", *LISTS])
        assert_purged(before, edge.purged(), paths=["/api/v1/articles/second/"])

    def test_a_deleted_article_is_purged(self, api, edge, world, committed):
        before = snapshot(api, ["/api/v1/articles/far/", "/api/v1/articles/beyond/"])

        with committed():
            world["far"].delete()

        assert_purged(before, edge.purged(), paths=["/api/v1/articles/far/"])
        assert_purged(before, edge.purged(), paths=["/api/v1/articles/beyond/"])

    def test_a_move_off_the_site_purges_the_article_its_neighbours_and_series(
        self, api, edge, world, committed
    ):
        from wagtail.models import Page

        from tests.factories import ArticleIndexPageFactory

        elsewhere = ArticleIndexPageFactory(parent=Page.get_first_root_node(), slug="elsewhere")
        edge.forget()
        # `second` and `far` are its neighbours: their navigation links to it.
        paths = ["/api/v1/articles/middle/", "/api/v1/articles/second/", "/api/v1/articles/far/"]
        before = snapshot(api, [*paths, "/api/v1/articles/beyond/", *LISTS])

        with committed():
            world["middle"].move(elsewhere, pos="last-child")

        assert_purged(before, edge.purged(), paths=[*paths, *LISTS])
        assert_kept(before, edge.purged(), paths=["/api/v1/articles/beyond/"])

    def test_a_view_restriction_purges_what_it_hides(self, api, edge, world, committed):
        from wagtail.models import PageViewRestriction

        before = snapshot(api, ["/api/v1/articles/first/", "/api/v1/series/the-series/", *LISTS])

        with committed():
            PageViewRestriction.objects.create(
                page=world["first"], restriction_type=PageViewRestriction.LOGIN
            )

        paths = ["/api/v1/articles/first/", "/api/v1/series/the-series/", *LISTS]
        assert_purged(before, edge.purged(), paths=paths)
        assert api.get("/api/v1/articles/first/").status_code == 404

    def test_a_draft_save_purges_nothing(self, edge, world, committed):
        first = world["first"]
        first.title = "Only a draft"

        with committed():
            first.save_revision()

        assert edge.requests(0) == edge.requests(1) == []
