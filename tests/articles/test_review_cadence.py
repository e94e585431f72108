"""Review cadence: the next review's due date from the review and the interval (the site's or the
article's own), its status at the day boundaries, the recompute when the site's policy changes,
and the API's `medical_review` carrying both."""

from datetime import UTC, date, timedelta

import pytest
from django.test import Client
from wagtail.models import Page, Site

from articles.cadence import (
    ReviewPolicy,
    months_after,
    review_dates,
    review_status,
    site_review_dates_recompute,
    utc_today,
)
from articles.models import ArticlePage, HealthContentSettings
from tests.api.conftest import get_json
from tests.factories import (
    ArticleIndexPageFactory,
    ArticlePageFactory,
    ReviewerFactory,
    byline,
    publish,
)

pytestmark = pytest.mark.django_db


def clinical(journal, reviewed_at: date, **fields) -> ArticlePage:
    article = ArticlePageFactory(
        parent=journal,
        medical_reviewer=ReviewerFactory(),
        medical_reviewed_at=reviewed_at,
        **fields,
    )
    byline(article, ReviewerFactory())
    return publish(article)


class TestDueDate:
    def test_months_are_calendar_months_and_a_long_month_end_is_clamped(self):
        assert months_after(date(2026, 3, 15), 12) == date(2027, 3, 15)
        assert months_after(date(2026, 11, 30), 3) == date(2027, 2, 28)
        assert months_after(date(2027, 8, 31), 6) == date(2028, 2, 29)
        assert months_after(date(2026, 1, 31), 1) == date(2026, 2, 28)

    def test_the_due_soon_window_opens_the_sites_days_before(self):
        due, soon = review_dates(
            date(2026, 3, 15), interval_months=None, policy=ReviewPolicy(12, 30)
        )
        assert (due, soon) == (date(2027, 3, 15), date(2027, 2, 13))
        due, soon = review_dates(date(2026, 3, 15), interval_months=6, policy=ReviewPolicy(12, 7))
        assert (due, soon) == (date(2026, 9, 15), date(2026, 9, 8))

    def test_saving_uses_the_sites_default_when_no_settings_were_saved(self, journal):
        article = clinical(journal, date(2026, 1, 10))

        assert article.next_review_due == date(2027, 1, 10)
        assert article.review_due_soon_from == date(2026, 12, 11)

    def test_saving_uses_the_sites_settings_and_the_articles_own_interval(self, journal):
        site = Site.objects.get(is_default_site=True)
        HealthContentSettings.objects.create(site=site, review_interval_months=6, due_soon_days=14)

        default = clinical(journal, date(2026, 1, 10))
        own = clinical(journal, date(2026, 1, 10), review_interval_months=24)

        assert (default.next_review_due, default.review_due_soon_from) == (
            date(2026, 7, 10),
            date(2026, 6, 26),
        )
        assert (own.next_review_due, own.review_due_soon_from) == (
            date(2028, 1, 10),
            date(2027, 12, 27),
        )

    def test_a_new_review_date_moves_the_due_date_and_no_reviewer_clears_it(self, journal):
        article = clinical(journal, date(2026, 1, 10))
        article.medical_reviewed_at = date(2026, 6, 1)
        publish(article)
        assert article.next_review_due == date(2027, 6, 1)

        article.medical_reviewer = None
        article.medical_reviewed_at = None
        publish(article)
        assert (article.next_review_due, article.review_due_soon_from) == (None, None)

    def test_a_save_of_only_the_review_fields_writes_the_dates_too(self, journal):
        article = clinical(journal, date(2026, 1, 10))
        article.review_interval_months = 3
        article.save(update_fields=["review_interval_months"])

        article.refresh_from_db()
        assert article.next_review_due == date(2026, 4, 10)


class TestStatusAtTheBoundaries:
    DUE = date(2027, 3, 15)
    SOON = date(2027, 2, 13)

    @pytest.mark.parametrize(
        ("today", "status"),
        [
            (date(2027, 2, 12), "current"),  # the day before the window opens
            (date(2027, 2, 13), "due_soon"),  # the window's first day
            (date(2027, 3, 14), "due_soon"),  # the last day before the due date
            (date(2027, 3, 15), "overdue"),  # the due date itself
            (date(2028, 1, 1), "overdue"),
        ],
    )
    def test_status_on_each_side_of_each_boundary(self, today, status):
        assert review_status(self.DUE, self.SOON, today) == status

    def test_days_are_utc_days(self):
        from datetime import datetime
        from zoneinfo import ZoneInfo

        # 23:30 on the 14th in New York is already the 15th in UTC: overdue.
        evening = datetime(2027, 3, 14, 23, 30, tzinfo=ZoneInfo("America/New_York"))
        assert utc_today(evening) == date(2027, 3, 15)
        assert review_status(self.DUE, self.SOON, utc_today(evening)) == "overdue"
        just_before = datetime(2027, 3, 14, 23, 59, 59, tzinfo=UTC)
        assert review_status(self.DUE, self.SOON, utc_today(just_before)) == "due_soon"


class TestSitePolicyChange:
    def test_changing_the_sites_default_recomputes_its_articles_only(self, journal):
        site = Site.objects.get(is_default_site=True)
        follows = clinical(journal, date(2026, 1, 10))
        own = clinical(journal, date(2026, 1, 10), review_interval_months=24)
        other_journal = ArticleIndexPageFactory(parent=Page.get_first_root_node())
        Site.objects.create(hostname="other.example", root_page=other_journal, site_name="Other")
        elsewhere = clinical(other_journal, date(2026, 1, 10))
        own_revision = own.latest_revision_id

        settings = HealthContentSettings.for_site(site)
        settings.review_interval_months = 3
        settings.due_soon_days = 10
        settings.save()

        for article in (follows, own, elsewhere):
            article.refresh_from_db()
        assert (follows.next_review_due, follows.review_due_soon_from) == (
            date(2026, 4, 10),
            date(2026, 3, 31),
        )
        # The article's own interval stands; only the window moved.
        assert (own.next_review_due, own.review_due_soon_from) == (
            date(2028, 1, 10),
            date(2027, 12, 31),
        )
        assert elsewhere.next_review_due == date(2027, 1, 10)
        # Nothing else about the article changed: no new revision, still live.
        assert own.latest_revision_id == own_revision and own.live

    def test_a_save_that_leaves_the_policy_alone_rewrites_nothing(self, journal):
        from decimal import Decimal

        article = clinical(journal, date(2026, 1, 10))
        marker = date(2030, 1, 1)  # no computation gives this: it shows whether a rewrite ran
        ArticlePage.objects.filter(pk=article.pk).update(next_review_due=marker)
        settings = HealthContentSettings.for_site(Site.objects.get(is_default_site=True))
        settings.reading_grade_target = Decimal("7.0")
        settings.save()
        article.refresh_from_db()
        assert article.next_review_due == marker

        settings.due_soon_days = 20
        settings.save()
        article.refresh_from_db()
        assert (article.next_review_due, article.review_due_soon_from) == (
            date(2027, 1, 10),
            date(2026, 12, 21),
        )

    def test_the_recompute_works_in_batches_and_misses_none(self, journal):
        articles = [clinical(journal, date(2026, 1, day)) for day in range(1, 8)]
        site = Site.objects.get(is_default_site=True)
        HealthContentSettings.objects.filter(site=site).delete()
        HealthContentSettings.objects.bulk_create(
            [HealthContentSettings(site=site, review_interval_months=2, due_soon_days=5)]
        )  # no save(): the receiver does not run, the recompute below does

        assert site_review_dates_recompute(site, batch=2) == 7
        assert site_review_dates_recompute(site, batch=2) == 0  # nothing left to move
        for day, article in enumerate(articles, start=1):
            article.refresh_from_db()
            assert article.next_review_due == date(2026, 3, day)


class TestTheApi:
    def test_medical_review_carries_the_due_date_and_the_status(self, journal):
        api = Client(HTTP_HOST="localhost")
        today = utc_today()
        recent = clinical(journal, today - timedelta(days=10))
        soon = clinical(journal, today - timedelta(days=10), review_interval_months=1)
        late = clinical(journal, today - timedelta(days=400))
        unreviewed = publish(ArticlePageFactory(parent=journal))

        shapes = {
            article: get_json(api, f"/api/v1/articles/{article.slug}/")["medical_review"]
            for article in (recent, soon, late, unreviewed)
        }

        assert shapes[recent]["status"] == "current"
        assert shapes[soon]["status"] == "due_soon"
        assert shapes[late]["status"] == "overdue"
        assert shapes[unreviewed] is None
        due = months_after(today - timedelta(days=10), 12)
        assert shapes[recent]["next_review_due"] == f"{due.isoformat()}T00:00:00Z"
        assert set(shapes[recent]) == {"reviewer", "reviewed_at", "next_review_due", "status"}


class TestCachedStatus:
    def test_the_next_status_change_is_a_schedule_boundary(self, journal):
        from datetime import UTC, datetime

        from api.delivery.caching import NO_BOUNDARY, _next_schedule_boundary

        now = datetime.now(UTC)
        assert _next_schedule_boundary(now) == NO_BOUNDARY
        # Reviewed a year less 20 days ago: due soon already, overdue in about 20 days.
        article = clinical(journal, utc_today() - timedelta(days=345))
        due = article.next_review_due
        assert article.review_due_soon_from <= utc_today() < due

        # The cached detail goes stale at the start of the due day (UTC), when it turns overdue.
        assert (
            _next_schedule_boundary(now)
            == datetime(due.year, due.month, due.day, tzinfo=UTC).timestamp()
        )
        # Another turning due soon in about 10 days comes first.
        soon = clinical(journal, utc_today() - timedelta(days=325))
        start = soon.review_due_soon_from
        assert utc_today() < start < due
        assert (
            _next_schedule_boundary(now)
            == datetime(start.year, start.month, start.day, tzinfo=UTC).timestamp()
        )
