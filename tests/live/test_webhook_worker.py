"""(c) The real worker on the real queue: killed mid-delivery, restarted, and nothing is lost.

`manage.py db_worker` runs as a separate process with production settings (plus loopback
webhooks), against the PostgreSQL test database this process writes to; tasks go through
django-tasks-db's database queue. Needs PostgreSQL: fails in CI without it, skips locally.
"""

# ruff: noqa: F811  (the receiver, partner and endpoint fixtures come from webhook_support)

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from api.models import WebhookAttempt, WebhookDelivery, WebhookEvent
from api.webhooks.delivery import webhook_sweep
from tests.api.webhook_support import endpoint, partner, receiver  # noqa: F401
from tests.conftest import service_missing
from tests.live.conftest import ROOT, live_database_url, wait_until

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WORKER_TIMEOUT = 3  # WEBHOOK_TIMEOUT of the worker: its lease is this plus LEASE_MARGIN
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def postgresql():
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        service_missing("PostgreSQL (DATABASE_URL), shared with the worker process,")


class Worker:
    """One `manage.py db_worker` process."""

    def __init__(self, name: str):
        self.log = Path(f"/tmp/folio-webhook-worker-{os.getpid()}-{name}.log")  # noqa: S108
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": "worker-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "localhost",
            "DATABASE_URL": live_database_url(),
            "DATABASE_CONN_MAX_AGE": "0",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "WEBHOOK_ALLOW_HTTP": "1",
            "WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "1",
            "WEBHOOK_TIMEOUT": str(WORKER_TIMEOUT),
            "PYTHONPATH": str(ROOT),
        }
        self.process = None

    def start(self) -> "Worker":
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        return self

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


@pytest.fixture
def workers(postgresql):
    started = []

    def start(name: str) -> Worker:
        worker = Worker(name).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def fresh(model, **lookup):
    close_old_connections()
    return model.objects.get(**lookup)


def test_a_worker_killed_mid_delivery_loses_nothing(
    workers, make_article, endpoint, receiver, settings
):
    settings.TASKS = DATABASE_QUEUE  # this process enqueues on the database queue
    receiver.then(hang=True)  # the first POST never gets an answer
    first_worker = workers("first")

    first = make_article(slug="in-flight-when-killed")
    delivery = WebhookDelivery.objects.get(event__article_id=first.pk)
    assert receiver.arrived.wait(30), first_worker.output()

    # Killed while the receiver holds the request: no answer, no record, a lease left behind.
    first_worker.kill()
    delivery = fresh(WebhookDelivery, pk=delivery.pk)
    assert (delivery.status, delivery.attempt_count) == ("pending", 1)
    assert delivery.locked_until > timezone.now()
    assert not WebhookAttempt.objects.exists()
    stranded = DBTaskResult.objects.get(
        task_path="api.webhooks.delivery.webhook_deliver", args_kwargs__args=[delivery.pk]
    )
    assert stranded.status == "RUNNING"  # the queue will not hand it out again

    # An event written while no worker runs waits in the queue.
    second = make_article(slug="published-while-down")
    second_worker = workers("second")
    wait_until(
        lambda: fresh(WebhookDelivery, event__article_id=second.pk).status == "succeeded",
        timeout=30,
        what=f"the queued second event ({second_worker.output()})",
    )
    assert len(receiver.requests) == 2

    # Until the lease runs out the sweeper leaves the killed attempt alone.
    assert webhook_sweep() == 0
    lease_left = (delivery.locked_until - timezone.now()).total_seconds()
    time.sleep(max(0.0, lease_left) + 0.5)
    assert webhook_sweep() == 1
    wait_until(
        lambda: fresh(WebhookDelivery, pk=delivery.pk).status == "succeeded",
        timeout=30,
        what=f"redelivery by the new worker ({second_worker.output()})",
    )

    delivery = fresh(WebhookDelivery, pk=delivery.pk)
    assert delivery.attempt_count == 2
    [attempt] = delivery.attempts.all()
    assert (attempt.status_code, attempt.succeeded) == (200, True)
    # Every event reached the receiver; the interrupted one twice, with one id.
    second_event = WebhookEvent.objects.get(article_id=second.pk)
    received = sorted(request.json["id"] for request in receiver.requests)
    assert received == sorted([str(delivery.event_id)] * 2 + [str(second_event.pk)])
    assert not WebhookDelivery.objects.exclude(status="succeeded").exists()
    assert webhook_sweep() == 0


def test_concurrent_sweepers_enqueue_each_delivery_once(
    postgresql, make_article, endpoint, settings
):
    """Two sweepers on two connections at the same moment (PostgreSQL row locking)."""
    settings.TASKS = DATABASE_QUEUE
    for n in range(5):
        make_article(slug=f"swept-{n}")
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(hours=1))
    DBTaskResult.objects.all().delete()  # as if every task were lost

    barrier = threading.Barrier(2)
    counts = []

    def sweep():
        try:
            barrier.wait()
            counts.append(webhook_sweep())
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(counts) == 5
    queued = DBTaskResult.objects.filter(task_path="api.webhooks.delivery.webhook_deliver")
    assert sorted(task.args_kwargs["args"][0] for task in queued) == sorted(
        WebhookDelivery.objects.values_list("pk", flat=True)
    )
