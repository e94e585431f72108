"""Series reading order, positions and totals: hidden and draft members, reordering, filter."""

# ruff: noqa: F811  (the journal, journal_with_series and shared fixtures come from series_support)

import pytest

from articles.models import SeriesMember
from tests.api.conftest import error_of, get_json
from tests.api.series_support import (  # noqa: F401
    DRINK_ORDER,
    EDITOR_ORDER,
    HIDERS,
    MEMBER_DAYS,
    ROW_CREATION_ORDER,
    detail,
    follow_pages,
    journal,
    journal_with_series,
    list_series_fields,
    member_slugs,
    publish_order,
    series_detail,
    series_ref,
    shared,
    walk,
)
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


class TestSeriesDetailOrder:
    def test_the_fixture_order_differs_from_every_other_order(self, journal_with_series):
        by_day = sorted(MEMBER_DAYS, key=MEMBER_DAYS.get)

        assert EDITOR_ORDER not in (
            list(MEMBER_DAYS),
            by_day,
            by_day[::-1],
            sorted(MEMBER_DAYS),
            ROW_CREATION_ORDER,
        )

    def test_members_come_in_the_editors_order(self, api, journal_with_series):
        assert member_slugs(api) == EDITOR_ORDER

    def test_positions_run_from_one_to_n_without_gaps(self, api, journal_with_series):
        members = series_detail(api)["articles"]

        assert [member["series"] for member in members] == [
            series_ref(position, 5) for position in range(1, 6)
        ]

    def test_article_count_on_detail_and_list(self, api, journal_with_series):
        listed = get_json(api, "/api/v1/series/")["results"]

        assert series_detail(api)["article_count"] == 5
        assert {s["slug"]: s["article_count"] for s in listed} == {
            "eating-well": 5,
            "warm-drinks": 2,
        }


class TestSeriesFieldAgreesEverywhere:
    def test_list_summary_detail_and_series_member_carry_the_same_series(
        self, api, journal_with_series
    ):
        listed = list_series_fields(api)
        members = {m["slug"]: m["series"] for m in series_detail(api)["articles"]}

        for position, name in enumerate(EDITOR_ORDER, start=1):
            expected = series_ref(position, 5)
            assert listed[name] == expected, name
            assert detail(api, name)["series"] == expected, name
            assert members[name] == expected, name

    def test_each_series_numbers_its_own_members(self, api, journal_with_series):
        listed = list_series_fields(api)
        drinks = {"slug": "warm-drinks", "title": "Warm drinks"}

        assert listed["soup"] == series_ref(1, 2, drinks)
        assert listed["tea"] == series_ref(2, 2, drinks)

    def test_an_article_outside_any_series_has_none(self, api, journal_with_series):
        assert list_series_fields(api)["loner"] is None
        assert detail(api, "loner")["series"] is None


@pytest.mark.parametrize("hide", HIDERS.values(), ids=HIDERS.keys())
class TestHiddenMemberClosesTheGap:
    """Hiding the middle member ("dates", position 3) renumbers the rest 1..4 of 4."""

    VISIBLE = ["oats", "kale", "broth", "figs"]

    @pytest.fixture
    def hidden(self, journal_with_series, hide):
        hide(journal_with_series.articles["dates"])
        return journal_with_series

    def test_series_detail_numbers_the_visible_members_without_a_gap(self, api, hidden):
        members = series_detail(api)["articles"]

        assert [member["slug"] for member in members] == self.VISIBLE
        assert [member["series"] for member in members] == [
            series_ref(position, 4) for position in range(1, 5)
        ]

    def test_counts_only_the_visible_members(self, api, hidden):
        listed = get_json(api, "/api/v1/series/")["results"]

        assert series_detail(api)["article_count"] == 4
        assert {s["slug"]: s["article_count"] for s in listed}["eating-well"] == 4

    def test_summaries_and_details_give_the_new_positions(self, api, hidden):
        listed = list_series_fields(api)

        assert "dates" not in listed
        for position, name in enumerate(self.VISIBLE, start=1):
            assert listed[name] == series_ref(position, 4), name
            assert detail(api, name)["series"] == series_ref(position, 4), name

    def test_series_filter_gives_the_same_order_and_positions(self, api, hidden):
        results = get_json(api, "/api/v1/articles/", series="eating-well")["results"]

        assert [item["slug"] for item in results] == self.VISIBLE
        assert [item["series"]["position"] for item in results] == [1, 2, 3, 4]

    def test_series_navigation_steps_over_it(self, api, hidden):
        assert detail(api, "kale")["navigation"]["series"]["next"]["slug"] == "broth"
        assert detail(api, "broth")["navigation"]["series"]["previous"]["slug"] == "kale"
        assert walk(api, "oats", "series", "next") == self.VISIBLE

    def test_its_detail_is_not_found(self, api, hidden):
        error_of(api, "/api/v1/articles/dates/", 404)


class TestDraftMemberIsNotCounted:
    @pytest.fixture
    def with_draft(self, journal_with_series, journal):
        draft = ArticlePageFactory(parent=journal, live=False, title="Draft guide", slug="draft")
        draft.save_revision()
        # Between kale (20) and dates (35) in the editor's order.
        SeriesMember.objects.create(series=journal_with_series.series, article=draft, sort_order=30)
        return journal_with_series

    def test_positions_and_totals_ignore_it(self, api, with_draft):
        members = series_detail(api)["articles"]

        assert [member["slug"] for member in members] == EDITOR_ORDER
        assert [member["series"] for member in members] == [
            series_ref(position, 5) for position in range(1, 6)
        ]
        assert series_detail(api)["article_count"] == 5
        assert list_series_fields(api)["dates"] == series_ref(3, 5)

    def test_series_navigation_steps_over_it(self, api, with_draft):
        assert detail(api, "kale")["navigation"]["series"]["next"]["slug"] == "dates"
        assert detail(api, "dates")["navigation"]["series"]["previous"]["slug"] == "kale"


class TestReordering:
    NEW_ORDER = ["dates", "figs", "oats", "broth", "kale"]

    def test_publishing_a_reordered_revision_changes_the_series_order(
        self, api, journal_with_series
    ):
        assert member_slugs(api) == EDITOR_ORDER

        publish_order(journal_with_series.series, self.NEW_ORDER, journal_with_series.articles)

        members = series_detail(api)["articles"]
        assert [member["slug"] for member in members] == self.NEW_ORDER
        assert [member["series"]["position"] for member in members] == [1, 2, 3, 4, 5]

    def test_the_list_positions_filter_and_navigation_follow_the_new_order(
        self, api, journal_with_series
    ):
        assert list_series_fields(api)["oats"] == series_ref(1, 5)

        publish_order(journal_with_series.series, self.NEW_ORDER, journal_with_series.articles)

        listed = list_series_fields(api)
        for position, name in enumerate(self.NEW_ORDER, start=1):
            assert listed[name] == series_ref(position, 5), name
        filtered = get_json(api, "/api/v1/articles/", series="eating-well")["results"]
        assert [item["slug"] for item in filtered] == self.NEW_ORDER
        navigation = detail(api, "oats")["navigation"]["series"]
        assert navigation["previous"]["slug"] == "figs"
        assert navigation["next"]["slug"] == "broth"
        assert walk(api, "dates", "series", "next") == self.NEW_ORDER

    def test_a_saved_but_unpublished_reorder_changes_nothing(self, api, journal_with_series):
        series = journal_with_series.series
        members = {member.article_id: member for member in series.members.all()}
        ordered = [members[journal_with_series.articles[name].pk] for name in self.NEW_ORDER]
        for position, member in enumerate(ordered):
            member.sort_order = position
        series.members.set(ordered)
        series.save_revision()  # a draft, not published

        assert member_slugs(api) == EDITOR_ORDER
        assert list_series_fields(api)["oats"] == series_ref(1, 5)


class TestSeriesFilter:
    def test_lists_the_members_in_series_order(self, api, journal_with_series):
        results = get_json(api, "/api/v1/articles/", series="eating-well")["results"]

        assert [item["slug"] for item in results] == EDITOR_ORDER
        assert [item["series"] for item in results] == [
            series_ref(position, 5) for position in range(1, 6)
        ]

    def test_gives_the_same_summaries_as_the_series_detail(self, api, journal_with_series):
        results = get_json(api, "/api/v1/articles/", series="eating-well")["results"]

        assert results == series_detail(api)["articles"]

    def test_paging_through_keeps_the_series_order(self, api, journal_with_series):
        items = follow_pages(api, "/api/v1/articles/", series="eating-well", limit=2)

        assert [item["slug"] for item in items] == EDITOR_ORDER
        assert [item["series"]["position"] for item in items] == [1, 2, 3, 4, 5]

    def test_the_other_series_is_not_mixed_in(self, api, journal_with_series):
        results = get_json(api, "/api/v1/articles/", series="warm-drinks")["results"]

        assert [item["slug"] for item in results] == DRINK_ORDER
