"""Visibility: an article in any hidden state is in no list, series, navigation or link."""

# ruff: noqa: F811  (its fixtures come from visibility_datasets)

import pytest

from tests.api.conftest import error_of, get_json
from tests.api.visibility_datasets import (  # noqa: F401
    dataset,
    datasets,
    journal,
    other_journal,
    world,
    world_crawl,
)
from tests.api.visibility_world import CONTROL, SHARED_TAG, slugs

pytestmark = pytest.mark.django_db


class TestHiddenArticleAppearsNowhere:
    """The marker of a hidden article is in no response of any endpoint; the control's is."""

    DATASET = "hidden-states"

    def test_its_marker_is_in_no_response_body(self, world_crawl, world):
        assert world_crawl.containing(world.marker) == []

    def test_the_visible_control_is_found_by_the_same_crawl(self, world_crawl):
        found = world_crawl.containing(CONTROL)

        assert "/api/v1/articles/?limit=100" in found
        assert f"/api/v1/articles/?limit=100&search={CONTROL}" in found
        assert f"/api/v1/articles/?limit=100&tag={CONTROL}" in found
        assert "/api/v1/series/sleep-series/" in found
        assert f"/api/v1/articles/{CONTROL}/" in found
        assert "/api/v1/articles/linking-article/" in found  # its body links to the control

    def test_its_detail_is_not_found(self, api, world):
        error = error_of(api, f"/api/v1/articles/{world.hidden.slug}/", 404)

        assert error["code"] == "not_found"


class TestHiddenArticleInLists:
    DATASET = "hidden-states"

    def test_the_list_holds_only_the_visible_articles(self, api, world):
        listed = slugs(get_json(api, "/api/v1/articles/", limit=100))

        assert listed == ["linking-article", CONTROL, "first-visible"]

    def test_search_does_not_find_it(self, api, world):
        assert slugs(get_json(api, "/api/v1/articles/", search=world.marker)) == []
        assert slugs(get_json(api, "/api/v1/articles/", search=CONTROL)) == [CONTROL]

    def test_topic_tag_and_author_filters_leave_it_out(self, api, world):
        expected = {"first-visible", CONTROL, "linking-article"}

        assert set(slugs(get_json(api, "/api/v1/articles/", topic=world.topic.slug))) == expected
        assert set(slugs(get_json(api, "/api/v1/articles/", author=world.author.slug))) == expected
        assert set(slugs(get_json(api, "/api/v1/articles/", tag=SHARED_TAG))) == expected
        assert slugs(get_json(api, "/api/v1/articles/", tag=world.marker)) == []

    def test_the_id_filter_leaves_it_out(self, api, world):
        ids = f"{world.hidden.pk},{world.control.pk}"

        assert slugs(get_json(api, "/api/v1/articles/", id=ids)) == [CONTROL]
        assert slugs(get_json(api, "/api/v1/articles/", id=str(world.hidden.pk))) == []


class TestHiddenArticleInItsSeries:
    DATASET = "hidden-states"

    def test_series_detail_lists_only_the_visible_members_numbered_without_a_gap(self, api, world):
        series = get_json(api, "/api/v1/series/sleep-series/")

        assert [member["slug"] for member in series["articles"]] == ["first-visible", CONTROL]
        assert [member["series"]["position"] for member in series["articles"]] == [1, 2]
        assert {member["series"]["total"] for member in series["articles"]} == {2}
        assert series["article_count"] == 2

    def test_series_list_counts_only_the_visible_members(self, api, world):
        listed = get_json(api, "/api/v1/series/")["results"]

        assert [(s["slug"], s["article_count"]) for s in listed] == [("sleep-series", 2)]

    def test_summaries_give_positions_among_visible_members(self, api, world):
        listed = {
            item["slug"]: item["series"]
            for item in get_json(api, "/api/v1/articles/", limit=100)["results"]
        }
        series = {"slug": "sleep-series", "title": "Sleep series", "total": 2}

        assert listed["first-visible"] == {**series, "position": 1}
        assert listed[CONTROL] == {**series, "position": 2}
        assert listed["linking-article"] is None
        detail = get_json(api, f"/api/v1/articles/{CONTROL}/")
        assert detail["series"] == {**series, "position": 2}


class TestHiddenArticleInNavigation:
    DATASET = "hidden-states"

    def test_series_navigation_steps_over_it(self, api, world):
        first = get_json(api, "/api/v1/articles/first-visible/")["navigation"]["series"]
        control = get_json(api, f"/api/v1/articles/{CONTROL}/")["navigation"]["series"]

        assert first["previous"] is None
        assert first["next"]["slug"] == CONTROL
        assert control["previous"]["slug"] == "first-visible"
        assert control["next"] is None

    def test_publication_order_navigation_steps_over_it(self, api, world):
        first = get_json(api, "/api/v1/articles/first-visible/")["navigation"]
        control = get_json(api, f"/api/v1/articles/{CONTROL}/")["navigation"]

        assert first["next"]["slug"] == CONTROL
        assert control["previous"]["slug"] == "first-visible"
        assert control["next"]["slug"] == "linking-article"


class TestBodyLinkToHiddenArticle:
    DATASET = "hidden-states"

    def test_the_link_is_unwrapped_and_its_text_kept(self, api, world):
        detail = get_json(api, "/api/v1/articles/linking-article/")
        control_url = get_json(api, f"/api/v1/articles/{CONTROL}/")["url"]

        for html in (detail["body_html"], detail["body"][0]["value"]["html"]):
            assert world.link_text in html
            assert world.marker not in html
            assert f'href="{control_url}"' in html
            assert html.count("<a ") == 1
