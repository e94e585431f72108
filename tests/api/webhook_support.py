"""Webhook test support: a real HTTP receiver on loopback, partners with endpoints, and a clock.

The receiver is a threaded server that records every request's raw body and headers exactly as
they arrived; it can be told to answer the next requests with an error, a redirect, a delay, or
to hang until released. `advance` moves the outbox's clock: every stored time is moved back,
which is what the passing of that much time looks like to the scheduler and the sweeper.
"""

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db.models import F
from django.utils import timezone

from api.models import WebhookAttempt, WebhookDelivery, WebhookEvent
from api.partners.provisioning import partner_create
from api.webhooks.delivery import SWEEP_GRACE, webhook_sweep
from api.webhooks.services import webhook_endpoint_create
from tests.loopback import loopback_serve, loopback_stop


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int = 0  # what the receiver answered (0: never answered)

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Behaviour:
    status: int = 200
    sleep: float = 0.0
    hang: bool = False
    location: str = ""
    body: bytes = b"ok"


@dataclass
class Receiver:
    """Answers POSTs with queued behaviours (then 200), recording every request."""

    requests: list[Received] = field(default_factory=list)
    queued: list[Behaviour] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/folio"

    def then(self, times: int = 1, **behaviour) -> "Receiver":
        """Answer the next `times` requests so (status=, sleep=, hang=, location=, body=)."""
        with self.lock:
            self.queued.extend(Behaviour(**behaviour) for _ in range(times))
        return self

    def fail(self, times: int, status: int = 500) -> "Receiver":
        return self.then(times, status=status, body=b"receiver error")

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.requests) >= count:
                    return list(self.requests)
            time.sleep(0.05)
        raise AssertionError(f"expected {count} requests, got {len(self.requests)}")

    def bodies(self) -> list[bytes]:
        with self.lock:
            return [request.body for request in self.requests]

    def _next(self) -> Behaviour:
        with self.lock:
            return self.queued.pop(0) if self.queued else Behaviour()


def _handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            received = Received(
                path=self.path, headers=dict(self.headers.items()), body=self.rfile.read(length)
            )
            behaviour = receiver._next()
            with receiver.lock:
                receiver.requests.append(received)
            receiver.arrived.set()
            if behaviour.hang:
                receiver.released.wait(120)
                return
            if behaviour.sleep:
                time.sleep(behaviour.sleep)
            received.status = behaviour.status
            try:
                self.send_response(behaviour.status)
                if behaviour.location:
                    self.send_header("Location", behaviour.location)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(behaviour.body)))
                self.end_headers()
                self.wfile.write(behaviour.body)
            except OSError:
                pass  # the sender gave up (a timeout or a killed worker)

        def do_GET(self):
            with receiver.lock:
                receiver.requests.append(
                    Received(path=self.path, headers=dict(self.headers.items()), body=b"GET")
                )
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    return Handler


def start_receiver() -> Receiver:
    receiver = Receiver()
    receiver.server = loopback_serve(_handler(receiver))
    return receiver


def stop_receiver(receiver: Receiver) -> None:
    receiver.released.set()
    loopback_stop(receiver.server)


@pytest.fixture
def receiver():
    running = start_receiver()
    yield running
    stop_receiver(running)


@pytest.fixture
def partner(db):
    return partner_create(name="Republisher Daily")


@pytest.fixture
def endpoint(partner, receiver):
    """An endpoint of `partner` on the receiver, subscribed to everything; `.plain_secret`."""
    created, secret = webhook_endpoint_create(partner=partner, url=receiver.url)
    created.plain_secret = secret
    return created


def advance(seconds: float) -> None:
    """Let `seconds` pass for the outbox: every time it stored moves that far into the past."""
    delta = timedelta(seconds=seconds)
    WebhookEvent.objects.update(created_at=F("created_at") - delta)
    WebhookDelivery.objects.update(
        created_at=F("created_at") - delta,
        next_attempt_at=F("next_attempt_at") - delta,
        locked_until=F("locked_until") - delta,
        completed_at=F("completed_at") - delta,
    )
    WebhookAttempt.objects.update(attempted_at=F("attempted_at") - delta)


def run_due() -> int:
    """Let time pass until every pending delivery is due and overdue, then sweep (tasks run
    inline under the test settings' immediate backend); returns how many were enqueued."""
    pending = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING)
    latest = max((d.next_attempt_at for d in pending), default=None)
    if latest is None:
        return 0
    wait = (latest - timezone.now()).total_seconds() + SWEEP_GRACE + 1
    advance(max(wait, SWEEP_GRACE + 1))
    return webhook_sweep()
