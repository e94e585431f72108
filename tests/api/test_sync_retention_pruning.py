"""Sync log retention: pruning keeps the retention window only, as the scheduler runs it."""

# ruff: noqa: F811  (the _retention, clock and year fixtures come from sync_retention_support)

import pytest
from django.core.management import call_command

from api.delivery.models import ArticleChange, ArticleExposure, ChangeLogHorizon
from api.delivery.sync_retention import sync_log_horizon, sync_log_prune
from tests.api.sync_retention_support import RETENTION, _retention, clock, days, log_top, year  # noqa: F401

pytestmark = pytest.mark.django_db

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

    def test_a_batch_larger_than_the_first_read_is_filled_exactly_to_its_size(self, year, clock):
        # The front is read in growing chunks (200, then 1,000): a batch of 450 spans two reads
        # and stops inside the second.
        old = sorted(set(ArticleChange.objects.values_list("id", flat=True)) - clock.window())
        assert len(old) > 450

        assert clock.prune(batch=450, max_batches=1) == 450

        assert ArticleChange.objects.order_by("id").values_list("id", flat=True).first() == old[450]
        assert sync_log_horizon() == old[449]

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
