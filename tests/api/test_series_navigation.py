"""The article detail's navigation links: within its series and in publication order."""

# ruff: noqa: F811  (the journal, journal_with_series and shared fixtures come from series_support)

from datetime import timedelta
from urllib.parse import urlparse

import pytest

from articles.models import ArticlePage
from tests.api.conftest import EPOCH, get_json
from tests.api.series_support import (  # noqa: F401
    DRINK_ORDER,
    EDITOR_ORDER,
    HIDERS,
    LINK_KEYS,
    PUBLICATION_ORDER,
    detail,
    journal,
    journal_with_series,
    shared,
    unpublish,
    walk,
)
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


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
