"""Feed test support: the module's world, and feeds read as a feed reader reads them.

Every XML feed is read by feedparser (a real feed reader) and by ElementTree; JSON Feeds are
checked against the JSON Feed 1.1 rules (feedparser 6.0 does not read JSON Feed). The data is
built once for the module (tests/api/feed_world.py); each test runs in a savepoint inside it.
"""

import json

import feedparser
import jsonschema
import pytest
from defusedxml import ElementTree
from django.test import override_settings
from wagtail.signal_handlers import disable_reference_index_auto_update

from api.feeds import FOLIO_NAMESPACE
from articles.models import ArticleIndexPage
from tests.api.conftest import rolled_back
from tests.api.feed_world import build_world

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
