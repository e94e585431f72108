"""Edge purge test support: two loopback recorders as the Varnish fleet, and what a response shows.

Two loopback recorders stand in for two Varnish nodes. A response "is purged" when one of its
`Surrogate-Key` keys (read from the API's real response) is among the keys a node was sent.
"""

import pytest

from api.models import EdgePurge
from tests.edge_support import edge_world
from tests.purge_recorder import recorder_start, recorder_stop


class Edge:
    """Two recorder nodes configured as the Varnish fleet."""

    def __init__(self, settings):
        self.nodes = [recorder_start(), recorder_start()]
        settings.CDN_BACKEND = "varnish"
        settings.CDN_VARNISH_URLS = [node.url for node in self.nodes]
        settings.CDN_PURGE_TIMEOUT = 2.0

    def requests(self, node: int = 0) -> list[set[str]]:
        return [set(r.headers["xkey"].split()) for r in self.nodes[node].requests]

    def purged(self, node: int = 0) -> set[str]:
        return set().union(*self.requests(node))

    def forget(self) -> None:
        for node in self.nodes:
            node.requests.clear()

    def stop(self) -> None:
        for node in self.nodes:
            recorder_stop(node)


@pytest.fixture
def edge(settings, journal):
    # After the journal and its site: what was there before the edge needs no purge.
    running = Edge(settings)
    yield running
    running.stop()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run an editorial change and what its commit triggers (tests roll back, never commit)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def world(edge, committed, make_article):
    """`first` and `second` in a series by one author, `middle` between them and `far`, and
    `far` alone at the end (its own author, topic and image), with `beyond` after it.

    Created, committed and purged before the test begins, as if long ago."""
    with committed():
        built = edge_world(make_article)
    edge.forget()
    EdgePurge.objects.all().delete()
    return built


def shown(api, path: str) -> set[str]:
    response = api.get(path)
    assert response.status_code == 200, (path, response.status_code)
    assert set(response["Cache-Tag"].split(",")) == set(response["Surrogate-Key"].split())
    return set(response["Surrogate-Key"].split())


def snapshot(api, paths) -> dict[str, set[str]]:
    return {path: shown(api, path) for path in paths}


def assert_purged(before: dict[str, set[str]], purged: set[str], *, paths) -> None:
    missed = [path for path in paths if not before[path] & purged]
    assert not missed, f"not purged: {missed} (purged {sorted(purged)})"


def assert_kept(before: dict[str, set[str]], purged: set[str], *, paths) -> None:
    evicted = {path: sorted(before[path] & purged) for path in paths if before[path] & purged}
    assert not evicted, f"purged though unchanged: {evicted}"


LISTS = [
    "/api/v1/articles/",
    "/api/v1/articles/?limit=1",
    "/api/v1/articles/?topic=the-topic",
    "/api/v1/articles/?ordering=title&fields=id,title",
    "/api/v1/articles/?search=summary",
    "/api/v1/articles/?tag=nobody-uses-this",  # empty, and still a list
    "/feeds/articles.rss",
    "/feeds/articles.json",
]
