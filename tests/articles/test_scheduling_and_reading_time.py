"""Scheduled go-live and expiry run by publish_scheduled; reading time follows the body."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import ArticlePage
from articles.models.pages import WORDS_PER_MINUTE, reading_time_for
from tests.factories import ArticlePageFactory, paragraph_body, publish, words

pytestmark = pytest.mark.django_db


def run_scheduler():
    call_command("run_scheduler", "--once", verbosity=0)


class TestScheduledPublishing:
    def test_an_article_scheduled_for_later_stays_unpublished_until_its_time(self, journal):
        article = ArticlePageFactory(parent=journal, live=False)
        article.go_live_at = timezone.now() + timedelta(hours=2)

        publish(article)

        assert not article.live
        assert article.scheduled_revision is not None
        run_scheduler()
        article.refresh_from_db()
        assert not article.live

    def test_the_scheduler_publishes_it_once_go_live_has_passed(self, journal):
        article = ArticlePageFactory(parent=journal, live=False)
        article.go_live_at = timezone.now() + timedelta(hours=2)
        publish(article)
        # Time passes: the go-live moment, in the revision and its approval, is now behind us.
        revision = article.scheduled_revision
        past = timezone.now() - timedelta(minutes=1)
        revision.content["go_live_at"] = past.isoformat()
        revision.approved_go_live_at = past
        revision.save(update_fields=["content", "approved_go_live_at"])

        run_scheduler()

        article.refresh_from_db()
        assert article.live
        assert article.first_published_at is not None

    def test_the_scheduler_unpublishes_an_article_past_its_expiry(self, journal):
        article = ArticlePageFactory(parent=journal)
        publish(article)
        ArticlePage.objects.filter(pk=article.pk).update(
            expire_at=timezone.now() - timedelta(seconds=1)
        )

        run_scheduler()

        article.refresh_from_db()
        assert not article.live
        assert article.expired


class TestReadingTime:
    @pytest.mark.parametrize(
        ("word_count", "minutes"),
        [
            (0, 1),
            (1, 1),
            (WORDS_PER_MINUTE, 1),
            (WORDS_PER_MINUTE + 1, 2),
            (WORDS_PER_MINUTE * 5, 5),
        ],
    )
    def test_minutes_round_up_and_are_never_zero(self, word_count, minutes):
        assert reading_time_for(word_count) == minutes

    def test_saving_counts_the_words_of_every_kind_of_block(self, journal):
        body = [
            ("heading", {"text": words(10), "level": "h2", "anchor": ""}),
            ("paragraph", f"<p>{words(200)}</p>"),
            ("quote", {"quote": words(30), "attribution": ""}),
            ("callout", {"kind": "note", "title": "", "body": f"<p>{words(20)}</p>"}),
            ("list", {"style": "ordered", "items": [words(5), words(5)]}),
        ]
        article = ArticlePageFactory(parent=journal, body=body)

        assert article.body_word_count() == 270
        assert article.reading_time_minutes == 2

    def test_publishing_a_longer_revision_updates_the_stored_reading_time(self, journal):
        article = ArticlePageFactory(parent=journal, body=paragraph_body(100))
        assert article.reading_time_minutes == 1

        article.body = paragraph_body(WORDS_PER_MINUTE * 3)
        publish(article)

        assert ArticlePage.objects.get(pk=article.pk).reading_time_minutes == 3
