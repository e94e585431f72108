"""Visibility: a view restriction on the journal hides every article below it."""

# ruff: noqa: F811  (the dataset, datasets and journal fixtures come from visibility_datasets)

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, PageViewRestriction

from tests.api.conftest import error_of, get_json
from tests.api.visibility_datasets import crawl_everything, dataset, datasets, journal  # noqa: F401
from tests.api.visibility_world import SHARED_TAG

pytestmark = pytest.mark.django_db


def restrict(page: Page, restriction_type: str) -> None:
    restriction = PageViewRestriction.objects.create(
        page=page,
        restriction_type=restriction_type,
        password="x" if restriction_type == PageViewRestriction.PASSWORD else "",
    )
    if restriction_type == PageViewRestriction.GROUPS:
        restriction.groups.add(Group.objects.create(name="Members"))


@pytest.mark.parametrize(
    "restriction_type",
    [PageViewRestriction.LOGIN, PageViewRestriction.GROUPS, PageViewRestriction.PASSWORD],
)
class TestRestrictionOnTheJournalHidesEveryArticle:
    """A view restriction on an ancestor (the site's journal) hides every article below it."""

    DATASET = "restrictable-journal"

    @pytest.fixture
    def restricted(self, dataset, journal, restriction_type):
        restrict(journal, restriction_type)
        return dataset.articles

    def test_no_article_text_reaches_any_response(self, api, restricted):
        crawl = crawl_everything(
            api,
            search_terms=("zqxmarkerone", "zqxmarkertwo"),
            tags=(SHARED_TAG,),
            ids=[a.pk for a in restricted],
        )

        assert crawl.containing("zqxmarker") == []
        assert "/api/v1/series/sleep-series/" in crawl.bodies  # the crawl did reach the series

    def test_lists_are_empty_and_details_not_found(self, api, restricted):
        assert get_json(api, "/api/v1/articles/")["results"] == []
        assert get_json(api, "/api/v1/articles/", topic="sleep-topic")["results"] == []
        assert get_json(api, "/api/v1/articles/", author="ada-writer")["results"] == []
        assert get_json(api, "/api/v1/articles/", tag=SHARED_TAG)["results"] == []
        assert get_json(api, "/api/v1/articles/", search="zqxmarkerone")["results"] == []
        for article in restricted:
            error_of(api, f"/api/v1/articles/{article.slug}/", 404)

    def test_the_series_counts_and_lists_no_member(self, api, restricted):
        series = get_json(api, "/api/v1/series/sleep-series/")

        assert series["articles"] == []
        assert series["article_count"] == 0
        assert [s["article_count"] for s in get_json(api, "/api/v1/series/")["results"]] == [0]
        assert get_json(api, "/api/v1/articles/", series="sleep-series")["results"] == []

    def test_lifting_the_restriction_shows_them_again(self, api, journal, restricted):
        PageViewRestriction.objects.filter(page=journal).delete()

        assert len(get_json(api, "/api/v1/articles/")["results"]) == 3
