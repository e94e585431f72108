"""Sync log retention: the log keeps SYNC_RETENTION_DAYS of changes, and a token from before what
it still holds is a 410 `sync_token_expired`, never a page that silently misses a change.

A year of history is simulated on a small journal: real editorial actions, whose log rows are
then stamped with the day they stand for, and bulk-created edits in between, always in time
order (the log's ids follow its clock). Pruning runs as the scheduler runs it.
"""

from collections.abc import Iterable
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Max
from django.utils import timezone
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from api.delivery.models import ArticleChange, ArticleExposure, ChangeLogHorizon
from api.delivery.sync import DELTA, SyncPosition, read_sync_token, sync_token
from api.delivery.sync_retention import sync_log_horizon, sync_log_prune
from tests.api.conftest import error_of
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

RETENTION = 90


@pytest.fixture(autouse=True)
def _retention(settings):
    settings.SYNC_RETENTION_DAYS = RETENTION


def log_top() -> int:
    return ArticleChange.objects.aggregate(top=Max("id"))["top"] or 0


def days(start: int, stop: int) -> range:
    """Days ago from `start` down to `stop`, excluded, oldest first."""
    return range(start, stop, -1)


class LogClock:
    """The simulated history's clock: which day, counted back from today, each log row is from.

    `stamp` dates the rows written since the last call (by real editorial actions) to a day;
    `edits` bulk-creates edits, oldest first. Days only ever move forward, as ids do.
    """

    def __init__(self):
        self.today = timezone.now()
        self.seen = log_top()
        self.days_ago = 10**6

    def day(self, days_ago: float):
        return self.today - timedelta(days=days_ago)

    def _moves_to(self, days_ago: float) -> None:
        assert days_ago <= self.days_ago, "the log's clock never goes back"
        self.days_ago = days_ago

    def stamp(self, days_ago: float) -> None:
        self._moves_to(days_ago)
        ArticleChange.objects.filter(id__gt=self.seen).update(created_at=self.day(days_ago))
        self.seen = log_top()

    def edits(self, articles, days_ago: Iterable[float]) -> None:
        """One logged edit of each article a day, as the receivers write them for a publish."""
        rows = []
        for days in days_ago:
            self._moves_to(days)
            rows += [
                ArticleChange(
                    article_id=article.pk,
                    slug=article.slug,
                    created_at=self.day(days),
                    public=True,
                    syndicated=article.syndication_allowed,
                )
                for article in articles
            ]
        ArticleChange.objects.bulk_create(rows)
        self.seen = log_top()

    def prune(self, **options) -> int:
        """What the scheduler does today."""
        return sync_log_prune(now=self.today, **options)

    def window(self) -> set[int]:
        """The ids of the rows inside the retention window today."""
        cutoff = self.day(RETENTION)
        return set(
            ArticleChange.objects.filter(created_at__gte=cutoff).values_list("id", flat=True)
        )


@pytest.fixture
def clock():
    return LogClock()


@pytest.fixture
def year(make_article, clock):
    """Three articles published a year ago and edited every day since (3 log rows a day)."""
    articles = [make_article(slug=f"yearly-{n}") for n in range(3)]
    clock.stamp(365)
    clock.edits(articles, days(364, 0))
    return articles


def delta_token(api, after: int) -> str:
    """The token this server issues for log position `after` on the journal's site."""
    site = read_sync_token(sync(api)["next_token"]).site
    return sync_token(SyncPosition(phase=DELTA, after=after, since=after, site=site))


def expired(api, token) -> dict:
    response = api.get(SYNC, {"token": token})
    assert "ETag" not in response  # an error, never cached
    error = error_of(api, SYNC, 410, token=token)
    assert error["code"] == "sync_token_expired"
    return error


# Pruning


class TestPruning:
    def test_only_the_changes_of_the_retention_window_remain(self, year, clock):
        window = clock.window()
        pruned = set(ArticleChange.objects.values_list("id", flat=True)) - window

        assert clock.prune() == len(pruned)

        assert set(ArticleChange.objects.values_list("id", flat=True)) == window
        assert len(window) == 3 * RETENTION  # days 90 to 1
        oldest = ArticleChange.objects.order_by("id").first().created_at
        assert oldest == clock.day(RETENTION)  # a change exactly the retention old is kept
        assert sync_log_horizon() == max(pruned) == min(window) - 1

    def test_deletes_in_bounded_batches_oldest_first(self, year, clock):
        old = sorted(set(ArticleChange.objects.values_list("id", flat=True)) - clock.window())
        assert len(old) > 500

        rounds = []
        while deleted := clock.prune(batch=100, max_batches=2):
            rounds.append(deleted)
            remaining = ArticleChange.objects.order_by("id").values_list("id", flat=True)
            gone = sum(rounds)
            # A prefix of the log, never more than the batches allow, the horizon right behind.
            assert remaining.first() == (old[gone] if gone < len(old) else min(clock.window()))
            assert sync_log_horizon() == old[gone - 1]

        assert rounds[:-1] == [200] * (len(rounds) - 1)
        assert sum(rounds) == len(old)
        assert set(ArticleChange.objects.values_list("id", flat=True)) == clock.window()

    def test_a_row_committed_late_with_an_early_timestamp_waits_for_the_rows_before_it(
        self, make_article, clock
    ):
        article = make_article()
        clock.stamp(200)
        front = log_top()
        clock.edits([article], [10])
        inside = log_top()
        # Written after the row from 10 days ago, but dated earlier (its clock was read before
        # it waited for the writers' lock): pruning it would leave the row below it behind.
        ArticleChange.objects.create(article_id=article.pk, slug=article.slug)
        ArticleChange.objects.filter(id__gt=inside).update(created_at=clock.day(150))

        clock.prune()

        assert list(ArticleChange.objects.order_by("id").values_list("id", flat=True)) == [
            inside,
            inside + 1,
        ]
        assert sync_log_horizon() == front

    def test_nothing_to_prune_leaves_the_log_and_the_horizon_alone(self, make_article, clock):
        make_article()
        clock.stamp(RETENTION - 1)
        before = list(ArticleChange.objects.values_list("id", flat=True))

        assert clock.prune() == 0

        assert list(ArticleChange.objects.values_list("id", flat=True)) == before
        assert sync_log_horizon() == 0
        assert not ChangeLogHorizon.objects.exists()


class TestTheLogsSize:
    def test_a_year_pruned_every_month_never_holds_more_than_the_window(self, make_article, clock):
        articles = [make_article(slug=f"monthly-{n}") for n in range(3)]
        clock.stamp(365)
        sizes = []
        for month_end in range(335, -1, -30):
            clock.edits(articles, days(month_end + 30, month_end))
            sync_log_prune(now=clock.day(month_end))
            sizes.append(ArticleChange.objects.count())
            # At most the window's days (both ends included), each with its three edits.
            assert sizes[-1] <= 3 * (RETENTION + 1)
            oldest = ArticleChange.objects.order_by("id").first().created_at
            assert oldest >= clock.day(month_end + RETENTION)
            assert ArticleExposure.objects.count() <= len(articles)

        assert sizes[:3] == [3 * 31, 3 * 61, 3 * 91]  # filling up, then steady
        assert set(sizes[3:]) == {3 * RETENTION}


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


# The scheduler and the document


def test_the_scheduler_prunes_the_log_every_round(year, clock):
    outside = {
        pk
        for pk, at in ArticleChange.objects.values_list("id", "created_at")
        if at < clock.day(RETENTION)
    }
    inside = {
        pk
        for pk, at in ArticleChange.objects.values_list("id", "created_at")
        if at > clock.day(RETENTION)
    }

    call_command("run_scheduler", "--once", verbosity=0)

    # Its clock runs a little after the simulated today's: the rows of day 90 may go too.
    remaining = set(ArticleChange.objects.values_list("id", flat=True))
    assert inside <= remaining
    assert not outside & remaining
    assert sync_log_horizon() == min(remaining) - 1


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
