"""The outbox: which editorial changes become which webhook events, with what data, for whom."""

# ruff: noqa: F811  (the receiver, partner and endpoint fixtures come from webhook_support)

import json

import pytest
from django.db import transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from wagtail.models import PageViewRestriction

from api.models import WebhookDelivery, WebhookEvent
from api.partners.provisioning import partner_create
from api.webhooks.services import webhook_endpoint_create
from articles.models import ArticlePage, SeriesMember
from tests.api.webhook_support import endpoint, partner, receiver, run_due  # noqa: F401
from tests.articles.test_admin_forms import article_form_data
from tests.factories import (
    ArticlePageFactory,
    AuthorFactory,
    byline,
    publish,
    series_with_members,
)

ARTICLE_FIELDS = {
    "id",
    "slug",
    "title",
    "summary",
    "url",
    "api_url",
    "published_at",
    "updated_at",
    "syndication",
}


def events(kind: str | None = None) -> list[WebhookEvent]:
    rows = WebhookEvent.objects.order_by("created_at")
    return list(rows.filter(type=kind) if kind else rows)


def kinds(article) -> list[str]:
    return [
        e.type for e in WebhookEvent.objects.filter(article_id=article.pk).order_by("created_at")
    ]


@pytest.mark.django_db
class TestArticleEvents:
    def test_first_publication_is_article_published_with_the_partner_view(
        self, make_article, endpoint
    ):
        article = make_article(
            slug="sleep-and-mood", title="Sleep and mood", syndication_attribution="Folio Health"
        )

        [event] = events()
        assert event.type == "article.published"
        assert event.article_id == article.pk
        assert set(event.data) == ARTICLE_FIELDS
        assert event.data["slug"] == "sleep-and-mood"
        assert event.data["title"] == "Sleep and mood"
        assert event.data["url"] == "http://127.0.0.1:8000/sleep-and-mood/"
        assert event.data["api_url"] == "http://127.0.0.1:8000/api/v1/articles/sleep-and-mood/"
        assert event.data["published_at"].endswith("Z")
        assert event.data["syndication"] == {
            "allowed": True,
            "canonical_url": "http://127.0.0.1:8000/sleep-and-mood/",
            "license": "partner-agreement",
            "attribution": "Folio Health",
        }
        [delivery] = WebhookDelivery.objects.all()
        assert (delivery.event_id, delivery.endpoint_id) == (event.pk, endpoint.pk)
        assert delivery.status == WebhookDelivery.Status.PENDING

    def test_republishing_a_live_article_is_article_updated(self, make_article, endpoint):
        article = make_article(slug="update-me")
        article.title = "A better title"
        publish(article)

        assert kinds(article) == ["article.published", "article.updated"]
        assert events("article.updated")[0].data["title"] == "A better title"

    def test_unpublishing_is_article_unpublished_with_id_and_slug_only(
        self, make_article, endpoint
    ):
        article = make_article(slug="going-away")
        article.unpublish()

        assert kinds(article) == ["article.published", "article.unpublished"]
        data = events("article.unpublished")[0].data
        assert set(data) == {"id", "slug", "unpublished_at"}
        assert (data["id"], data["slug"]) == (article.pk, "going-away")
        # Published again: partners may take it back.
        publish(article)
        assert kinds(article)[-1] == "article.published"

    def test_republishing_with_syndication_off_is_article_unpublished_under_the_old_slug(
        self, make_article, endpoint
    ):
        article = make_article(slug="was-shared", title="Was shared")
        article.syndication_allowed = False
        article.slug = "now-private-marker"
        article.title = "Private marker title"
        publish(article)
        publish(article)  # republished while withheld: partners hear nothing more

        assert kinds(article) == ["article.published", "article.unpublished"]
        assert events("article.unpublished")[0].data["slug"] == "was-shared"
        everything = json.dumps([e.data for e in events()])
        assert "now-private-marker" not in everything
        assert "Private marker title" not in everything

        article.syndication_allowed = True
        publish(article)
        assert kinds(article)[-1] == "article.published"

    def test_deleting_a_published_article_is_article_deleted(self, make_article, endpoint):
        article = make_article(slug="deleted-one")
        article_id = article.pk
        article.delete()

        [deleted] = events("article.deleted")
        assert deleted.article_id == article_id
        assert set(deleted.data) == {"id", "slug", "deleted_at"}
        assert deleted.data["slug"] == "deleted-one"
        assert WebhookDelivery.objects.filter(event=deleted).count() == 1

    def test_deleting_an_article_partners_never_saw_says_nothing(self, make_article, endpoint):
        article = make_article(slug="never-shared", syndication_allowed=False)
        article.delete()

        assert events() == []

    def test_a_view_restriction_takes_an_article_from_partners_and_back(
        self, make_article, endpoint
    ):
        article = make_article(slug="members-only")
        restriction = PageViewRestriction.objects.create(
            page=article, restriction_type=PageViewRestriction.LOGIN
        )
        assert kinds(article) == ["article.published", "article.unpublished"]

        restriction.delete()
        assert kinds(article) == ["article.published", "article.unpublished", "article.published"]


@pytest.mark.django_db
class TestWhoReceivesWhat:
    def test_only_subscribed_active_endpoints_of_active_partners_get_deliveries(
        self, make_article, partner, receiver
    ):
        everything, _ = webhook_endpoint_create(partner=partner, url=receiver.url + "/all")
        removals, _ = webhook_endpoint_create(
            partner=partner,
            url=receiver.url + "/removals",
            event_types=["article.unpublished", "article.deleted"],
        )
        paused, _ = webhook_endpoint_create(
            partner=partner, url=receiver.url + "/paused", is_active=False
        )
        former = partner_create(name="Former partner")
        former_endpoint, _ = webhook_endpoint_create(partner=former, url=receiver.url + "/former")
        former.is_active = False
        former.save()

        article = make_article(slug="fan-out")
        article.unpublish()

        def endpoints_for(kind):
            return {d.endpoint for d in WebhookDelivery.objects.filter(event__type=kind)}

        assert endpoints_for("article.published") == {everything}
        assert endpoints_for("article.unpublished") == {everything, removals}
        assert not WebhookDelivery.objects.filter(endpoint__in=[paused, former_endpoint]).exists()

    def test_an_endpoint_without_subscriptions_to_a_type_gets_none_of_it(
        self, make_article, partner, receiver
    ):
        webhook_endpoint_create(partner=partner, url=receiver.url, event_types=["series.updated"])
        make_article(slug="not-for-this-endpoint")

        assert len(events()) == 1
        assert not WebhookDelivery.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestSeriesEvents:
    """Real transactions: one series change is one event per transaction, not per member."""

    @pytest.fixture
    def articles(self, make_article):
        return [make_article(slug=f"part-{n}") for n in (1, 2, 3)]

    def test_a_series_with_members_is_one_series_updated(self, articles, endpoint):
        with transaction.atomic():
            series = series_with_members(*articles, slug="the-series", title="The series")

        [event] = events("series.updated")
        assert event.series_id == series.pk
        assert event.data == {
            "slug": "the-series",
            "title": "The series",
            "api_url": "http://127.0.0.1:8000/api/v1/series/the-series/",
            "published": True,
            "articles": [a.pk for a in articles],
        }
        assert WebhookDelivery.objects.filter(event=event).count() == 1

    def test_a_reorder_saved_in_one_transaction_is_one_event(self, articles, endpoint):
        with transaction.atomic():
            series = series_with_members(*articles, slug="reordered")
        first, second, third = articles

        with transaction.atomic():
            # As the admin publishes it: every member row saved, then the series published.
            for position, article in enumerate([third, first, second]):
                SeriesMember.objects.filter(series=series, article=article).update(
                    sort_order=position
                )
            for member in SeriesMember.objects.filter(series=series):
                member.save()
            series.save_revision().publish()

        updates = events("series.updated")
        assert len(updates) == 2
        assert updates[-1].data["articles"] == [third.pk, first.pk, second.pk]

    def test_a_reorder_published_from_a_revision_is_one_event(self, articles, endpoint):
        with transaction.atomic():
            series = series_with_members(*articles, slug="revised")
        series.refresh_from_db()
        members = list(series.members.all())
        for position, member in enumerate(reversed(members)):
            member.sort_order = position
        series.members = list(reversed(members))

        with transaction.atomic():
            series.save_revision().publish()

        updates = events("series.updated")
        assert len(updates) == 2
        assert updates[-1].data["articles"] == [a.pk for a in reversed(articles)]

    def test_unpublishing_a_series_and_a_member(self, articles, endpoint):
        with transaction.atomic():
            series = series_with_members(*articles, slug="shrinking")
        articles[1].unpublish()
        assert events("series.updated")[-1].data["articles"] == [articles[0].pk, articles[2].pk]

        series.unpublish()
        last = events("series.updated")[-1]
        assert (last.data["published"], last.data["articles"]) == (False, [])
        # Nothing partners see changes: no event.
        count = len(events("series.updated"))
        with transaction.atomic():
            series.save()
        assert len(events("series.updated")) == count


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestDisallowedArticles:
    """(d) An article whose syndication is not allowed never reaches a webhook."""

    def test_it_produces_no_event_no_delivery_and_appears_in_no_body(
        self, make_article, endpoint, receiver
    ):
        allowed = make_article(slug="allowed-article", title="Allowed article")
        secret = make_article(
            slug="zz-withheld-marker", title="ZZ withheld marker", syndication_allowed=False
        )
        with transaction.atomic():
            series = series_with_members(allowed, secret, slug="mixed-series")
        secret.title = "ZZ withheld marker, revised"
        publish(secret)
        with transaction.atomic():
            SeriesMember.objects.filter(article=secret).update(sort_order=-1)
            SeriesMember.objects.get(article=secret).save()
        secret.unpublish()
        publish(secret)
        ArticlePage.objects.get(pk=secret.pk).delete()
        run_due()

        assert not WebhookEvent.objects.filter(article_id=secret.pk).exists()
        assert not WebhookDelivery.objects.filter(event__article_id=secret.pk).exists()
        assert events("series.updated")[0].data["articles"] == [allowed.pk]
        # The allowed article and the series did go out, and were received.
        bodies = receiver.bodies()
        assert any(b"allowed-article" in body for body in bodies)
        assert any(b"mixed-series" in body for body in bodies)
        assert WebhookEvent.objects.filter(series_id=series.pk).exists()
        for body in bodies:
            assert b"withheld" not in body.lower()
            data = json.loads(body)["data"]
            assert data.get("id") != secret.pk
            assert secret.pk not in data.get("articles", [])
        assert "withheld" not in json.dumps([e.data for e in events()]).lower()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestSameTransaction:
    """(f) The event and its deliveries commit with the editorial change, or not at all."""

    @pytest.fixture
    def draft(self, journal):
        article = ArticlePageFactory(parent=journal, slug="in-the-balance", live=False)
        byline(article, AuthorFactory())
        return article

    def test_a_rolled_back_publish_leaves_no_event_and_no_delivery(self, draft, endpoint, receiver):
        with pytest.raises(RuntimeError), transaction.atomic():
            publish(draft)
            # Written inside this very transaction, before it ends.
            assert WebhookEvent.objects.filter(article_id=draft.pk).exists()
            assert WebhookDelivery.objects.exists()
            raise RuntimeError("the editorial transaction fails after the publish")

        assert not WebhookEvent.objects.exists()
        assert not WebhookDelivery.objects.exists()
        assert receiver.requests == []

    def test_a_committed_publish_leaves_its_event_and_delivery_and_delivers_it(
        self, draft, endpoint, receiver
    ):
        with transaction.atomic():
            publish(draft)

        assert kinds(draft) == ["article.published"]
        # The immediate backend of the test settings runs the delivery once the change commits.
        [received] = receiver.wait_for(1)
        assert received.json["data"]["slug"] == "in-the-balance"
        assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.SUCCEEDED

    def test_the_database_queue_task_is_written_in_the_same_transaction(
        self, draft, endpoint, receiver, settings
    ):
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
        }
        with pytest.raises(RuntimeError), transaction.atomic():
            publish(draft)
            raise RuntimeError("rolled back")
        webhook_tasks = DBTaskResult.objects.filter(
            task_path="api.webhooks.delivery.webhook_deliver"
        )
        assert not webhook_tasks.exists()

        draft.refresh_from_db()  # its revision was rolled back too
        with transaction.atomic():
            publish(draft)
        delivery = WebhookDelivery.objects.get()
        [queued] = webhook_tasks
        assert queued.args_kwargs == {"args": [delivery.pk], "kwargs": {}}
        assert receiver.requests == []  # a worker will send it, not this process

    def test_an_admin_publish_that_fails_later_leaves_no_event(
        self, client, superuser, journal, endpoint, receiver
    ):
        from wagtail.signals import page_published

        client.force_login(superuser)
        client.raise_request_exception = False

        def fail_after_the_outbox(sender, instance, **kwargs):
            assert WebhookEvent.objects.filter(article_id=instance.pk).exists()
            raise RuntimeError("a later receiver fails")

        # Connected after the outbox receiver, so it runs once the event is written.
        page_published.connect(fail_after_the_outbox, sender=ArticlePage, dispatch_uid="t-fail")
        try:
            response = client.post(
                reverse("wagtailadmin_pages:add", args=("articles", "articlepage", journal.pk)),
                article_form_data(
                    title="Half published",
                    slug="half-published",
                    authors=[AuthorFactory()],
                    **{"action-publish": "publish"},
                ),
            )
        finally:
            page_published.disconnect(dispatch_uid="t-fail", sender=ArticlePage)

        assert response.status_code == 500
        assert not ArticlePage.objects.filter(slug="half-published").exists()
        assert not WebhookEvent.objects.exists()
        assert not WebhookDelivery.objects.exists()
        assert receiver.requests == []
