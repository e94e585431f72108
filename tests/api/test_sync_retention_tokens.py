"""Sync log retention: what a client holding a token is told once the log is pruned."""

# ruff: noqa: F811  (the _retention, clock and year fixtures come from sync_retention_support)

import pytest
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from api.delivery.models import ArticleChange, ArticleExposure
from api.delivery.sync_retention import sync_log_horizon
from tests.api.sync_retention_support import (  # noqa: F401
    RETENTION,
    _retention,
    clock,
    days,
    delta_token,
    expired,
    year,
)
from tests.api.sync_support import (
    SYNC,
    apply,
    listed_ids,
    restrict,
    sync,
    sync_to_end,
    token_after_full_sync,
)
from tests.api.test_sync_random import summary_state
from tests.factories import ArticlePageFactory, publish

pytestmark = pytest.mark.django_db

# Tokens


class TestExpiredTokens:
    def test_a_token_from_before_the_window_is_410_sync_token_expired(
        self, api, make_article, clock
    ):
        articles = [make_article(slug=f"held-{n}") for n in range(3)]
        token = token_after_full_sync(api)
        clock.stamp(365)
        clock.edits(articles, days(364, 0))
        assert sync(api, token)["has_more"] is True  # served while the log holds it all

        clock.prune()

        error = expired(api, token)
        assert "start again with a full sync" in error["message"]
        assert "without a token" in error["message"]
        assert f"{RETENTION} days" in error["message"]
        assert error["details"] == {"token": ["is older than the sync log's retention"]}

    def test_an_unfinished_full_sync_from_before_the_window_is_expired(
        self, api, make_article, clock
    ):
        articles = [make_article(slug=f"scan-{n}") for n in range(3)]
        page = sync(api, limit=1)
        assert page["has_more"] and page["changed"]
        clock.stamp(365)
        clock.edits(articles, days(364, 0))

        clock.prune()

        expired(api, page["next_token"])

    def test_a_token_is_expired_exactly_when_the_log_has_lost_a_change_after_it(
        self, api, year, clock
    ):
        clock.prune()
        horizon = sync_log_horizon()

        expired(api, delta_token(api, horizon - 1))
        assert sync(api, delta_token(api, horizon))["changed"]

    def test_an_old_token_with_nothing_pruned_after_it_still_works(self, api, make_article, clock):
        """Expiry is by what the log still holds, not by the token's age."""
        article = make_article()
        clock.stamp(200)
        token = token_after_full_sync(api)  # a client that synced 200 days ago...
        clock.edits([article], [30])  # ...and the only change since is inside the window

        assert clock.prune() > 0

        pages, _ = sync_to_end(api, token)
        assert [item["id"] for page in pages for item in page["changed"]] == [article.pk]

    def test_pruning_the_whole_log_leaves_new_syncs_working(self, api, make_article, clock):
        make_article()
        clock.stamp(200)
        old_token = token_after_full_sync(api)
        make_article()
        clock.stamp(150)

        clock.prune()

        assert not ArticleChange.objects.exists()
        expired(api, old_token)
        pages, token = sync_to_end(api)  # the full sync starts at the horizon, not at 0
        assert apply({}, pages).keys() == listed_ids(api)
        assert sync(api, token) == {
            "changed": [],
            "deleted": [],
            "next_token": token,
            "has_more": False,
        }
        fresh = make_article()
        assert [item["id"] for item in sync(api, token)["changed"]] == [fresh.pk]


class TestClientsInsideTheWindow:
    def test_a_client_following_its_token_holds_exactly_the_visible_set(
        self, api, make_article, year, clock
    ):
        extra = [make_article(slug=f"late-{n}") for n in range(3)]
        clock.stamp(0)
        pages, token = sync_to_end(api)
        held = apply({}, pages)
        # Today, after the client's last sync: an edit, an unpublish, a deletion, a restriction.
        year[0].summary = "Edited today"
        publish(year[0])
        year[1].unpublish()
        gone_id = extra[0].pk
        extra[0].delete()
        restrict(extra[1])

        assert clock.prune() > 0

        pages, _ = sync_to_end(api, token, limit=2)
        apply(held, pages)
        assert held == summary_state(api)
        assert set(held) == listed_ids(api)
        assert {gone["id"] for page in pages for gone in page["deleted"]} == {
            year[1].pk,
            gone_id,
            extra[1].pk,
        }

    def test_the_client_told_410_recovers_with_a_full_sync(self, api, make_article, clock):
        """The article unpublished 100 days ago: a client that held it since before cannot be
        told any more, so it is refused rather than served a delta without that deletion."""
        articles = [make_article(slug=f"recover-{n}") for n in range(3)]
        token_a_year_ago = token_after_full_sync(api)
        held = apply({}, sync_to_end(api)[0])
        clock.stamp(365)
        clock.edits(articles, days(364, 100))
        articles[0].unpublish()
        clock.stamp(100)
        clock.edits(articles[1:], days(99, 94))
        token_95_days_ago = token_after_full_sync(api)
        clock.edits(articles[1:], days(94, 0))

        clock.prune()

        expired(api, token_a_year_ago)
        expired(api, token_95_days_ago)
        # What the app does on a 410: drop the token, full sync, replace the store with it.
        pages, token = sync_to_end(api)
        held = apply({}, pages)
        assert set(held) == {articles[1].pk, articles[2].pk} == listed_ids(api)
        assert held == summary_state(api)
        assert sync(api, token)["has_more"] is False


class TestDeletionsAfterPruning:
    """Regression: once an article's public rows were pruned, a client holding it (with a token
    inside the window) would never be told it was made private: no row said it was ever public."""

    def test_an_article_public_only_before_the_window_is_still_reported_deleted(
        self, api, make_article, clock
    ):
        quiet, busy = make_article(slug="quiet"), make_article(slug="busy")
        clock.stamp(365)
        clock.edits([busy], days(364, 30))
        token = token_after_full_sync(api)  # 30 days ago: the client holds both
        clock.edits([busy], days(30, 0))

        clock.prune()
        assert not ArticleChange.objects.filter(article_id=quiet.pk).exists()
        restrict(quiet)
        quiet_id = quiet.pk

        pages, _ = sync_to_end(api, token)
        assert {gone["id"] for page in pages for gone in page["deleted"]} == {quiet_id}

    def test_partners_are_told_of_syndicated_articles_whose_history_was_pruned(
        self, api, make_article, clock
    ):
        from api.partners.provisioning import api_key_issue, partner_create

        key = api_key_issue(partner=partner_create(name="Retention partner"), name="app")[1]
        auth = {"HTTP_AUTHORIZATION": f"Api-Key {key}"}
        opened = make_article(slug="syndicated-long-ago")
        closed = make_article(slug="zqneversyndicatedpruned", syndication_allowed=False)
        clock.stamp(365)
        token = api.get(SYNC, **auth).json()["next_token"]
        clock.edits([make_article()], [RETENTION - 1])

        clock.prune()
        # Unpublishing logs "seen by nobody": only the pruned rows said who saw them.
        opened.unpublish()
        closed.unpublish()

        body = api.get(SYNC, {"token": token}, **auth).json()
        assert [gone["id"] for gone in body["deleted"]] == [opened.pk]
        assert "zqneversyndicatedpruned" not in str(body)
        # The public, who saw both, is told of both.
        public = api.get(SYNC, {"token": token}).json()
        assert {gone["id"] for gone in public["deleted"]} == {opened.pk, closed.pk}

    def test_a_page_private_from_the_start_stays_undisclosed_after_pruning(
        self, api, make_article, journal, clock
    ):
        secret = ArticlePageFactory(parent=journal, slug="zqprivatepruned")
        restrict(secret)
        publish(secret)
        clock.stamp(365)
        token = token_after_full_sync(api)
        clock.edits([make_article()], [RETENTION - 1])

        clock.prune()
        secret.delete()

        pages, _ = sync_to_end(api, token)
        assert all(page["deleted"] == [] for page in pages)
        assert "zqprivatepruned" not in str(pages)

    def test_exposures_of_articles_gone_for_good_are_forgotten(self, api, make_article, clock):
        long_gone, recently_gone, kept = (make_article(slug=f"fate-{n}") for n in range(3))
        ids = long_gone.pk, recently_gone.pk, kept.pk
        token_a_year_ago = token_after_full_sync(api)
        clock.stamp(365)
        long_gone.delete()
        clock.stamp(200)
        token_200_days_ago = token_after_full_sync(api)
        recently_gone.delete()
        clock.stamp(10)

        clock.prune()

        # The first has no row left and can never get one; the second's deletion is still
        # to be told; the third still exists.
        assert set(ArticleExposure.objects.values_list("article_id", flat=True)) == set(ids[1:])
        expired(api, token_a_year_ago)
        # Everything pruned was before this token: it misses nothing, and is told the deletion.
        assert [gone["id"] for gone in sync(api, token_200_days_ago)["deleted"]] == [ids[1]]


def test_the_410_matches_the_openapi_document(api, make_article, clock):
    document = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    article = make_article()
    token = token_after_full_sync(api)
    clock.stamp(365)
    clock.edits([article], [200, 1])  # the first, after the token, is pruned
    clock.prune()

    response = api.get(SYNC, {"token": token})

    assert response.status_code == 410
    openapi = OpenAPI.from_dict(document)
    request = DjangoOpenAPIRequest(response.wsgi_request)
    openapi.validate_request(request)
    openapi.validate_response(request, DjangoOpenAPIResponse(response))
    gone = document["paths"][SYNC]["get"]["responses"]["410"]
    assert "sync_token_expired" in gone["description"]
    assert gone["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
