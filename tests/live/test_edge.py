"""Two real Varnish nodes with the shipped VCL in front of a live gunicorn: every editorial
change reaches both nodes on every URL variant, and nothing else is evicted.

The app server keeps answers at the edge for a day (`CDN_MAX_AGE`), so only a purge can make a
node show a change. Changes are made here, in the test process, configured with both nodes as
its Varnish fleet, and committed for real: the purge runs as it does after an editor's save.
"""

import contextlib
import json
import socket
import threading
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from api.delivery.cdn.purges import edge_purge_sweep
from api.delivery.cdn.vcl import render_vcl
from api.models import EdgePurge
from api.partners.provisioning import api_key_issue, partner_create
from articles.models import ArticlePage, Author, SeriesMember
from tests.edge_support import edge_world, varnish_nodes_fixture  # noqa: F401  (fixture)
from tests.factories import TopicFactory, publish

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HOST = {"Host": "localhost"}
WITHIN = 5.0  # seconds a change may take to reach a node


class Forwarder:
    """A TCP relay to a node's port that can be switched off: the network path purges take."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.port = None
        self.listener = None
        self.running = False

    def start(self) -> "Forwarder":
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port or 0))
        self.port = self.listener.getsockname()[1]
        self.listener.listen(16)
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self):
        listener = self.listener
        while self.running:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def stop(self):
        self.running = False
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
        self.listener.close()


class Fleet:
    def __init__(self, app, nodes, relay):
        self.app, self.nodes, self.relay = app, nodes, relay

    def get(self, node, path, headers=None):
        return node.get(path, {**HOST, **(headers or {})})

    def data(self, node, path, headers=None):
        response = self.get(node, path, headers)
        assert response.status == 200, (path, response.status, response.body[:300])
        return json.loads(response.body)

    def warm(self, paths):
        for node in self.nodes:
            for path in paths:
                self.get(node, path)
                assert self.get(node, path).headers["X-Cache"] == "HIT", path

    def until(self, predicate, *, what: str):
        """Wait (up to WITHIN seconds) until `predicate(node)` holds on every node."""
        deadline = time.monotonic() + WITHIN
        pending = list(self.nodes)
        while pending:
            pending = [node for node in pending if not predicate(node)]
            if pending and time.monotonic() > deadline:
                raise AssertionError(f"{what}: not on {[n.base for n in pending]} in {WITHIN} s")
            if pending:
                time.sleep(0.05)


@pytest.fixture
def fleet(app_servers, varnish_nodes, settings, journal):
    (app,) = app_servers(1, CDN_MAX_AGE="86400")
    vcl = render_vcl(backend_host="127.0.0.1", backend_port=app.port)
    nodes = [varnish_nodes(vcl), varnish_nodes(vcl)]
    relay = Forwarder(nodes[1].port).start()  # node 2 is purged through a relay we can cut
    settings.CDN_BACKEND = "varnish"
    settings.CDN_VARNISH_URLS = [nodes[0].base, relay.url]
    settings.CDN_PURGE_TIMEOUT = 2.0
    yield Fleet(app, nodes, relay)
    relay.stop()


@pytest.fixture
def content(fleet, make_article):
    return edge_world(make_article)


VARIANTS = [
    "/api/v1/articles/",
    "/api/v1/articles/?limit=5",
    "/api/v1/articles/?topic=the-topic",
    "/api/v1/articles/?fields=id,slug,title",
    "/api/v1/articles/?ordering=title",
]


def titles(fleet, node, path):
    return [item["title"] for item in fleet.data(node, path)["results"]]


def slugs(fleet, node, path):
    return [item["slug"] for item in fleet.data(node, path)["results"]]


def feed_has(fleet, node, text):
    return text in fleet.get(node, "/feeds/articles.rss").body.decode()


def test_a_retitle_reaches_both_nodes_on_every_variant_and_nothing_unrelated_is_evicted(
    fleet, content
):
    showing = [
        *VARIANTS,
        "/api/v1/articles/first/",
        "/api/v1/articles/second/",
        "/feeds/articles.rss",
        "/api/v1/series/the-series/",
    ]
    unrelated = ["/api/v1/articles/far/", "/api/v1/articles/beyond/", "/api/v1/authors/the-author/"]
    fleet.warm(showing + unrelated)
    first = content["first"]
    first.title = "Retitled at the edge"
    with transaction.atomic():
        publish(first)

    for path in VARIANTS:
        fleet.until(lambda n, p=path: "Retitled at the edge" in titles(fleet, n, p), what=path)
    fleet.until(
        lambda n: fleet.data(n, "/api/v1/articles/first/")["title"] == "Retitled at the edge",
        what="detail",
    )
    fleet.until(
        lambda n: (
            fleet.data(n, "/api/v1/articles/second/")["navigation"]["previous"]["title"]
            == "Retitled at the edge"
        ),
        what="the neighbour's navigation",
    )
    fleet.until(lambda n: feed_has(fleet, n, "Retitled at the edge"), what="feed")
    for node in fleet.nodes:
        for path in unrelated:
            assert fleet.get(node, path).headers["X-Cache"] == "HIT", (node.base, path)


def test_publish_and_unpublish_reach_both_nodes(fleet, content, make_article):
    fleet.warm([*VARIANTS, "/api/v1/articles/beyond/", "/feeds/articles.rss"])
    fresh = make_article(slug="fresh", days=20, topics=[TopicFactory(slug="the-topic-2")])

    fleet.until(
        lambda n: "fresh" in slugs(fleet, n, "/api/v1/articles/?limit=5"), what="new in list"
    )
    fleet.until(lambda n: feed_has(fleet, n, "/fresh/"), what="new in feed")
    fleet.until(
        lambda n: (
            (fleet.data(n, "/api/v1/articles/beyond/")["navigation"]["next"] or {}).get("slug")
            == "fresh"
        ),
        what="the previous newest article links to it",
    )

    fleet.warm(["/api/v1/articles/fresh/"])
    fresh.unpublish()

    fleet.until(lambda n: fleet.get(n, "/api/v1/articles/fresh/").status == 404, what="detail gone")
    for path in VARIANTS:
        fleet.until(lambda n, p=path: "fresh" not in slugs(fleet, n, p), what=path)
    fleet.until(lambda n: not feed_has(fleet, n, "/fresh/"), what="gone from feed")


def test_expiry_by_the_scheduler_reaches_both_nodes(fleet, content):
    fleet.warm([*VARIANTS, "/api/v1/articles/middle/"])
    ArticlePage.objects.filter(pk=content["middle"].pk).update(
        expire_at=timezone.now() - timedelta(seconds=1)
    )
    call_command("publish_scheduled", verbosity=0)

    fleet.until(lambda n: fleet.get(n, "/api/v1/articles/middle/").status == 404, what="expired")
    for path in VARIANTS:
        fleet.until(lambda n, p=path: "middle" not in slugs(fleet, n, p), what=path)


def test_an_expiry_nobody_purges_ends_at_the_edge_on_time(fleet, content):
    """Without the scheduler: the freshness the edge was given ends at the expiry itself."""
    from api.delivery.caching import content_generation_bump

    expiry = timezone.now() + timedelta(seconds=3)
    ArticlePage.objects.filter(pk=content["far"].pk).update(expire_at=expiry)  # no signal
    content_generation_bump()  # what the scheduler's save would do at the origin
    fleet.warm(["/api/v1/articles/far/"])
    cache_control = fleet.get(fleet.nodes[0], "/api/v1/articles/far/").headers["Cache-Control"]
    assert "s-maxage=" in cache_control and "s-maxage=86400" not in cache_control

    while timezone.now() < expiry + timedelta(milliseconds=200):
        time.sleep(0.1)
    for node in fleet.nodes:
        assert fleet.get(node, "/api/v1/articles/far/").status == 404


def test_a_series_reorder_reaches_both_nodes(fleet, content):
    fleet.warm(["/api/v1/series/the-series/", "/api/v1/articles/first/", "/api/v1/articles/far/"])
    with transaction.atomic():
        for member in SeriesMember.objects.filter(series=content["series"]):
            member.sort_order = 1 - member.sort_order
            member.save()

    fleet.until(
        lambda n: (
            [a["slug"] for a in fleet.data(n, "/api/v1/series/the-series/")["articles"]]
            == ["second", "first"]
        ),
        what="series order",
    )
    fleet.until(
        lambda n: fleet.data(n, "/api/v1/articles/first/")["series"]["position"] == 2,
        what="member position",
    )
    for node in fleet.nodes:
        assert fleet.get(node, "/api/v1/articles/far/").headers["X-Cache"] == "HIT"


def test_an_author_rename_reaches_both_nodes(fleet, content):
    fleet.warm(["/api/v1/articles/first/", "/api/v1/authors/the-author/", "/api/v1/articles/far/"])
    author = Author.objects.get(slug="the-author")
    author.name = "Dr. Renamed"
    author.save()

    fleet.until(
        lambda n: fleet.data(n, "/api/v1/articles/first/")["authors"][0]["name"] == "Dr. Renamed",
        what="byline",
    )
    fleet.until(
        lambda n: fleet.data(n, "/api/v1/authors/the-author/")["name"] == "Dr. Renamed",
        what="author",
    )
    for node in fleet.nodes:
        assert fleet.get(node, "/api/v1/articles/far/").headers["X-Cache"] == "HIT"


def test_partner_and_anonymous_answers_never_cross_at_the_edge(fleet, content):
    partner = partner_create(name="Wellness Weekly", full_text=True)
    _, key = api_key_issue(partner=partner, name="web")
    as_partner = {"Authorization": f"Api-Key {key}"}
    node = fleet.nodes[0]

    anonymous = fleet.data(node, "/api/v1/articles/first/")
    assert fleet.get(node, "/api/v1/articles/first/").headers["X-Cache"] == "HIT"
    partnered = fleet.get(node, "/api/v1/articles/first/", as_partner)
    again = fleet.get(node, "/api/v1/articles/first/", as_partner)
    after = fleet.data(node, "/api/v1/articles/first/")

    assert partnered.headers["X-Cache"] == again.headers["X-Cache"] == "MISS"
    assert "private" in partnered.headers["Cache-Control"]
    assert "full_text" in json.loads(partnered.body)["syndication"]
    assert "full_text" not in anonymous["syndication"] and after == anonymous
    bad = fleet.get(node, "/api/v1/articles/first/", {"Authorization": "Api-Key not-a-key"})
    assert bad.status == 401 and json.loads(bad.body)["error"]["code"] == "invalid_api_key"
    feed = fleet.get(node, "/feeds/articles.rss?api_key=not-a-key")
    assert feed.status == 401


def test_a_purge_missed_while_a_node_is_unreachable_is_retried_once_it_is_back(fleet, content):
    fleet.warm(["/api/v1/articles/first/", *VARIANTS])
    fleet.relay.stop()  # node 2 still serves readers, but purges cannot reach it
    first = content["first"]
    first.title = "Retitled during the outage"
    with transaction.atomic():
        publish(first)

    one, two = fleet.nodes
    assert fleet.data(one, "/api/v1/articles/first/")["title"] == "Retitled during the outage"
    pending = EdgePurge.objects.get(target=f"varnish {fleet.relay.url}", status="pending")
    assert pending.attempt_count == 1 and pending.last_error

    fleet.relay.start()  # back, on the same address
    EdgePurge.objects.filter(pk=pending.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=1)
    )
    edge_purge_sweep()  # what the scheduler runs every minute

    pending.refresh_from_db()
    assert pending.status == "done"
    assert fleet.data(two, "/api/v1/articles/first/")["title"] == "Retitled during the outage"
    for path in VARIANTS:
        assert "Retitled during the outage" in titles(fleet, two, path), path
