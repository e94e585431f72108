"""Edge purges: each editorial change purges every response showing what it altered, and only
those, once per CDN node per transaction, and a failed purge is retried until it succeeds.

Two loopback recorders stand in for two Varnish nodes. A response "is purged" when one of its
`Surrogate-Key` keys (read from the API's real response) is among the keys a node was sent.
"""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from api.delivery.cdn import planner
from api.models import EdgePurge, EdgeVisibilitySnapshot, EdgeVisibleArticle
from articles.models import Author, SeriesMember, Topic
from tests.edge_support import edge_world
from tests.factories import publish, series_with_members
from tests.purge_recorder import Answer, recorder_start, recorder_stop

pytestmark = pytest.mark.django_db


class Edge:
    """Two recorder nodes configured as the Varnish fleet."""

    def __init__(self, settings):
        self.nodes = [recorder_start(), recorder_start()]
        settings.CDN_BACKEND = "varnish"
        settings.CDN_VARNISH_URLS = [node.url for node in self.nodes]
        settings.CDN_PURGE_TIMEOUT = 2.0

    def requests(self, node: int = 0) -> list[set[str]]:
        return [set(r.headers["xkey"].split()) for r in self.nodes[node].requests]

    def purged(self, node: int = 0) -> set[str]:
        return set().union(*self.requests(node))

    def forget(self) -> None:
        for node in self.nodes:
            node.requests.clear()

    def stop(self) -> None:
        for node in self.nodes:
            recorder_stop(node)


@pytest.fixture
def edge(settings, journal):
    # After the journal and its site: what was there before the edge needs no purge.
    running = Edge(settings)
    yield running
    running.stop()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run an editorial change and what its commit triggers (tests roll back, never commit)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def world(edge, committed, make_article):
    """`first` and `second` in a series by one author, `middle` between them and `far`, and
    `far` alone at the end (its own author, topic and image), with `beyond` after it.

    Created, committed and purged before the test begins, as if long ago."""
    with committed():
        built = edge_world(make_article)
    edge.forget()
    EdgePurge.objects.all().delete()
    return built


def shown(api, path: str) -> set[str]:
    response = api.get(path)
    assert response.status_code == 200, (path, response.status_code)
    assert set(response["Cache-Tag"].split(",")) == set(response["Surrogate-Key"].split())
    return set(response["Surrogate-Key"].split())


def snapshot(api, paths) -> dict[str, set[str]]:
    return {path: shown(api, path) for path in paths}


def assert_purged(before: dict[str, set[str]], purged: set[str], *, paths) -> None:
    missed = [path for path in paths if not before[path] & purged]
    assert not missed, f"not purged: {missed} (purged {sorted(purged)})"


def assert_kept(before: dict[str, set[str]], purged: set[str], *, paths) -> None:
    evicted = {path: sorted(before[path] & purged) for path in paths if before[path] & purged}
    assert not evicted, f"purged though unchanged: {evicted}"


LISTS = [
    "/api/v1/articles/",
    "/api/v1/articles/?limit=1",
    "/api/v1/articles/?topic=the-topic",
    "/api/v1/articles/?ordering=title&fields=id,title",
    "/api/v1/articles/?search=summary",
    "/api/v1/articles/?tag=nobody-uses-this",  # empty, and still a list
    "/feeds/articles.rss",
    "/feeds/articles.json",
]


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


class TestQueue:
    def test_one_request_per_node_per_transaction(self, edge, world, committed):
        with committed(), transaction.atomic():
            for name in ("first", "second", "middle"):
                article = world[name]
                article.summary = "Edited together."
                publish(article)
            renamed = Author.objects.get(slug="the-author")
            renamed.name = "Renamed in the same transaction"
            renamed.save()

        assert len(edge.requests(0)) == len(edge.requests(1)) == 1
        assert edge.requests(0) == edge.requests(1)
        assert {f"article-{world[n].pk}" for n in ("first", "second", "middle")} <= edge.purged()
        assert EdgePurge.objects.filter(status=EdgePurge.Status.DONE).count() == 2

    def test_a_rolled_back_change_purges_nothing(self, edge, world, committed):
        with committed():
            try:
                with transaction.atomic():
                    first = world["first"]
                    first.title = "Never committed"
                    publish(first)
                    raise RuntimeError("the editor's save fails")
            except RuntimeError:
                pass

        assert edge.requests(0) == edge.requests(1) == []
        assert not EdgePurge.objects.exists()

        with committed():
            Topic.objects.get(slug="the-topic").save()

        # The next commit purges what it changed (and, harmlessly, what the failed one noted).
        assert {f"topic-{world['topic'].pk}", "topics", "articles"} <= edge.purged()

    def test_a_failed_node_is_retried_alone_until_it_succeeds(self, edge, world, committed):
        edge.nodes[1].answer(times=2, status=503, body=b"backend fetch failed")
        first = world["first"]
        first.title = "Retitled while node 2 is down"

        with committed():
            publish(first)

        assert EdgePurge.objects.get(target=f"varnish {edge.nodes[1].url}").status == "pending"
        assert EdgePurge.objects.get(target=f"varnish {edge.nodes[0].url}").status == "done"
        failed = EdgePurge.objects.get(target=f"varnish {edge.nodes[1].url}")
        assert failed.attempt_count == 1 and "503" in failed.last_error
        assert first.__class__.objects.get(pk=first.pk).title == "Retitled while node 2 is down"

        from api.delivery.cdn.purges import edge_purge_sweep

        for _attempt in range(2):  # still down once, then back
            EdgePurge.objects.filter(pk=failed.pk).update(
                next_attempt_at=timezone.now() - timedelta(minutes=5)
            )
            with committed():
                edge_purge_sweep()

        failed.refresh_from_db()
        assert failed.status == "done" and failed.attempt_count == 3
        assert len(edge.requests(1)) == 3 and edge.requests(1)[0] == edge.requests(1)[2]
        assert len(edge.requests(0)) == 1

    def test_nothing_is_queued_without_a_cdn(self, settings, world, committed):
        settings.CDN_BACKEND = ""
        first = world["first"]
        first.title = "No edge"

        with committed():
            publish(first)

        assert not EdgePurge.objects.exists()

    def test_cdn_purge_all_empties_every_node(self, edge, world):
        call_command("cdn_purge", "--all", verbosity=0)

        assert edge.requests(0) == edge.requests(1) == [{"folio"}]


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


class TestDeliveryHealth:
    def test_a_failing_node_shows_on_the_dashboard_with_its_error(
        self, client, superuser, edge, world, committed
    ):
        edge.nodes[1].answer(status=503, body=b"node in maintenance")
        first = world["first"]
        first.title = "Retitled"
        with committed():
            publish(first)
        client.force_login(superuser)

        page = client.get("/admin/").content.decode()

        assert 'data-folio-panel="edge-health"' in page
        assert 'data-failing="true"' in page
        assert "node in maintenance" in page
        assert edge.nodes[1].url in page


class TestPaidCdnApis:
    """Fastly and Cloudflare through the whole pipeline: an editor's change, their exact calls."""

    @pytest.fixture
    def api_recorder(self, settings, journal):
        running = recorder_start()
        yield running
        recorder_stop(running)

    def configure(self, settings, kind: str, url: str) -> None:
        settings.CDN_BACKEND = kind
        settings.CDN_PURGE_TIMEOUT = 2.0
        if kind == "fastly":
            settings.CDN_FASTLY_SERVICE_ID = "svc-folio"
            settings.CDN_FASTLY_API_TOKEN = "fastly-token"
            settings.CDN_FASTLY_API_URL = url
        else:
            settings.CDN_CLOUDFLARE_ZONE_ID = "zone-folio"
            settings.CDN_CLOUDFLARE_API_TOKEN = "cloudflare-token"
            settings.CDN_CLOUDFLARE_API_URL = url

    @pytest.mark.parametrize(
        ("kind", "path", "auth", "field"),
        [
            (
                "fastly",
                "/service/svc-folio/purge",
                ("fastly-key", "fastly-token"),
                "surrogate_keys",
            ),
            (
                "cloudflare",
                "/zones/zone-folio/purge_cache",
                ("authorization", "Bearer cloudflare-token"),
                "tags",
            ),
        ],
    )
    def test_a_publish_is_one_call_with_the_keys_and_a_5xx_is_retried(
        self, api, settings, api_recorder, make_article, committed, kind, path, auth, field
    ):
        ok = b'{"status": "ok"}' if kind == "fastly" else b'{"success": true, "errors": []}'
        api_recorder.default = Answer(body=ok)
        self.configure(settings, kind, api_recorder.url)
        with committed():
            article = make_article(slug="paid")
        api_recorder.requests.clear()
        shown_keys = shown(api, "/api/v1/articles/paid/")
        api_recorder.answer(status=503, body=b'{"msg": "try later"}')
        article.title = "Purged through the API"

        with committed():
            publish(article)

        (failed,) = api_recorder.requests
        assert (failed.method, failed.path) == ("POST", path)
        assert failed.headers[auth[0]] == auth[1]
        assert set(failed.json[field]) & shown_keys
        row = EdgePurge.objects.get(target=kind, status="pending")
        assert "503" in row.last_error
        EdgePurge.objects.filter(pk=row.pk).update(
            next_attempt_at=timezone.now() - timedelta(minutes=5)
        )
        from api.delivery.cdn.purges import edge_purge_sweep

        with committed():
            edge_purge_sweep()

        retried = api_recorder.requests[1]
        assert retried.path == path and retried.json == failed.json
        assert EdgePurge.objects.get(pk=row.pk).status == "done"
