"""Series reading order, positions and totals, and the detail's navigation links.

The fixture makes the editor's series order differ from creation order, publication order,
title order and the order the member rows were written, and gives the rows gapped sort_order
values (as deleting a member leaves them), so only the editor's order can pass.

Publishing those articles is most of the cost of these tests, so the fixture's data is built
once for the module, in an outer transaction rolled back at its end; each test runs in a
savepoint inside it (pytest-django), so what a test changes (hiding, reordering, adding) is
undone after it, and each test gets fresh copies of the pages and series to work on.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from articles.models import ArticleIndexPage, ArticlePage, Series, SeriesMember
from tests.api.conftest import EPOCH, ArticleMaker, error_of, get_json, rolled_back
from tests.factories import (
    ArticleIndexPageFactory,
    ArticlePageFactory,
    SeriesFactory,
    series_with_members,
)

pytestmark = pytest.mark.django_db

# name: publication day after EPOCH, in creation order (so also in id order).
MEMBER_DAYS = {"kale": 5, "broth": 1, "oats": 4, "figs": 2, "dates": 3}
EDITOR_ORDER = ["oats", "kale", "dates", "broth", "figs"]
# Gapped on purpose, and written in yet another order below.
SORT_ORDER = {"oats": 10, "kale": 20, "dates": 35, "broth": 36, "figs": 90}
ROW_CREATION_ORDER = ["figs", "kale", "broth", "oats", "dates"]
OUTSIDER_DAY = 6
# A second series, published after everything else, in reverse publication order.
DRINK_DAYS = {"tea": 7, "soup": 8}
DRINK_ORDER = ["soup", "tea"]
PUBLICATION_ORDER = ["broth", "figs", "dates", "oats", "kale", "loner", "tea", "soup"]

SERIES = {"slug": "eating-well", "title": "Eating well"}
LINK_KEYS = {"id", "slug", "title", "url", "api_url"}


@dataclass
class Journal:
    articles: dict[str, ArticlePage]
    series: Series
    drinks: Series


# The data is built once, outside any test (the fixtures of tests/conftest.py and
# tests/api/conftest.py are per test, so their equivalents are here).


def new_journal() -> ArticleIndexPage:
    """As the `journal` fixture: the journal as the root page of the default site."""
    root = Page.get_first_root_node()
    index = ArticleIndexPageFactory(parent=root, title="Folio Health", slug="folio-health")
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": index, "site_name": "Folio"},
    )
    return index


@dataclass
class Shared:
    journal: ArticleIndexPage
    data: Journal


def build_journal_with_series() -> Shared:
    journal = new_journal()
    make_article = ArticleMaker(journal)
    articles = {
        name: make_article(title=f"{name.title()} guide", slug=name, days=day)
        for name, day in MEMBER_DAYS.items()
    }
    series = SeriesFactory(**SERIES)
    for name in ROW_CREATION_ORDER:
        SeriesMember.objects.create(
            series=series, article=articles[name], sort_order=SORT_ORDER[name]
        )
    articles["loner"] = make_article(title="Loner guide", slug="loner", days=OUTSIDER_DAY)
    for name, day in DRINK_DAYS.items():
        articles[name] = make_article(title=f"{name.title()} guide", slug=name, days=day)
    drinks = series_with_members(
        *(articles[name] for name in DRINK_ORDER), title="Warm drinks", slug="warm-drinks"
    )
    return Shared(journal, Journal(articles, series, drinks))


@pytest.fixture(scope="module")
def shared(django_db_setup, django_db_blocker) -> Iterator[Shared]:
    """The module's data, built once before the first test's savepoint and rolled back after."""
    with rolled_back(django_db_blocker):
        with django_db_blocker.unblock(), disable_reference_index_auto_update():
            data = build_journal_with_series()
        yield data


@pytest.fixture
def journal(shared) -> ArticleIndexPage:
    """The shared journal (the default site's root), fresh from the database."""
    return ArticleIndexPage.objects.get(pk=shared.journal.pk)


@pytest.fixture
def journal_with_series(shared, journal) -> Journal:
    """Fresh copies of the shared articles and series, for a test to change as it likes."""
    built = shared.data
    fresh = ArticlePage.objects.in_bulk([article.pk for article in built.articles.values()])
    return Journal(
        {name: fresh[article.pk] for name, article in built.articles.items()},
        Series.objects.get(pk=built.series.pk),
        Series.objects.get(pk=built.drinks.pk),
    )


# Ways a member stops being visible.


def unpublish(article: ArticlePage) -> None:
    article.unpublish()


def expire(article: ArticlePage) -> None:
    ArticlePage.objects.filter(pk=article.pk).update(
        expire_at=timezone.now() - timedelta(minutes=5)
    )


def delay_go_live(article: ArticlePage) -> None:
    ArticlePage.objects.filter(pk=article.pk).update(go_live_at=timezone.now() + timedelta(days=3))


def restrict_to_logged_in(article: ArticlePage) -> None:
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)


def restrict_by_password(article: ArticlePage) -> None:
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )


def delete(article: ArticlePage) -> None:
    """Deleting an article deletes its member row, leaving a gap in the sort_order values."""
    article.delete()


HIDERS = {
    "unpublished": unpublish,
    "expired": expire,
    "future-go-live": delay_go_live,
    "login": restrict_to_logged_in,
    "password": restrict_by_password,
    "deleted": delete,
}


# Reading the API.


def detail(api, slug: str) -> dict:
    return get_json(api, f"/api/v1/articles/{slug}/")


def series_detail(api, slug: str = "eating-well") -> dict:
    return get_json(api, f"/api/v1/series/{slug}/")


def member_slugs(api, slug: str = "eating-well") -> list[str]:
    return [member["slug"] for member in series_detail(api, slug)["articles"]]


def list_series_fields(api) -> dict[str, dict | None]:
    results = get_json(api, "/api/v1/articles/", limit=100)["results"]
    return {item["slug"]: item["series"] for item in results}


def series_ref(position: int, total: int, series: dict = SERIES) -> dict:
    return {**series, "position": position, "total": total}


def walk(api, start: str, *steps: str) -> list[str]:
    """Slugs met following navigation[steps...] from `start` until the link is null."""
    seen = [start]
    while True:
        link = detail(api, seen[-1])["navigation"]
        for step in steps:
            link = link[step] if link is not None else None
        if link is None:
            return seen
        seen.append(link["slug"])
        assert len(seen) <= 50, "navigation loops"


def follow_pages(api, path: str, **params) -> list[dict]:
    """Every item of a list, following its `next` links."""
    items, body = [], get_json(api, path, **params)
    while True:
        items += body["results"]
        if not body["next"]:
            return items
        query = parse_qs(urlparse(body["next"]).query)
        body = get_json(api, path, **{name: values[0] for name, values in query.items()})
        assert len(items) <= 1000


def publish_order(series: Series, names: list[str], articles: dict[str, ArticlePage]) -> None:
    """Reorder the members as the admin does and publish the series revision."""
    members = {member.article_id: member for member in series.members.all()}
    ordered = [members[articles[name].pk] for name in names]
    for position, member in enumerate(ordered):
        member.sort_order = position
    series.members.set(ordered)
    series.save_revision().publish()


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


class TestSeriesNavigation:
    def test_next_links_walk_the_editors_order(self, api, journal_with_series):
        assert walk(api, EDITOR_ORDER[0], "series", "next") == EDITOR_ORDER

    def test_previous_links_walk_it_backwards(self, api, journal_with_series):
        assert walk(api, EDITOR_ORDER[-1], "series", "previous") == EDITOR_ORDER[::-1]

    def test_null_at_both_ends(self, api, journal_with_series):
        first = detail(api, EDITOR_ORDER[0])["navigation"]["series"]
        last = detail(api, EDITOR_ORDER[-1])["navigation"]["series"]

        assert first["previous"] is None
        assert first["next"] is not None
        assert last["next"] is None
        assert last["previous"] is not None

    def test_links_stay_inside_their_own_series(self, api, journal_with_series):
        assert walk(api, "soup", "series", "next") == DRINK_ORDER
        assert detail(api, "soup")["navigation"]["series"]["previous"] is None

    def test_is_null_for_an_article_outside_any_series(self, api, journal_with_series):
        navigation = detail(api, "loner")["navigation"]

        assert "series" in navigation
        assert navigation["series"] is None

    def test_series_links_have_the_link_shape(self, api, journal_with_series):
        link = detail(api, "kale")["navigation"]["series"]["next"]
        dates = journal_with_series.articles["dates"]

        assert set(link) == LINK_KEYS
        assert (link["id"], link["slug"], link["title"]) == (dates.pk, "dates", "Dates guide")


class TestPublicationNavigation:
    def test_next_links_walk_the_publication_order(self, api, journal_with_series):
        oldest_first = get_json(api, "/api/v1/articles/", ordering="published_at")["results"]

        assert [item["slug"] for item in oldest_first] == PUBLICATION_ORDER
        assert walk(api, PUBLICATION_ORDER[0], "next") == PUBLICATION_ORDER

    def test_previous_links_walk_it_backwards(self, api, journal_with_series):
        assert walk(api, PUBLICATION_ORDER[-1], "previous") == PUBLICATION_ORDER[::-1]

    def test_oldest_has_no_previous_and_newest_has_no_next(self, api, journal_with_series):
        oldest = detail(api, PUBLICATION_ORDER[0])["navigation"]
        newest = detail(api, PUBLICATION_ORDER[-1])["navigation"]

        assert oldest["previous"] is None
        assert oldest["next"]["slug"] == PUBLICATION_ORDER[1]
        assert newest["next"] is None
        assert newest["previous"]["slug"] == PUBLICATION_ORDER[-2]

    @pytest.mark.parametrize("hide", HIDERS.values(), ids=HIDERS.keys())
    def test_a_hidden_article_in_between_is_skipped(self, api, journal_with_series, hide):
        hide(journal_with_series.articles["loner"])

        assert detail(api, "kale")["navigation"]["next"]["slug"] == "tea"
        assert detail(api, "tea")["navigation"]["previous"]["slug"] == "kale"
        assert walk(api, "broth", "next") == [n for n in PUBLICATION_ORDER if n != "loner"]

    def test_a_never_published_draft_is_no_neighbour(self, api, journal_with_series, journal):
        draft = ArticlePageFactory(parent=journal, live=False, title="Draft", slug="draft")
        draft.save_revision()

        assert walk(api, "broth", "next") == PUBLICATION_ORDER

    def test_the_oldest_article_hidden_makes_the_next_one_first(self, api, journal_with_series):
        unpublish(journal_with_series.articles["broth"])

        assert detail(api, "figs")["navigation"]["previous"] is None

    def test_articles_published_at_the_same_moment_keep_one_consistent_order(
        self, api, journal_with_series, make_article
    ):
        same_moment = EPOCH + timedelta(days=9)
        twins = [make_article(title=f"Twin {n}", slug=f"twin-{n}") for n in range(3)]
        ArticlePage.objects.filter(pk__in=[t.pk for t in twins]).update(
            first_published_at=same_moment, last_published_at=same_moment
        )
        oldest_first = [
            item["slug"]
            for item in get_json(api, "/api/v1/articles/", ordering="published_at")["results"]
        ]

        assert walk(api, oldest_first[0], "next") == oldest_first
        assert walk(api, oldest_first[-1], "previous") == oldest_first[::-1]

    def test_links_have_exactly_the_link_shape(self, api, journal_with_series):
        navigation = detail(api, "oats")["navigation"]
        summaries = {
            item["slug"]: item for item in get_json(api, "/api/v1/articles/", limit=100)["results"]
        }

        for link in (navigation["previous"], navigation["next"]):
            assert set(link) == LINK_KEYS
            summary = summaries[link["slug"]]
            assert {key: summary[key] for key in LINK_KEYS} == link
        assert navigation["previous"]["slug"] == "dates"
        assert navigation["next"]["slug"] == "kale"

    def test_link_urls_are_absolute_and_api_url_resolves(self, api, journal_with_series):
        # kale has all four links: oats before it in both orders, loner and dates after it.
        navigation = detail(api, "kale")["navigation"]
        links = [
            navigation["previous"],
            navigation["next"],
            navigation["series"]["previous"],
            navigation["series"]["next"],
        ]

        for link in links:
            assert link["url"].startswith("http")
            assert link["api_url"].startswith("http")
            assert link["api_url"].endswith(f"/api/v1/articles/{link['slug']}/")
            fetched = get_json(api, urlparse(link["api_url"]).path)
            assert (fetched["id"], fetched["slug"]) == (link["id"], link["slug"])
