"""Visibility: a series that is a draft, expired or not yet live is invisible everywhere."""

# ruff: noqa: F811  (the dataset, datasets and journal fixtures come from visibility_datasets)

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Series
from tests.api.conftest import error_of, get_json
from tests.api.visibility_datasets import crawl_everything, dataset, datasets, journal  # noqa: F401
from tests.factories import SeriesFactory

pytestmark = pytest.mark.django_db


def series_not_current(state: str) -> dict:
    now = timezone.now()
    return {
        # A draft: never published (Series.live is False).
        "draft": {"live": False},
        # Published, but its expiry has passed and the scheduler has not run yet.
        "expired": {"live": True, "expire_at": now - timedelta(hours=1)},
        # A live row whose go_live_at is still ahead (belt and braces, as for pages).
        "future-go-live": {"live": True, "go_live_at": now + timedelta(days=2)},
    }[state]


class TestSeriesThatIsNotCurrent:
    """A draft, expired or not yet gone-live series is invisible; its members are in none."""

    DATASET = "unannounced-series"

    @pytest.fixture(params=["draft", "expired", "future-go-live"])
    def members(self, request, dataset):
        Series.objects.filter(slug="unannounced").update(**series_not_current(request.param))
        return dataset.articles

    def test_its_detail_is_not_found(self, api, members):
        error = error_of(api, "/api/v1/series/unannounced/", 404)

        assert error["code"] == "not_found"

    def test_it_is_absent_from_the_series_list(self, api, members):
        SeriesFactory(title="Announced", slug="announced")

        assert [s["slug"] for s in get_json(api, "/api/v1/series/")["results"]] == ["announced"]

    def test_its_members_carry_no_series_in_list_and_detail(self, api, members):
        listed = get_json(api, "/api/v1/articles/")["results"]

        assert [item["series"] for item in listed] == [None, None, None]
        for article in members:
            detail = get_json(api, f"/api/v1/articles/{article.slug}/")
            assert detail["series"] is None
            assert detail["navigation"]["series"] is None

    def test_its_title_is_in_no_response(self, api, members):
        crawl = crawl_everything(api, search_terms=("zqxmarkerseries",))

        assert crawl.containing("zqxmarkerseries") == []
        assert "/api/v1/articles/member-0/" in crawl.bodies

    def test_filtering_by_its_slug_is_rejected_like_an_unknown_series(self, api, members):
        error = error_of(api, "/api/v1/articles/", 400, series="unannounced")

        assert error["code"] == "invalid_parameter"
        assert "series" in error["details"]
