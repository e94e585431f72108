"""Partner feeds: valid RSS, Atom and JSON Feed documents with what the API shows, and no more.

Every XML feed is read by feedparser (a real feed reader) and by ElementTree; JSON Feeds are
checked against the JSON Feed 1.1 rules (feedparser 6.0 does not read JSON Feed). The data is
built once for the module (tests/api/feed_world.py); each test runs in a savepoint inside it.
"""

import json
from email.utils import parsedate_to_datetime

import feedparser
import jsonschema
import pytest
from defusedxml import ElementTree
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.signal_handlers import disable_reference_index_auto_update

from api.feeds import FOLIO_NAMESPACE, JSON_FEED_VERSION
from articles.models import ArticleIndexPage
from tests.api.conftest import rolled_back
from tests.api.feed_world import (
    BODY_TEXT,
    BUDGET_MANY,
    CANONICAL,
    DISALLOWED,
    HIDDEN,
    SCRIPT_MARKER,
    build_world,
)

pytestmark = pytest.mark.django_db

FORMATS = ("rss", "atom", "json")
ATOM = "{http://www.w3.org/2005/Atom}"
FOLIO = "{" + FOLIO_NAMESPACE + "}"

# JSON Feed 1.1 (https://jsonfeed.org/version/1.1) as a schema: what the spec requires and
# the types of every field these feeds use.
JSON_FEED_SCHEMA = {
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string"},
        "home_page_url": {"type": "string", "pattern": "^https?://"},
        "feed_url": {"type": "string", "pattern": "^https?://"},
        "description": {"type": "string"},
        "language": {"type": "string"},
        "authors": {"$ref": "#/$defs/authors"},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "url": {"type": "string", "pattern": "^https?://"},
                    "title": {"type": "string"},
                    "summary": {"type": "string"},
                    "content_html": {"type": "string"},
                    "content_text": {"type": "string"},
                    "image": {"type": "string", "pattern": "^https?://"},
                    "date_published": {"type": "string", "format": "date-time"},
                    "date_modified": {"type": "string", "format": "date-time"},
                    "authors": {"$ref": "#/$defs/authors"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
                # Extensions start with an underscore (the spec's rule for custom fields).
                "patternProperties": {"^_": {"type": "object"}},
                "additionalProperties": False,
            },
        },
    },
    "$defs": {
        "authors": {
            "type": "array",
            "items": {
                "type": "object",
                "anyOf": [{"required": ["name"]}, {"required": ["url"]}],
                "properties": {"name": {"type": "string"}, "url": {"type": "string"}},
            },
        }
    },
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    # The images' files are only read while building (their renditions are made then).
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("feed-media"))
    with rolled_back(django_db_blocker):
        with django_db_blocker.unblock(), disable_reference_index_auto_update(), media:
            world = build_world()
        yield world


@pytest.fixture
def journal(world):
    return ArticleIndexPage.objects.get(pk=world.journal.pk)


def feed_paths(world) -> list[str]:
    """Every feed of the world: all articles, the series and a topic, in every format."""
    return [
        path
        for fmt in FORMATS
        for path in (
            f"/feeds/articles.{fmt}",
            f"/feeds/series/{world.series.slug}.{fmt}",
            f"/feeds/topics/{world.sleep.slug}.{fmt}",
        )
    ]


def fetch(client, path, *, key=None, via="header", status=200, **extra):
    params = {}
    if key is not None and via == "query":
        params["api_key"] = key
    elif key is not None:
        extra["HTTP_AUTHORIZATION"] = f"Api-Key {key}"
    response = client.get(path, params, **extra)
    assert response.status_code == status, (path, response.status_code, response.content[:400])
    return response


def parsed(response):
    """The feed as a feed reader sees it, after checking it is well-formed XML."""
    ElementTree.fromstring(response.content)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def json_feed(response) -> dict:
    assert response["Content-Type"] == "application/feed+json"
    body = json.loads(response.content)
    jsonschema.validate(body, JSON_FEED_SCHEMA, format_checker=jsonschema.FormatChecker())
    return body


def entries_of(client, path, **kwargs) -> list[dict]:
    """The entries of any feed, in one shape: title, link, id, dates, authors, tags, content."""
    response = fetch(client, path, **kwargs)
    if path.endswith(".json"):
        return [
            {
                "title": item["title"],
                "link": item["url"],
                "id": item["id"],
                "published": item["date_published"],
                "updated": item["date_modified"],
                "authors": [a["name"] for a in item["authors"]],
                "tags": item["tags"],
                "content": item.get("content_html"),
            }
            for item in json_feed(response)["items"]
        ]
    return [
        {
            "title": entry.title,
            "link": entry.link,
            "id": entry.id,
            "published": entry.get("published_parsed"),
            "updated": entry.get("updated_parsed"),
            "authors": [a.get("name") for a in entry.get("authors", [])],
            "tags": [t.get("label") or t.term for t in entry.get("tags", [])],
            "content": entry.content[0].value if "content" in entry else None,
        }
        for entry in parsed(response).entries
    ]


def titles(client, path, **kwargs) -> list[str]:
    return [entry["title"] for entry in entries_of(client, path, **kwargs)]


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
