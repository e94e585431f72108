"""Real servers for tests that cross process boundaries: gunicorn app servers and Redis.

These tests need PostgreSQL (a database several processes share) and Redis: they fail in CI
when either is missing and skip on a developer's embedded set-up (see tests/conftest.py).
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.api.conftest import _no_reference_index, make_article  # noqa: F401  (shared fixtures)
from tests.conftest import service_missing

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, *, timeout: float = 20.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@dataclass
class HttpResponse:
    status: int
    headers: dict
    body: bytes


def http_get(url: str, headers: dict | None = None, timeout: float = 10.0) -> HttpResponse:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - http only
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http only
            return HttpResponse(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return HttpResponse(error.code, dict(error.headers), error.read())


@pytest.fixture(scope="session")
def services():
    """PostgreSQL and Redis, as named by DATABASE_URL and REDIS_URL."""
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        service_missing("PostgreSQL (DATABASE_URL), shared by several server processes,")
    if not os.environ.get("REDIS_URL"):
        service_missing("Redis (REDIS_URL)")


def live_database_url() -> str:
    """The URL of the test database this pytest process uses, for servers to share it."""
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class AppServer:
    """One gunicorn process with production settings, on its own port."""

    def __init__(self, *, redis_url: str, extra_env: dict | None = None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = Path(f"/tmp/folio-live-{self.port}.log")  # noqa: S108
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": "live-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "localhost,127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": live_database_url(),
            "DATABASE_CONN_MAX_AGE": "0",
            "REDIS_URL": redis_url,
            # Share the pytest process's cache namespace, so its editorial changes reach us.
            "CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", ""),
            "PUBLIC_BASE_URL": "http://127.0.0.1:8000",
            "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "GUNICORN_WORKERS": "1",
            "GUNICORN_THREADS": "2",
            "GUNICORN_ACCESS_LOG": "",
            "PYTHONPATH": str(ROOT),
            **(extra_env or {}),
        }
        self.process = None

    def start(self) -> "AppServer":
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "cms.wsgi",
                "-c",
                "python:cms.gunicorn",
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        wait_until(self._answers, timeout=30, what=f"gunicorn on {self.port} ({self.log})")
        return self

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"gunicorn exited: {self.log.read_text()[-2000:]}")
        try:
            return http_get(self.base + "/healthz", timeout=1).status == 200
        except OSError:
            return False

    def get(self, path: str, headers: dict | None = None) -> HttpResponse:
        return http_get(self.base + path, headers={"Host": "localhost", **(headers or {})})

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


class RedisServer:
    """A private redis-server process that a test may stop and start again."""

    def __init__(self):
        binary = shutil.which("redis-server")
        if binary is None:
            service_missing("redis-server (to stop and restart a private Redis)")
        self.binary = binary
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(  # noqa: S603
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._answers, what=f"redis on {self.port}")
        return self

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def app_servers(services, transactional_db):
    """Start app servers on demand; all are stopped when the test ends."""
    started = []

    def start(count: int = 1, *, redis_url: str | None = None, **extra_env):
        servers = [
            AppServer(redis_url=redis_url or os.environ["REDIS_URL"], extra_env=extra_env).start()
            for _ in range(count)
        ]
        started.extend(servers)
        return servers

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def private_redis(services):
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def server_pair(services, django_db_setup):
    """Two app servers started once for a module; each test brings its own committed data."""
    servers = [AppServer(redis_url=os.environ["REDIS_URL"]).start() for _ in range(2)]
    yield servers
    for server in servers:
        server.stop()
