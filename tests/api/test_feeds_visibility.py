"""Partner feeds hold visible articles only, with full text only for partners with the right."""

# ruff: noqa: F811  (the journal and world fixtures come from feed_support)

import pytest
from django.conf import settings

from tests.api.feed_support import (  # noqa: F401
    FORMATS,
    entries_of,
    feed_paths,
    fetch,
    journal,
    json_feed,
    titles,
    world,
)
from tests.api.feed_world import BODY_TEXT, DISALLOWED, HIDDEN, SCRIPT_MARKER

pytestmark = pytest.mark.django_db


class TestVisibility:
    def test_hidden_articles_are_in_no_feed_for_anyone(self, api, world):
        for path in feed_paths(world):
            for key in (None, world.keys.full_text, world.keys.summaries_only):
                content = fetch(api, path, key=key).content.decode()
                for state, marker in HIDDEN.items():
                    assert marker not in content, (path, state, key)

    def test_the_series_feed_holds_its_visible_members_only(self, api, world):
        for fmt in FORMATS:
            got = set(titles(api, f"/feeds/series/{world.series.slug}.{fmt}"))
            assert got == {world.first.title, world.disallowed.title, world.second.title}

    def test_the_topic_feed_holds_its_articles_only(self, api, world):
        for fmt in FORMATS:
            got = set(titles(api, f"/feeds/topics/{world.mood.slug}.{fmt}"))
            assert got == {world.first.title, world.second.title}

    def test_an_unknown_or_unpublished_series_or_unknown_topic_is_a_404(self, api, world):
        for fmt in FORMATS:
            for path in (
                f"/feeds/series/no-such-series.{fmt}",
                f"/feeds/series/{world.draft_series.slug}.{fmt}",
                f"/feeds/topics/no-such-topic.{fmt}",
            ):
                response = fetch(api, path, status=404)
                assert response["Content-Type"] == "application/json"
                error = response.json()["error"]
                assert error["status"] == 404 and error["code"] == "not_found", path
                assert error["message"]


class TestFullText:
    def test_anonymous_and_summaries_only_partners_get_no_content(self, api, world):
        for key in (None, world.keys.summaries_only):
            for path in feed_paths(world):
                response = fetch(api, path, key=key)
                assert BODY_TEXT not in response.content.decode(), (path, key)
                for entry in entries_of(api, path, key=key):
                    assert entry["content"] is None, (path, key)
                if path.endswith(".json"):
                    for item in json_feed(response)["items"]:
                        assert item["content_text"] == item["summary"]

    def test_a_full_text_partner_gets_the_sanitised_body_of_allowed_articles(self, api, world):
        second_url = f"{settings.PUBLIC_BASE_URL}/{world.second.slug}/"
        for via in ("header", "query"):
            for path in feed_paths(world):
                entries = entries_of(api, path, key=world.keys.full_text, via=via)
                assert entries and all(e["content"] for e in entries), path
                first = [e for e in entries if e["title"] == world.first.title]
                if first:
                    assert BODY_TEXT in first[0]["content"]
                    assert second_url in first[0]["content"]  # internal links resolved

        item = next(
            i
            for i in json_feed(fetch(api, "/feeds/articles.json", key=world.keys.full_text))[
                "items"
            ]
            if i["title"] == world.first.title
        )
        html = item["content_html"]
        assert "<script" not in html and SCRIPT_MARKER not in html
        assert "javascript:" not in html
        assert "bad link" in html  # the link's text stays; its URL does not
        assert world.restricted_url_path.rstrip("/").rsplit("/", 1)[-1] not in html
        assert "the locked one" in html  # a link to a hidden page is unwrapped
        assert "<img" in html and settings.PUBLIC_BASE_URL in html
        for path in feed_paths(world):
            raw = fetch(api, path, key=world.keys.full_text).content.decode()
            assert SCRIPT_MARKER not in raw and "javascript:" not in raw, path

    def test_partners_never_see_an_article_that_is_not_syndicated(self, api, world):
        for path in feed_paths(world):
            anonymous = fetch(api, path).content.decode()
            if "/topics/" in path or "/series/" in path or "articles" in path:
                assert DISALLOWED in anonymous, path  # the control: the article is in the feed
            for key in (world.keys.full_text, world.keys.summaries_only):
                for via in ("header", "query"):
                    assert DISALLOWED.encode() not in fetch(api, path, key=key, via=via).content

    def test_an_anonymous_feed_shows_a_disallowed_article_by_title(self, api, world):
        for fmt in FORMATS:
            assert world.disallowed.title in titles(api, f"/feeds/articles.{fmt}")
