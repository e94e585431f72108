"""Sync log retention test support: a simulated year of log history and its clock.

The log keeps SYNC_RETENTION_DAYS of changes, and a token from before what it still holds is a
410 `sync_token_expired`, never a page that silently misses a change.

A year of history is simulated on a small journal: real editorial actions, whose log rows are
then stamped with the day they stand for, and bulk-created edits in between, always in time
order (the log's ids follow its clock). Pruning runs as the scheduler runs it.
"""

from collections.abc import Iterable
from datetime import timedelta

import pytest
from django.db.models import Max
from django.utils import timezone

from api.delivery.models import ArticleChange
from api.delivery.sync import DELTA, SyncPosition, read_sync_token, sync_token
from api.delivery.sync_retention import sync_log_prune
from tests.api.conftest import error_of
from tests.api.sync_support import SYNC, sync

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
