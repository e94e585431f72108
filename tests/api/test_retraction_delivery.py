"""A retracted article leaves every list, search, series, navigation, feed and sync page, for
readers and partners; sync names it removed, and partners are told to take it down."""

# ruff: noqa: F811  (the receiver, partner and endpoint fixtures come from webhook_support)

import json

import pytest
from django.test import Client

from api.models import ArticleChange, WebhookEvent
from api.partners.provisioning import api_key_issue, partner_create
from api.webhooks.services import webhook_endpoint_create
from articles.models import ArticlePage
from articles.retraction import article_retract
from tests.api.conftest import get_json
from tests.api.sync_support import apply, deleted_pairs, sync_to_end
from tests.api.webhook_support import endpoint, partner, receiver, run_due  # noqa: F401
from tests.factories import AuthorFactory, TopicFactory, series_with_members

pytestmark = pytest.mark.django_db

MARKER = "zqxmarkerretracted"
REASON = "Its central claim was found to be false."


@pytest.fixture
def world(make_article):
    """`first`, the marked article and `control` in one series, by one author, on one topic, in
    publication order; the marked one is published (so partners and synced clients hold it)."""
    author = AuthorFactory(slug="the-author")
    topic = TopicFactory(slug="the-topic")
    common = {"authors": [author], "topics": [topic], "tags": ["sleep"]}
    first = make_article(slug="first", days=1, **common)
    marked = make_article(
        slug=MARKER,
        days=5,
        title=f"Article {MARKER}",
        summary=f"Summary {MARKER}.",
        body=[("paragraph", f"<p>Body {MARKER}.</p>")],
        **{**common, "tags": ["sleep", MARKER]},
    )
    control = make_article(slug="control", days=10, **common)
    series_with_members(first, marked, control, slug="the-series", title="The series")
    return {"first": first, "marked": marked, "control": control}


def retract(article, editor):
    return article_retract(article, reason=REASON, user=editor)


def full_text_key() -> str:
    partner = partner_create(name="Full text partner", full_text=True)
    return api_key_issue(partner=partner, name="web")[1]


LISTINGS = [
    "/api/v1/articles/?limit=100",
    f"/api/v1/articles/?search={MARKER}",
    "/api/v1/articles/?search=summary&ordering=title",
    f"/api/v1/articles/?tag={MARKER}",
    "/api/v1/articles/?tag=sleep",
    "/api/v1/articles/?topic=the-topic",
    "/api/v1/articles/?author=the-author",
    "/api/v1/articles/?series=the-series",
    "/api/v1/series/",
    "/api/v1/series/the-series/",
    "/api/v1/articles/first/",
    "/api/v1/articles/control/",
    "/feeds/articles.rss",
    "/feeds/articles.atom",
    "/feeds/articles.json",
    "/feeds/series/the-series.json",
    "/feeds/topics/the-topic.rss",
    "/api/v1/sync/",
]


def crawl(api, key=None) -> dict[str, bytes]:
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {key}"} if key else {}
    bodies = {}
    for path in LISTINGS:
        response = api.get(path, **headers)
        assert response.status_code == 200, (path, response.status_code)
        bodies[path] = response.content
    return bodies


class TestItLeavesEveryListing:
    @pytest.mark.parametrize("who", ["reader", "partner"])
    def test_its_marker_is_in_no_listing_after_the_retraction(self, api, world, editor, who):
        key = full_text_key() if who == "partner" else None
        before = crawl(api, key)
        assert [path for path, body in before.items() if MARKER in body.decode()], "no control"

        retract(world["marked"], editor)

        after = crawl(api, key)
        assert [path for path, body in after.items() if MARKER in body.decode()] == []

    def test_the_id_filter_leaves_it_out(self, api, world, editor):
        retract(world["marked"], editor)
        ids = f"{world['marked'].pk},{world['control'].pk}"

        listed = get_json(api, "/api/v1/articles/", id=ids)["results"]
        assert [item["slug"] for item in listed] == ["control"]

    def test_series_positions_and_totals_close_up(self, api, world, editor):
        retract(world["marked"], editor)

        series = get_json(api, "/api/v1/series/the-series/")
        assert [m["slug"] for m in series["articles"]] == ["first", "control"]
        assert [m["series"]["position"] for m in series["articles"]] == [1, 2]
        assert series["article_count"] == 2
        control = get_json(api, "/api/v1/articles/control/")
        assert control["series"]["position"] == 2 and control["series"]["total"] == 2

    def test_navigation_steps_over_it(self, api, world, editor):
        retract(world["marked"], editor)

        first = get_json(api, "/api/v1/articles/first/")["navigation"]
        control = get_json(api, "/api/v1/articles/control/")["navigation"]
        assert first["next"]["slug"] == "control"
        assert first["series"]["next"]["slug"] == "control"
        assert control["previous"]["slug"] == "first"
        assert control["series"]["previous"]["slug"] == "first"

    def test_its_own_detail_is_placed_in_no_series(self, api, world, editor):
        retract(world["marked"], editor)

        detail = get_json(api, f"/api/v1/articles/{MARKER}/")
        assert detail["status"] == "retracted"
        assert detail["series"] is None
        assert detail["navigation"]["series"] is None


class TestSync:
    def test_a_client_with_an_old_token_is_told_it_is_removed(self, api, world, editor):
        pages, token = sync_to_end(api)
        held = apply({}, pages)
        assert world["marked"].pk in held

        retract(world["marked"], editor)
        pages, _ = sync_to_end(api, token)

        assert (world["marked"].pk, MARKER) in deleted_pairs(pages)
        held = apply(held, pages)
        assert set(held) == {world["first"].pk, world["control"].pk}
        # Its series neighbours come again, with their new positions.
        control = held[world["control"].pk]
        assert control["series"]["position"] == 2 and control["series"]["total"] == 2

    def test_a_partner_with_an_old_token_is_told_too(self, world, editor, journal):
        partner_client = Client(
            HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Api-Key {full_text_key()}"
        )
        pages, token = sync_to_end(partner_client)
        assert world["marked"].pk in apply({}, pages)

        retract(world["marked"], editor)

        pages, _ = sync_to_end(partner_client, token)
        assert (world["marked"].pk, MARKER) in deleted_pairs(pages)

    def test_a_new_client_never_receives_it(self, api, world, editor):
        retract(world["marked"], editor)

        held = apply({}, sync_to_end(api)[0])
        assert world["marked"].pk not in held

    def test_the_log_records_a_removal(self, world, editor):
        retract(world["marked"], editor)

        row = ArticleChange.objects.filter(article_id=world["marked"].pk).latest("id")
        assert row.kind == ArticleChange.Kind.DELETED
        assert not row.public and not row.syndicated


class TestWebhooks:
    def test_partners_are_told_to_take_it_down(self, world, editor, endpoint, receiver):
        record = retract(world["marked"], editor)

        [event] = WebhookEvent.objects.filter(type="article.retracted")
        run_due()
        [delivered] = [r.json for r in receiver.requests if r.json["type"] == "article.retracted"]

        assert delivered["id"] == str(event.pk)
        data = delivered["data"]
        assert data["takedown_required"] is True
        assert data["id"] == world["marked"].pk and data["slug"] == MARKER
        assert data["reason"] == REASON
        assert data["retracted_at"] == record.at.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert data["api_url"].endswith(f"/api/v1/articles/{MARKER}/")
        assert data["url"].startswith("http")
        assert set(data) == {
            "id",
            "slug",
            "title",
            "url",
            "api_url",
            "retracted_at",
            "reason",
            "takedown_required",
        }

    def test_its_series_is_updated_for_partners(self, world, editor, endpoint):
        retract(world["marked"], editor)

        latest = WebhookEvent.objects.filter(type="series.updated").latest("created_at")
        assert latest.data["articles"] == [world["first"].pk, world["control"].pk]

    def test_it_is_not_sent_as_an_unpublish_to_endpoints_that_know_it(
        self, world, editor, endpoint
    ):
        retract(world["marked"], editor)

        kinds = WebhookEvent.objects.filter(article_id=world["marked"].pk).values_list(
            "type", flat=True
        )
        assert "article.unpublished" not in set(kinds)

    def test_an_endpoint_that_only_knows_unpublish_is_told_to_drop_it(
        self, world, editor, partner, receiver
    ):
        webhook_endpoint_create(
            partner=partner, url=receiver.url, event_types=["article.unpublished"]
        )

        retract(world["marked"], editor)
        run_due()

        [body] = [json.loads(b) for b in receiver.bodies()]
        assert body["type"] == "article.unpublished"
        assert body["data"]["id"] == world["marked"].pk
        # What partners were last told of it is the retraction, not the stand-in unpublish.
        last = WebhookEvent.objects.filter(article_id=world["marked"].pk).order_by(
            "-created_at", "-pk"
        )[0]
        assert last.type == "article.retracted"

    def test_an_article_partners_never_saw_produces_nothing(self, make_article, editor, endpoint):
        closed = make_article(slug="closed", syndication_allowed=False)

        retract(closed, editor)

        assert not WebhookEvent.objects.filter(article_id=closed.pk).exists()

    def test_republishing_afterwards_tells_partners_nothing(self, world, editor, endpoint):
        retract(world["marked"], editor)
        before = WebhookEvent.objects.filter(article_id=world["marked"].pk).count()

        page = ArticlePage.objects.get(pk=world["marked"].pk)
        page.save_revision().publish()

        assert WebhookEvent.objects.filter(article_id=world["marked"].pk).count() == before
