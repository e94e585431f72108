"""A fresh worker's first request costs the queries of any later one (api/content/warmup.py)."""

import os
import signal
import socket

import pytest

from api.partners.provisioning import api_key_issue, partner_create
from tests.factories import AuthorFactory, TopicFactory, series_with_members
from tests.live.conftest import AppServer, wait_until

pytestmark = pytest.mark.services

# tests/api/test_query_budget.py pins 8 on the test client, whose settings switch the
# per-worker site rule off; served with it, the site and view restrictions cost nothing.
LIST_BUDGET = 6


class ColdServer(AppServer):
    """An AppServer that counts queries and whose start sends no request: it waits only for the
    port, so the first request a test sends is its worker's first."""

    def __init__(self, **extra_env):
        super().__init__(
            redis_url=os.environ["REDIS_URL"],
            extra_env={
                "DJANGO_SETTINGS_MODULE": "tests.live.query_count_settings",
                # A later request must do the same work as the first, not hit the cache.
                "API_RESPONSE_CACHE": "0",
                **extra_env,
            },
        )

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"gunicorn exited: {self.log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False


def served_by(response) -> tuple[int, int]:
    """(worker pid, how many requests that worker had served with this one)."""
    pid, number = response.headers["X-Served-By"].split(":")
    return int(pid), int(number)


def queries(response) -> int:
    assert response.status == 200, (response.status, response.body[:300])
    return int(response.headers["X-Query-Count"])


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def recycle(server: ColdServer, pid: int) -> None:
    """End worker `pid` as `max_requests` does; the arbiter forks a fresh one in its place."""
    os.kill(pid, signal.SIGTERM)
    wait_until(lambda: gone(pid), timeout=30, what=f"worker {pid} to exit")


@pytest.fixture(scope="module")
def server(services, django_db_setup):
    server = ColdServer().start()
    yield server
    server.stop()


@pytest.fixture
def content(journal, make_article):
    """Articles with everything a summary and a detail load: bylines, topics, tags, images."""
    topic = TopicFactory(slug="sleep")
    articles = [
        make_article(
            slug=f"article-{n}",
            authors=[AuthorFactory()],
            topics=[topic],
            tags=["sleep"],
            image=n < 2,
            title=f"Sleep well {n}",
        )
        for n in range(4)
    ]
    series_with_members(*articles, slug="the-series")
    return articles


ARTICLE_LIST = "/api/v1/articles/?limit=100"
PATHS = (
    ARTICLE_LIST,
    "/api/v1/articles/article-2/",
    "/api/v1/series/the-series/",
    "/api/v1/articles/?search=sleep",
    "/feeds/articles.rss",
)


def first_and_later(server: ColdServer, path: str, headers=None) -> tuple[int, int]:
    """The queries of `path` as a fresh worker's first request, and as its second."""
    # Once on the current worker: what is shared (renditions, the cache's generation and
    # schedule) exists before the fresh worker starts, as it does in production.
    before = server.get(path, headers)
    assert before.status == 200, (path, before.status)
    recycle(server, served_by(before)[0])

    first, later = server.get(path, headers), server.get(path, headers)

    fresh_pid, number = served_by(first)
    assert fresh_pid != served_by(before)[0] and number == 1  # the fresh worker's very first
    assert served_by(later) == (fresh_pid, 2)
    return queries(first), queries(later)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_fresh_workers_first_request_costs_what_a_later_one_does(server, content):
    cold, warm = {}, {}
    for path in PATHS:
        cold[path], warm[path] = first_and_later(server, path)

    assert cold == warm
    assert cold[ARTICLE_LIST] <= LIST_BUDGET


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_partners_first_request_on_a_fresh_worker_costs_what_a_later_one_does(server, content):
    partner = partner_create(name="Cold partner", full_text=True, rate_limit="100000/day")
    key = api_key_issue(partner=partner, name="cold")[1]
    headers = {"Authorization": f"Api-Key {key}"}
    cold, warm = {}, {}
    for path in PATHS[:3]:
        cold[path], warm[path] = first_and_later(server, path, headers)

    assert cold == warm


class TestWarmUpFailsSoft:
    """A warm-up that fails or hangs is logged; the worker serves regardless."""

    def test_an_unreachable_database(self, services):
        with socket.socket() as closed:
            closed.bind(("127.0.0.1", 0))
            port = closed.getsockname()[1]  # bound, not listening: connections are refused
            server = ColdServer(DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/folio")
            try:
                server.start()
                assert server.get("/healthz").status == 200
                assert "worker warm-up failed" in server.log.read_text()
            finally:
                server.stop()

    def test_a_database_that_never_answers(self, services):
        with socket.socket() as silent:
            silent.bind(("127.0.0.1", 0))
            silent.listen(8)  # connections are accepted by the kernel, never answered
            port = silent.getsockname()[1]
            server = ColdServer(DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/folio")
            try:
                server.start()
                assert server.get("/healthz").status == 200
                assert "warm-up still running" in server.log.read_text()
            finally:
                server.stop()
