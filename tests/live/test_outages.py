"""Outages survived: PostgreSQL stopped under a running server, Redis stopped under throttling.

PostgreSQL here is a private cluster of our own (initdb, pg_ctl), loaded with a copy of the
test database, so the test can really stop and start it without touching the shared server.
"""

import contextlib
import glob
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import service_missing
from tests.live.conftest import free_port, wait_until

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class PrivatePostgres:
    """A throwaway PostgreSQL cluster on its own port, run as the `postgres` system user."""

    def __init__(self):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not bins or shutil.which("runuser") is None:
            service_missing("PostgreSQL server binaries (to stop and start a private cluster)")
        self.bin = Path(bins[-1]).parent
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="folio-pg-"))
        self.data = self.dir / "data"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/folio"

    def _as_postgres(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        command = ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else list(args)
        return subprocess.run(command, check=True, capture_output=True, timeout=120, **kwargs)  # noqa: S603

    def create(self) -> "PrivatePostgres":
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        self._as_postgres(
            str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
            "--no-sync",
        )  # fmt: skip
        return self.start()

    def start(self) -> "PrivatePostgres":
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l",
            str(self.dir / "log"), "-w", "start",
        )  # fmt: skip
        return self

    def stop(self) -> None:
        # Immediate: the server goes away as in a crash, connections and all.
        self._as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")

    def load_copy_of(self, database: str) -> None:
        """Create `folio` holding a copy (schema and rows) of the test database."""
        host = ["-h", "127.0.0.1", "-U", "postgres"]
        self._as_postgres(str(self.bin / "createdb"), *host, "-p", str(self.port), "folio")
        dump = subprocess.run(  # noqa: S603
            [str(self.bin / "pg_dump"), *host, "-p", str(connection.settings_dict["PORT"] or 5432),
             "--no-owner", "--no-privileges", database],
            check=True, capture_output=True, timeout=120,
        ).stdout  # fmt: skip
        self._as_postgres(
            str(self.bin / "psql"), *host, "-p", str(self.port), "-q", "-v", "ON_ERROR_STOP=1",
            "-d", "folio", input=dump,
        )  # fmt: skip

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def private_postgres(services, make_article):
    make_article(slug="survivor", title="The survivor")
    server = PrivatePostgres().create()
    server.load_copy_of(connection.settings_dict["NAME"])
    yield server
    server.destroy()


def body_of(response) -> dict:
    return json.loads(response.body)


def test_a_database_outage_is_a_503_and_recovery_needs_no_restart(app_servers, private_postgres):
    (server,) = app_servers(1, DATABASE_URL=private_postgres.url, API_RESPONSE_CACHE="1")
    cached = server.get("/api/v1/articles/")
    assert [a["slug"] for a in body_of(cached)["results"]] == ["survivor"]

    private_postgres.stop()

    for path in (
        "/api/v1/articles/survivor/",
        "/api/v1/topics/",
        "/api/v1/sync/",
        "/feeds/articles.rss",
        "/feeds/topics/none.json",
    ):
        response = server.get(path)
        assert response.status == 503, (path, response.status, response.body[:300])
        assert response.headers["Content-Type"].startswith("application/json")
        assert body_of(response)["error"]["code"] == "service_unavailable"
        assert int(response.headers["Retry-After"]) >= 1
        assert b"Traceback" not in response.body and b"psycopg" not in response.body
    ready = server.get("/readyz")
    assert ready.status == 503
    assert "database" in body_of(ready)["error"]["details"]
    assert server.get("/healthz").status == 200
    # The site (Wagtail's page serving) too, in plain text.
    page = server.get("/")
    assert page.status == 503 and page.headers["Content-Type"].startswith("text/plain")
    assert b"Traceback" not in page.body
    # What the shared cache already holds is still served while the database is away.
    still = server.get("/api/v1/articles/")
    assert still.status == 200 and still.body == cached.body

    private_postgres.start()

    wait_until(
        lambda: server.get("/api/v1/articles/survivor/").status == 200,
        timeout=30,
        what="the API to answer again once PostgreSQL is back",
    )
    assert body_of(server.get("/api/v1/articles/survivor/"))["title"] == "The survivor"
    assert server.get("/readyz").status == 200


def test_throttling_fails_open_when_redis_is_down(app_servers, private_redis, make_article):
    make_article(slug="open")
    (server,) = app_servers(1, redis_url=private_redis.url, API_ANONYMOUS_RATE="3/day")
    assert [server.get("/api/v1/topics/").status for _ in range(4)] == [200, 200, 200, 429]

    private_redis.stop()

    # The limit cannot be counted: requests are served (and the failure logged), not refused.
    assert {server.get("/api/v1/topics/").status for _ in range(5)} == {200}

    private_redis.start()  # a fresh, empty Redis: counting starts again
    assert [server.get("/api/v1/topics/").status for _ in range(4)] == [200, 200, 200, 429]
