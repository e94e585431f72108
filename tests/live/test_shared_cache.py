"""Two app server processes behind one PostgreSQL and Redis: same ETags, no stale content."""

import json
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from api.delivery.caching import content_generation_bump
from articles.models import ArticlePage, Author, Series, SeriesMember
from articles.retraction import article_retract
from tests.factories import (
    ArticleIndexPageFactory,
    AuthorFactory,
    TopicFactory,
    publish,
    series_with_members,
)

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def data(response):
    assert response.status == 200, (response.status, response.body[:300])
    return json.loads(response.body)


def slugs(server, path="/api/v1/articles/?limit=100"):
    return [item["slug"] for item in data(server.get(path))["results"]]


@pytest.fixture
def content(journal, make_article):
    author = AuthorFactory(slug="the-author", name="Original Name")
    topic = TopicFactory(slug="the-topic")
    first = make_article(slug="first", authors=[author], topics=[topic])
    second = make_article(slug="second", authors=[author])
    series_with_members(first, second, slug="the-series")
    return first, second


def test_two_processes_give_the_same_content_the_same_etag(server_pair, transactional_db, content):
    one, two = server_pair
    for path in ("/api/v1/articles/", "/api/v1/articles/first/", "/api/v1/series/the-series/"):
        first = one.get(path)
        content_generation_bump()  # so the second process computes its own response
        second = two.get(path)

        assert first.status == second.status == 200
        assert first.body == second.body
        assert first.headers["ETag"] == second.headers["ETag"]
        # And each process answers the other's tag with a 304.
        assert one.get(path, {"If-None-Match": second.headers["ETag"]}).status == 304


class TestEditorialEventsReachEveryProcess:
    """Prime both processes' shared cache, change content here, read it on the other one."""

    @pytest.fixture
    def primed(self, server_pair, transactional_db, content):
        one, two = server_pair
        for server in (one, two):
            for path in (
                "/api/v1/articles/?limit=100",
                "/api/v1/articles/first/",
                "/api/v1/series/the-series/",
            ):
                assert server.get(path).status == 200
        return one, two

    def test_publish(self, primed, make_article):
        make_article(slug="brand-new")
        assert "brand-new" in slugs(primed[1])

    def test_edit(self, primed, content):
        first = content[0]
        first.title = "Edited title"
        publish(first)
        assert data(primed[1].get("/api/v1/articles/first/"))["title"] == "Edited title"

    def test_unpublish(self, primed, content):
        content[0].unpublish()
        assert primed[1].get("/api/v1/articles/first/").status == 404
        assert "first" not in slugs(primed[0])

    def test_retraction(self, primed, content, editor):
        article_retract(content[0], reason="Withdrawn: its data were unreliable.", user=editor)

        detail = data(primed[1].get("/api/v1/articles/first/"))
        assert detail["status"] == "retracted"
        assert detail["retraction"]["reason"] == "Withdrawn: its data were unreliable."
        assert "first" not in slugs(primed[0]) and "first" not in slugs(primed[1])
        for server in primed:
            members = data(server.get("/api/v1/series/the-series/"))["articles"]
            assert [(m["slug"], m["series"]["position"]) for m in members] == [("second", 1)]

    def test_delete(self, primed, content):
        ArticlePage.objects.get(pk=content[1].pk).delete()
        members = data(primed[1].get("/api/v1/series/the-series/"))["articles"]
        assert [m["slug"] for m in members] == ["first"]

    def test_move_out_of_the_site(self, primed, content):
        elsewhere = ArticleIndexPageFactory(parent=Page.get_first_root_node())
        Site.objects.create(hostname="other.example", root_page=elsewhere)
        ArticlePage.objects.get(pk=content[0].pk).move(elsewhere, pos="last-child")
        assert primed[1].get("/api/v1/articles/first/").status == 404

    def test_series_reorder(self, primed, content):
        series = Series.objects.get(slug="the-series")
        members = list(series.members.all())
        members[0].sort_order, members[1].sort_order = 1, 0
        series.members.set(members)
        series.save_revision().publish()
        order = [m["slug"] for m in data(primed[1].get("/api/v1/series/the-series/"))["articles"]]
        assert order == ["second", "first"]

    def test_author_edit(self, primed, content):
        author = Author.objects.get(slug="the-author")
        author.name = "Renamed"
        author.save()
        item = data(primed[1].get("/api/v1/articles/first/"))
        assert item["authors"][0]["name"] == "Renamed"

    def test_topic_edit(self, primed, content):
        topic = content[0].topics.get()
        topic.name = "Renamed topic"
        topic.save()
        item = data(primed[1].get("/api/v1/articles/first/"))
        assert item["topics"][0]["name"] == "Renamed topic"

    def test_series_membership_change(self, primed, content, make_article):
        newcomer = make_article(slug="newcomer")
        series = Series.objects.get(slug="the-series")
        series.members.add(SeriesMember(article=newcomer, sort_order=5))
        series.save_revision().publish()
        order = [m["slug"] for m in data(primed[1].get("/api/v1/series/the-series/"))["articles"]]
        assert order == ["first", "second", "newcomer"]

    def test_scheduled_go_live(self, primed, journal):
        from django.core.management import call_command

        from tests.factories import ArticlePageFactory

        later = ArticlePageFactory(parent=journal, live=False, slug="later")
        later.go_live_at = timezone.now() + timedelta(hours=1)
        publish(later)
        assert "later" not in slugs(primed[1])
        revision = ArticlePage.objects.get(slug="later").scheduled_revision
        past = timezone.now() - timedelta(minutes=1)
        revision.content["go_live_at"] = past.isoformat()
        revision.approved_go_live_at = past
        revision.save(update_fields=["content", "approved_go_live_at"])

        call_command("publish_scheduled", verbosity=0)  # what the scheduler process runs

        assert "later" in slugs(primed[1])

    def test_view_restriction(self, primed, content):
        PageViewRestriction.objects.create(
            page=content[0], restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
        assert "first" not in slugs(primed[1])

    def test_expiry_moment_passing(self, primed, content):
        first = content[0]
        soon = timezone.now() + timedelta(seconds=6)
        first.expire_at = soon
        publish(first)
        assert "first" in slugs(primed[1])
        time.sleep(max(0.0, (soon - timezone.now()).total_seconds()) + 0.1)
        assert "first" not in slugs(primed[0])
        assert "first" not in slugs(primed[1])


def test_with_redis_stopped_the_api_answers_and_readyz_reports_it(
    app_servers, private_redis, content
):
    (server,) = app_servers(1, redis_url=private_redis.url)
    assert server.get("/api/v1/articles/").status == 200
    assert server.get("/readyz").status == 200

    private_redis.stop()

    listing = server.get("/api/v1/articles/")
    assert listing.status == 200
    assert [item["slug"] for item in json.loads(listing.body)["results"]] == ["second", "first"]
    ready = server.get("/readyz")
    assert ready.status == 503
    error = json.loads(ready.body)["error"]
    assert error["code"] == "service_unavailable"
    assert "cache" in error["details"]

    private_redis.start()
    assert server.get("/readyz").status == 200
