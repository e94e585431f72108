"""Partner feeds are valid RSS, Atom and JSON Feed documents with what the API shows."""

# ruff: noqa: F811  (the journal and world fixtures come from feed_support)

from email.utils import parsedate_to_datetime

import pytest
from defusedxml import ElementTree
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.feeds import JSON_FEED_VERSION
from tests.api.feed_support import (  # noqa: F401
    ATOM,
    FOLIO,
    FORMATS,
    entries_of,
    feed_paths,
    fetch,
    journal,
    json_feed,
    parsed,
    world,
)
from tests.api.feed_world import BUDGET_MANY, CANONICAL

pytestmark = pytest.mark.django_db


class TestDocuments:
    def test_every_feed_is_a_valid_document_of_its_format(self, api, world):
        for path in feed_paths(world):
            response = fetch(api, path)
            if path.endswith(".json"):
                assert json_feed(response)["version"] == JSON_FEED_VERSION
            else:
                feed = parsed(response)
                assert feed.version == ("rss20" if path.endswith(".rss") else "atom10")
                expected = (
                    "application/rss+xml" if path.endswith(".rss") else "application/atom+xml"
                )
                assert response["Content-Type"].startswith(expected)
            assert len(response.content) > 0

    def test_every_entry_has_title_link_id_dates_authors_and_categories(self, api, world):
        for path in feed_paths(world):
            entries = entries_of(api, path)
            assert entries, path
            for entry in entries:
                assert entry["title"]
                assert entry["link"].startswith((settings.PUBLIC_BASE_URL + "/", CANONICAL))
                assert entry["id"].startswith("urn:folio:article:")
                assert entry["published"] and entry["updated"], (path, entry)
                assert entry["authors"] and all(entry["authors"]), (path, entry)
                assert entry["tags"], (path, entry)

    def test_feed_level_title_links_date_and_language(self, api, world):
        rss = parsed(fetch(api, "/feeds/articles.rss")).feed
        assert rss.title == "Folio"
        assert rss.link == settings.PUBLIC_BASE_URL + "/"
        assert rss.language == settings.LANGUAGE_CODE
        assert rss.updated_parsed
        root = ElementTree.fromstring(fetch(api, "/feeds/articles.rss").content)
        self_links = [
            link.get("href") for link in root.iter(f"{ATOM}link") if link.get("rel") == "self"
        ]
        assert self_links == [settings.PUBLIC_BASE_URL + "/feeds/articles.rss"]

        atom = ElementTree.fromstring(fetch(api, f"/feeds/series/{world.series.slug}.atom").content)
        links = {link.get("rel"): link.get("href") for link in atom.findall(f"{ATOM}link")}
        assert links["self"] == f"{settings.PUBLIC_BASE_URL}/feeds/series/{world.series.slug}.atom"
        assert links["alternate"] == settings.PUBLIC_BASE_URL + "/"
        assert atom.find(f"{ATOM}title").text == "Folio: Sleep series"
        assert atom.find(f"{ATOM}updated").text
        assert atom.get("{http://www.w3.org/XML/1998/namespace}lang") == settings.LANGUAGE_CODE

        feed = json_feed(fetch(api, f"/feeds/topics/{world.sleep.slug}.json"))
        assert feed["title"] == "Folio: Sleep science"
        assert feed["feed_url"] == f"{settings.PUBLIC_BASE_URL}/feeds/topics/sleep-science.json"
        assert feed["home_page_url"] == settings.PUBLIC_BASE_URL + "/"
        assert feed["language"] == settings.LANGUAGE_CODE

    def test_an_entry_carries_the_article_in_every_format(self, api, world):
        first = world.first
        url = f"{settings.PUBLIC_BASE_URL}/{first.slug}/"
        for fmt in FORMATS:
            entry = next(
                e for e in entries_of(api, f"/feeds/articles.{fmt}") if e["title"] == first.title
            )
            assert entry["link"] == url
            assert entry["id"] == f"urn:folio:article:{first.pk}"
            assert entry["authors"] == ["Bob Ray", "Alice Ng"]  # byline order
            assert {"Sleep science", "Mental health", "rest", "nights"} <= set(entry["tags"])

        rss_entry = next(
            e for e in parsed(fetch(api, "/feeds/articles.rss")).entries if e.title == first.title
        )
        assert parsedate_to_datetime(rss_entry.published) == first.first_published_at
        assert rss_entry.published_parsed < rss_entry.updated_parsed  # dcterms:modified
        assert rss_entry.guidislink is False
        assert rss_entry.summary == "Why we sleep &amp; what happens."
        (enclosure,) = rss_entry.enclosures
        assert enclosure.href.startswith(settings.PUBLIC_BASE_URL + "/")
        assert enclosure.type.startswith("image/")
        assert "length" in enclosure

        atom_entry = next(
            e for e in parsed(fetch(api, "/feeds/articles.atom")).entries if e.title == first.title
        )
        assert atom_entry.published_parsed < atom_entry.updated_parsed
        assert atom_entry.enclosures[0].href == enclosure.href
        assert atom_entry.enclosures[0].type == enclosure.type
        topic_tags = [t for t in atom_entry.tags if t.term == "sleep-science"]
        assert topic_tags[0].label == "Sleep science"
        assert topic_tags[0].scheme == f"{settings.PUBLIC_BASE_URL}/api/v1/topics/"

        item = next(
            i
            for i in json_feed(fetch(api, "/feeds/articles.json"))["items"]
            if i["title"] == first.title
        )
        assert item["image"] == enclosure.href
        assert item["summary"] == first.summary
        assert item["date_published"] == "2026-01-02T09:00:00Z"
        assert item["date_modified"] == "2026-01-02T14:00:00Z"
        assert item["_folio"]["id"] == first.pk
        assert item["_folio"]["api_url"] == (
            f"{settings.PUBLIC_BASE_URL}/api/v1/articles/{first.slug}/"
        )

    def test_rights_travel_with_every_entry(self, api, world):
        rss = ElementTree.fromstring(fetch(api, "/feeds/articles.rss").content)
        (item,) = [
            i for i in rss.iter("item") if i.findtext("guid").endswith(f":{world.canonical.pk}")
        ]
        assert item.findtext("link") == CANONICAL
        assert item.findtext(f"{FOLIO}canonical_url") == CANONICAL
        assert item.findtext(f"{FOLIO}license") == "cc-by-4.0"
        assert item.findtext(f"{FOLIO}attribution") == "First published by Elsewhere"
        assert item.findtext(f"{FOLIO}allowed") == "true"
        rights = item.findtext("{http://purl.org/dc/elements/1.1/}rights")
        assert rights == "CC BY 4.0. First published by Elsewhere"

        atom = ElementTree.fromstring(fetch(api, "/feeds/articles.atom").content)
        (entry,) = [
            e
            for e in atom.iter(f"{ATOM}entry")
            if e.findtext(f"{ATOM}id").endswith(f":{world.canonical.pk}")
        ]
        assert entry.findtext(f"{ATOM}rights") == rights
        assert entry.findtext(f"{FOLIO}canonical_url") == CANONICAL

        disallowed = next(
            i for i in rss.iter("item") if i.findtext("guid").endswith(f":{world.disallowed.pk}")
        )
        assert disallowed.findtext(f"{FOLIO}allowed") == "false"
        assert disallowed.findtext(f"{FOLIO}license") == "partner-agreement"

        items = json_feed(fetch(api, "/feeds/articles.json"))["items"]
        (canonical,) = [i for i in items if i["_folio"]["id"] == world.canonical.pk]
        assert canonical["url"] == CANONICAL
        assert canonical["_folio"]["syndication"] == {
            "allowed": True,
            "canonical_url": CANONICAL,
            "license": "cc-by-4.0",
            "attribution": "First published by Elsewhere",
        }

    def test_entries_come_newest_first_up_to_the_item_count(self, api, world, settings):
        ids = [e["id"] for e in entries_of(api, "/feeds/articles.json")]
        assert len(ids) == BUDGET_MANY + 1 + 4  # the budget articles and the four others
        settings.FEEDS_ITEM_COUNT = 3
        newest = entries_of(api, "/feeds/articles.rss")
        assert [e["id"] for e in newest] == ids[:3]
        published = [
            e["published"] for e in entries_of(api, f"/feeds/series/{world.series.slug}.atom")
        ]
        assert published == sorted(published, reverse=True)

    def test_the_id_stays_when_title_and_slug_change(self, api, world):
        from tests.factories import publish

        before = next(
            e for e in entries_of(api, "/feeds/articles.atom") if e["title"] == "How sleep works"
        )
        article = world.first.__class__.objects.get(pk=world.first.pk)
        article.title, article.slug = "How sleep really works", "how-sleep-really-works"
        publish(article)
        after = next(
            e
            for e in entries_of(api, "/feeds/articles.atom")
            if e["title"] == "How sleep really works"
        )
        assert after["id"] == before["id"]
        assert after["link"].endswith("/how-sleep-really-works/")
        assert after["updated"] > before["updated"]


class TestQueryBudget:
    """A feed costs a fixed number of queries, bodies and all, whatever its number of items."""

    # Site, restrictions, topic, articles, bylines, topics, tags, hero renditions; a key check
    # for partners; for full text, linked pages, documents, body images and their renditions.
    ANONYMOUS, PARTNER, FULL_TEXT = 8, 9, 13

    @staticmethod
    def queries(client, path, key) -> int:
        fetch(client, path, key=key)  # warm: the first request also fills Wagtail's caches
        with CaptureQueriesContext(connection) as captured:
            fetch(client, path, key=key)
        return len(captured)

    def test_one_item_costs_what_twenty_cost(self, api, world, django_assert_max_num_queries):
        budgets = {
            None: self.ANONYMOUS,
            world.keys.summaries_only: self.PARTNER,
            world.keys.full_text: self.FULL_TEXT,
        }
        for key, budget in budgets.items():
            for fmt in FORMATS:
                one = f"/feeds/topics/{world.budget_one.slug}.{fmt}"
                many = f"/feeds/topics/{world.budget_many.slug}.{fmt}"
                assert self.queries(api, one, key) == self.queries(api, many, key), (fmt, key)
                with django_assert_max_num_queries(budget):
                    fetch(api, many, key=key)

    def test_the_twenty_items_really_carry_bodies_and_images(self, api, world):
        items = json_feed(
            fetch(api, f"/feeds/topics/{world.budget_many.slug}.json", key=world.keys.full_text)
        )["items"]
        assert len(items) == BUDGET_MANY
        second_url = f"{settings.PUBLIC_BASE_URL}/{world.second.slug}/"
        for item in items:
            assert second_url in item["content_html"]  # the page link, resolved
            assert "/documents/" in item["content_html"]  # the document link, resolved
            assert "<img" in item["content_html"]  # the body image
            assert item["image"].startswith(settings.PUBLIC_BASE_URL)
