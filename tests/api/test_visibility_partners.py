"""The visibility leak suite, for partner keys and for the feeds.

The world of tests/api/visibility_datasets.py (an article in each of the ten hidden states beside
visible ones, all sharing a series, topic, tag, author and links) plus one article whose
syndication is off: visible to the public, a hidden state of its own for every partner key.
Every endpoint, the full sync and every feed are crawled anonymously and with each kind of
partner key; no hidden marker may appear in any byte of any response, while the control does.
"""

import json
from collections.abc import Iterable
from urllib.parse import urlencode

import pytest
from django.test import Client
from wagtail.signal_handlers import disable_reference_index_auto_update

from api.partners.provisioning import api_key_issue, partner_create
from articles.models import SeriesMember
from tests.api.conftest import ArticleMaker, rolled_back
from tests.api.visibility_datasets import crawl_everything, hidden_states
from tests.api.visibility_world import (
    CONTROL,
    HIDDEN_DAY,
    HIDDEN_STATES,
    SHARED_TAG,
    marked,
    marker_of,
    page_link,
)

pytestmark = pytest.mark.django_db

CLOSED = "zqxmarkersyndicationoff"
HIDDEN_MARKERS = [marker_of(state) for state in HIDDEN_STATES]
FEED_FORMATS = ("rss", "atom", "json")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker):
        with django_db_blocker.unblock(), disable_reference_index_auto_update():
            states = hidden_states()
            make_article = ArticleMaker(states.journal)
            closed = make_article(
                days=HIDDEN_DAY + 1,
                authors=[states.author],
                topics=[states.topic],
                tags=[SHARED_TAG, CLOSED],
                syndication_allowed=False,
                **marked(CLOSED),
            )
            SeriesMember.objects.create(series=states.series, article=closed, sort_order=99)
            make_article(
                days=HIDDEN_DAY + 2,
                slug="closed-linker",
                body=[("paragraph", f"<p>See {page_link(closed, 'this closed piece')}.</p>")],
            )
            keys = {
                full_text: api_key_issue(
                    partner=partner_create(
                        name=f"Leak test {full_text}",
                        full_text=full_text,
                        rate_limit="1000000/day",
                    ),
                    name="crawler",
                )[1]
                for full_text in (True, False)
            }
        yield states, closed, keys


class RawCrawl:
    """Every response body, as bytes, of the feeds and the full sync."""

    def __init__(self, client: Client):
        self.client = client
        self.bodies: dict[str, bytes] = {}

    def get(self, path: str, **params) -> bytes:
        response = self.client.get(path, params)
        key = f"{path}?{urlencode(params)}" if params else path
        assert response.status_code == 200, (key, response.status_code, response.content[:300])
        self.bodies[key] = response.content
        return response.content

    def containing(self, text: str) -> list[str]:
        return [key for key, body in self.bodies.items() if text.encode() in body]


def crawl_feeds_and_sync(client: Client, *, series: str, topic: str, **extra) -> RawCrawl:
    crawl = RawCrawl(client)
    for kind in FEED_FORMATS:
        crawl.get(f"/feeds/articles.{kind}", **extra)
        crawl.get(f"/feeds/series/{series}.{kind}", **extra)
        crawl.get(f"/feeds/topics/{topic}.{kind}", **extra)
    token = None
    while True:  # a full sync, followed to its end
        body = crawl.get("/api/v1/sync/", **({"token": token} if token else {}))
        data = json.loads(body)
        token = data["next_token"]
        if not data["has_more"]:
            break
    return crawl


def everything(client: Client, world, markers: Iterable[str], **feed_params) -> dict:
    states, closed, _keys = world
    api = crawl_everything(
        client,
        search_terms=(*markers, CONTROL),
        tags=(SHARED_TAG, *markers, CONTROL),
        ids=(*(a.pk for a in states.hidden.values()), closed.pk, states.control.pk),
    )
    raw = crawl_feeds_and_sync(
        client, series=states.series.slug, topic=states.topic.slug, **feed_params
    )
    return {
        **{key: body.encode() for key, body in api.bodies.items()},
        **{f"raw {key}": body for key, body in raw.bodies.items()},
    }


def leaks(bodies: dict, markers: Iterable[str]) -> dict[str, list[str]]:
    found = {}
    for marker in markers:
        where = [key for key, body in bodies.items() if marker.encode() in body]
        if where:
            found[marker] = where
    return found


class TestPartnerKeysSeeNothingHidden:
    @pytest.mark.parametrize("full_text", [True, False], ids=["full-text", "summaries"])
    def test_no_hidden_or_closed_marker_in_any_response(self, world, full_text):
        _states, _closed, keys = world
        client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Api-Key {keys[full_text]}")
        bodies = everything(client, world, [*HIDDEN_MARKERS, CLOSED])

        assert leaks(bodies, [*HIDDEN_MARKERS, CLOSED]) == {}
        # The crawl did reach content: the control is in lists, details, feeds and sync.
        with_control = [key for key, body in bodies.items() if CONTROL.encode() in body]
        assert "/api/v1/articles/?limit=100" in with_control
        assert "raw /feeds/articles.rss" in with_control
        assert "raw /api/v1/sync/" in with_control

    def test_a_key_in_the_feed_query_string_sees_the_same(self, world):
        _states, _closed, keys = world
        client = Client(HTTP_HOST="localhost")
        states = world[0]
        raw = crawl_feeds_and_sync(
            client, series=states.series.slug, topic=states.topic.slug, api_key=keys[True]
        )
        feeds = {key: body for key, body in raw.bodies.items() if key.startswith("/feeds/")}
        assert len(feeds) == 3 * len(FEED_FORMATS)
        assert leaks(feeds, [*HIDDEN_MARKERS, CLOSED]) == {}
        assert "/feeds/articles.atom?api_key=" + keys[True] in raw.containing(CONTROL)


class TestAnonymousFeedsAndSync:
    def test_no_hidden_marker_in_feeds_or_sync_but_the_closed_article_is_public(self, world):
        states = world[0]
        raw = crawl_feeds_and_sync(
            Client(HTTP_HOST="localhost"), series=states.series.slug, topic=states.topic.slug
        )

        assert leaks(raw.bodies, HIDDEN_MARKERS) == {}
        assert "/feeds/articles.rss" in raw.containing(CLOSED)
        assert "/feeds/articles.json" in raw.containing(CONTROL)
