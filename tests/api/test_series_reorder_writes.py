"""Reordering a series logs the articles whose series placement changed, each once (issue 17).

Regression: a reorder of N articles used to write about N² sync change rows, every member
logging the whole series on each of the N member saves, and the whole series once more when
the series was published.
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from api.models import ArticleChange
from articles.models import ArticlePage, Series, SeriesMember
from tests.api.conftest import EPOCH
from tests.api.sync_support import reorder
from tests.factories import ArticlePageFactory, series_with_members

pytestmark = pytest.mark.django_db

SIZE = 50


@pytest.fixture
def fifty(journal) -> list[ArticlePage]:
    """Fifty published articles, in a published series in that order.

    Saved as live pages with publication dates, without revisions: what the API shows, at a
    fraction of the cost of publishing fifty articles for every test.
    """
    articles = [
        ArticlePageFactory(
            parent=journal,
            slug=f"part-{n}",
            first_published_at=EPOCH + timedelta(days=n),
            last_published_at=EPOCH + timedelta(days=n),
        )
        for n in range(1, SIZE + 1)
    ]
    series_with_members(*articles, slug="fifty")
    return articles


def fifty_series() -> Series:
    return Series.objects.get(slug="fifty")


class Logged:
    """The change rows written inside the block, by article."""

    def __enter__(self):
        self.after = ArticleChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
        return self

    def __exit__(self, *exc):
        self.rows = list(
            ArticleChange.objects.filter(id__gt=self.after).values_list("article_id", flat=True)
        )
        self.per_article = Counter(self.rows)


def ids(articles) -> set[int]:
    return {article.pk for article in articles}


def moved(articles: list, source: int, target: int) -> list:
    """The list with the item at position `source` moved to position `target` (1-based)."""
    order = list(articles)
    order.insert(target - 1, order.pop(source - 1))
    return order


def swapped(articles: list, first: int, second: int) -> list:
    order = list(articles)
    order[first - 1], order[second - 1] = order[second - 1], order[first - 1]
    return order


def admin_publish(client, series: Series, articles: list[ArticlePage]):
    """Publish the series in the snippet editor with its members in this order.

    As the editor's drag and drop does: the rows stay where the page rendered them, their
    ORDER fields are renumbered from 1 in the new order, and a row taken out is deleted.
    """
    position = {article.pk: n for n, article in enumerate(articles, start=1)}
    rows = [
        {"id": member.pk, "article": member.article_id, "ORDER": str(position[member.article_id])}
        if member.article_id in position
        else {"id": member.pk, "article": member.article_id, "ORDER": "", "DELETE": "1"}
        for member in series.members.all()
    ]
    data = nested_form_data(
        {
            "title": series.title,
            "slug": series.slug,
            "description": series.description,
            "image": "",
            "members": inline_formset(rows, initial=len(rows)),
            "action-publish": "publish",
        }
    )
    response = client.post(reverse("wagtailsnippets_articles_series:edit", args=(series.pk,)), data)
    assert response.status_code == 302, response.context["form"].errors
    assert [m.article_id for m in fifty_series().members.all()] == [a.pk for a in articles]


class TestReorderPublishedFromARevision:
    """As `reorder` does: members reordered in memory, saved as a revision and published."""

    def test_moving_the_last_article_first_logs_each_member_once(self, fifty):
        with Logged() as logged:
            reorder(fifty_series(), moved(fifty, SIZE, 1))

        # Every position moved up by one: all fifty, and each exactly once.
        assert set(logged.per_article) == ids(fifty)
        assert max(logged.per_article.values()) == 1
        assert len(logged.rows) == SIZE

    def test_swapping_two_neighbours_logs_them_and_their_outer_neighbours(self, fifty):
        with Logged() as logged:
            reorder(fifty_series(), swapped(fifty, 25, 26))

        assert sorted(logged.rows) == sorted(ids(fifty[23:27]))  # parts 24 to 27

    def test_swapping_distant_members_leaves_the_ones_between_alone(self, fifty):
        with Logged() as logged:
            reorder(fifty_series(), swapped(fifty, 10, 40))

        # The two, and the neighbours each had and now has; parts 12 to 38 keep their places.
        expected = ids([fifty[i - 1] for i in (9, 10, 11, 39, 40, 41)])
        assert sorted(logged.rows) == sorted(expected)

    def test_republishing_the_same_order_logs_nothing(self, fifty):
        with Logged() as logged:
            reorder(fifty_series(), fifty)

        assert logged.rows == []


class TestReorderInTheSnippetEditor:
    """The real admin flow: the series editor posted with the new order, and published."""

    def test_moving_the_last_article_first_logs_each_member_once(self, client, editor, fifty):
        client.force_login(editor)
        with Logged() as logged:
            admin_publish(client, fifty_series(), moved(fifty, SIZE, 1))

        assert set(logged.per_article) == ids(fifty)
        assert len(logged.rows) == SIZE

    def test_swapping_two_neighbours_logs_at_most_four_rows(self, client, editor, fifty):
        client.force_login(editor)
        with Logged() as logged:
            admin_publish(client, fifty_series(), swapped(fifty, 25, 26))

        assert sorted(logged.rows) == sorted(ids(fifty[23:27]))

    def test_renaming_the_series_logs_every_member_once(self, client, editor, fifty):
        series = fifty_series()
        series.title = "Fifty, renamed"
        client.force_login(editor)
        with Logged() as logged:
            admin_publish(client, series, fifty)

        # Every summary shows the series' title.
        assert sorted(logged.rows) == sorted(ids(fifty))

    def test_removing_a_member_logs_it_and_every_member_whose_total_changed(
        self, client, editor, fifty
    ):
        client.force_login(editor)
        with Logged() as logged:
            admin_publish(client, fifty_series(), fifty[:-1])

        assert sorted(logged.rows) == sorted(ids(fifty))


class TestMemberRowsWrittenOneByOne:
    """Member rows saved or deleted on their own, outside a series save."""

    def test_one_member_moved_by_its_own_save_logs_the_four_affected(self, fifty):
        member = SeriesMember.objects.get(article=fifty[2])  # part 3, sort_order 2
        member.sort_order = 4  # past part 4 (3), tied with part 5, whose row is newer

        with Logged() as logged:
            member.save()

        assert sorted(logged.rows) == sorted(ids(fifty[1:5]))  # parts 2 to 5

    def test_one_member_deleted_on_its_own_logs_every_member(self, fifty):
        with Logged() as logged:
            SeriesMember.objects.get(article=fifty[9]).delete()

        # It left, and every other member's total went from fifty to forty-nine.
        assert sorted(logged.rows) == sorted(ids(fifty))

    def test_deleting_the_series_logs_each_member_once(self, fifty):
        with Logged() as logged:
            fifty_series().delete()

        assert sorted(logged.rows) == sorted(ids(fifty))


class TestPlacementsAsEachClientSeesThem:
    def test_a_reorder_no_reader_can_see_logs_nothing(self, make_article, journal):
        from tests.api.sync_support import draft

        first, second = make_article(slug="first"), make_article(slug="second")
        hidden = draft(journal, slug="hidden")
        series = series_with_members(first, hidden, second)

        with Logged() as logged:
            reorder(series, [first, second, hidden])  # readers still see first, second

        assert logged.rows == []

    def test_a_move_only_partners_notice_is_logged(self, make_article):
        # Anonymous readers see all five; partners do not see the unsyndicated last one.
        w, a, y, b = (make_article(slug=s) for s in ("w", "a", "y", "b"))
        v = make_article(slug="v", syndication_allowed=False)
        series = series_with_members(w, a, y, b, v)

        with Logged() as logged:
            reorder(series, [v, a, y, b, w])

        # For anonymous readers y stays third between a and b; partners now count it second.
        assert y.pk in logged.per_article
        assert max(logged.per_article.values()) == 1
