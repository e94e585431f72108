"""/readyz checks the read replica when one is configured, and names it when it is down."""

import socket

import pytest
from django.db import OperationalError, connections
from django.test import Client

from cms.db_routers import REPLICA

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A local port nothing listens on: bound, then released without listening."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def replica(django_db_blocker):
    """Configure a `replica` alias, as DATABASE_REPLICA_URL does, with the settings given.

    Django's test case refuses connections to aliases it was not given when the test began;
    pytest-django's blocker lifts that for this test, which adds the alias itself.
    """

    def configure(**database):
        # Django fills in the defaults of every setting left out (it insists on a default).
        configured = connections.configure_settings(
            {"default": dict(connections.settings["default"]), REPLICA: database}
        )
        connections.settings[REPLICA] = configured[REPLICA]

    with django_db_blocker.unblock():
        yield configure
    if REPLICA in connections.settings:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


def readyz():
    response = Client().get("/readyz")
    assert response["Content-Type"].startswith("application/json")
    return response.status_code, response.json()


def test_without_a_replica_the_body_names_the_database_and_the_cache_only():
    assert REPLICA not in connections
    assert readyz() == (200, {"status": "ok", "checks": {"database": "ok", "cache": "ok"}})


def test_a_replica_that_answers_is_checked_and_reported(replica):
    # The same database as the primary, under the replica's alias: it answers.
    replica(**{**connections.settings["default"], "TEST": {"MIRROR": "default"}})

    assert readyz() == (
        200,
        {"status": "ok", "checks": {"database": "ok", "cache": "ok", "replica": "ok"}},
    )


def test_an_unreachable_replica_makes_the_process_not_ready_and_is_named(replica):
    replica(
        ENGINE="django.db.backends.postgresql",
        HOST="127.0.0.1",
        PORT=closed_port(),
        NAME="folio",
        USER="postgres",
        OPTIONS={"connect_timeout": 2},
    )

    with pytest.raises(OperationalError):  # the premise: nothing answers there
        connections[REPLICA].ensure_connection()

    status, body = readyz()

    assert status == 503
    error = body["error"]
    assert (error["status"], error["code"]) == (503, "service_unavailable")
    # The primary and the cache are fine: only the replica is named.
    assert error["details"] == {"replica": ["unreachable"]}
    assert "replica" in error["message"]
