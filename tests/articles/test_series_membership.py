"""Series keep the editor's order, and an article belongs to one series at most."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.models import Series, SeriesMember
from tests.factories import ArticlePageFactory, SeriesFactory, series_with_members

pytestmark = pytest.mark.django_db


def member_titles(series: Series) -> list[str]:
    return [member.article.title for member in series.members.all()]


class TestSeriesOrder:
    def test_members_come_back_in_the_editors_order_not_creation_order(self, journal):
        first, second, third = (ArticlePageFactory(parent=journal) for _ in range(3))
        series = SeriesFactory()
        # Created out of order on purpose: the order must come from sort_order, not from ids.
        SeriesMember.objects.create(series=series, article=third, sort_order=2)
        SeriesMember.objects.create(series=series, article=first, sort_order=0)
        SeriesMember.objects.create(series=series, article=second, sort_order=1)

        assert member_titles(Series.objects.get(pk=series.pk)) == [
            first.title,
            second.title,
            third.title,
        ]

    def test_reordering_and_publishing_a_revision_changes_the_live_order(self, journal):
        a, b, c = (ArticlePageFactory(parent=journal) for _ in range(3))
        series = series_with_members(a, b, c)

        members = list(series.members.all())
        for member, position in zip(members, (2, 0, 1), strict=True):
            member.sort_order = position
        series.members.set(members)
        series.save_revision().publish()

        assert member_titles(Series.objects.get(pk=series.pk)) == [b.title, c.title, a.title]

    def test_a_saved_draft_reorder_leaves_the_live_order_alone(self, journal):
        a, b = (ArticlePageFactory(parent=journal) for _ in range(2))
        series = series_with_members(a, b)

        members = list(series.members.all())
        members[0].sort_order, members[1].sort_order = 1, 0
        series.members.set(members)
        series.save_revision()  # a draft: not published

        assert member_titles(Series.objects.get(pk=series.pk)) == [a.title, b.title]
        assert Series.objects.get(pk=series.pk).has_unpublished_changes


class TestOneSeriesPerArticle:
    def test_validation_names_the_series_that_already_holds_the_article(self, journal):
        article = ArticlePageFactory(parent=journal, title="Ketamine and depression")
        series_with_members(article, title="New frontiers")
        other = SeriesFactory(title="Mood")

        member = SeriesMember(series=other, article=article, sort_order=0)
        with pytest.raises(ValidationError) as excinfo:
            member.full_clean()

        message = " ".join(excinfo.value.message_dict["article"])
        assert "Ketamine and depression" in message
        assert "New frontiers" in message
        assert "one series only" in message

    def test_the_database_refuses_a_second_series_too(self, journal):
        article = ArticlePageFactory(parent=journal)
        series_with_members(article)
        other = SeriesFactory()

        with pytest.raises(IntegrityError), transaction.atomic():
            SeriesMember.objects.create(series=other, article=article, sort_order=0)

    def test_the_same_series_may_keep_its_own_article(self, journal):
        article = ArticlePageFactory(parent=journal)
        series = series_with_members(article)

        SeriesMember.objects.get(series=series, article=article).full_clean()
