"""Delivery against a real receiver on loopback: retries, deadlines, leases, the sweeper, skips."""

# ruff: noqa: F811  (the receiver, partner and endpoint fixtures come from webhook_support)

import socket
import threading
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from api.models import WebhookAttempt, WebhookDelivery
from api.webhooks.delivery import BACKOFF_BASE, SWEEP_GRACE, delivery_attempt, webhook_sweep
from tests.api.webhook_support import advance, endpoint, partner, receiver, run_due  # noqa: F401
from tests.factories import publish

pytestmark = pytest.mark.django_db

SUCCEEDED = WebhookDelivery.Status.SUCCEEDED
FAILED = WebhookDelivery.Status.FAILED
PENDING = WebhookDelivery.Status.PENDING


@pytest.fixture
def published(make_article, endpoint, django_capture_on_commit_callbacks):
    """Publish an article; its delivery is enqueued, as on commit, and attempted at once."""

    def publish_one(**fields):
        with django_capture_on_commit_callbacks(execute=True):
            return make_article(**fields)

    return publish_one


def attempts() -> list[WebhookAttempt]:
    return list(WebhookAttempt.objects.order_by("attempted_at", "pk"))


class TestRetries:
    def test_a_receiver_failing_twice_gets_exactly_one_successful_delivery(
        self, published, receiver
    ):
        receiver.fail(2)
        published(slug="third-time-lucky")
        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.attempt_count) == (PENDING, 1)
        first_retry_wait = delivery.next_attempt_at - attempts()[0].attempted_at
        assert timedelta(seconds=1) <= first_retry_wait <= timedelta(seconds=BACKOFF_BASE)

        assert run_due() == 1  # the second attempt: fails again
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempt_count) == (PENDING, 2)
        second_retry_wait = delivery.next_attempt_at - attempts()[1].attempted_at
        assert timedelta(seconds=1) <= second_retry_wait <= timedelta(seconds=2 * BACKOFF_BASE)

        assert run_due() == 1  # the third: succeeds
        assert run_due() == 0  # and nothing is left to send

        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempt_count) == (SUCCEEDED, 3)
        assert delivery.completed_at is not None
        assert [(a.status_code, a.succeeded) for a in attempts()] == [
            (500, False),
            (500, False),
            (200, True),
        ]
        assert [r.status for r in receiver.requests] == [500, 500, 200]
        # The same event each time (the test's clock moved its created_at); receivers
        # deduplicate on its id.
        sent = [r.json for r in receiver.requests]
        assert all(body["id"] == str(delivery.event_id) for body in sent)
        assert all(body["data"] == sent[0]["data"] for body in sent)
        assert {r.headers["Folio-Event-Id"] for r in receiver.requests} == {str(delivery.event_id)}

    def test_retries_stop_when_the_retry_window_runs_out(self, published, receiver, settings):
        settings.WEBHOOK_RETRY_WINDOW = 600
        receiver.fail(100, status=503)
        published(slug="never-answered")

        for _ in range(30):  # bounded: a window that never closed would fail, not hang
            if not run_due():
                break

        delivery = WebhookDelivery.objects.get()
        assert delivery.status == FAILED
        assert delivery.completed_at is not None
        assert delivery.attempt_count == len(receiver.requests) == len(attempts())
        assert 2 <= delivery.attempt_count <= 12
        last = attempts()[-1]
        assert (last.status_code, last.succeeded) == (503, False)
        # No attempt was scheduled past the window.
        window_end = delivery.event.created_at + timedelta(seconds=600)
        assert all(a.attempted_at <= window_end + timedelta(seconds=5) for a in attempts()[:-1])

    def test_backoff_grows_exponentially_with_full_jitter(self):
        from api.webhooks.delivery import backoff_seconds

        for attempts_made, ceiling in [(1, 10), (2, 20), (3, 40), (7, 640), (9, 2560), (30, 3600)]:
            waits = [backoff_seconds(attempts_made) for _ in range(300)]
            assert all(1 <= wait <= ceiling for wait in waits)
            assert max(waits) > ceiling * 0.7  # spread over the whole range, not fixed
            assert min(waits) < max(1.0, ceiling * 0.3)


class TestOneAttempt:
    def test_a_slow_receiver_is_cut_off_at_the_timeout(self, published, receiver, settings):
        settings.WEBHOOK_TIMEOUT = 0.5
        receiver.then(sleep=3)
        started = time.monotonic()
        published(slug="slow-receiver")

        assert time.monotonic() - started < 2.5
        [attempt] = attempts()
        assert attempt.status_code is None
        assert attempt.error == "timed out after 0.5 s"
        assert 450 <= attempt.latency_ms < 2000
        assert WebhookDelivery.objects.get().status == PENDING  # to be retried

    def test_a_trickling_receiver_is_cut_off_at_the_timeout_too(
        self, make_article, partner, settings, django_capture_on_commit_callbacks
    ):
        """Each byte arrives within the socket timeout; only a deadline on the whole exchange
        keeps the attempt inside its worker's lease."""
        from api.webhooks.services import webhook_endpoint_create

        settings.WEBHOOK_TIMEOUT = 1.0
        listener = socket.create_server(("127.0.0.1", 0))
        stop = threading.Event()

        def trickle():
            connection, _ = listener.accept()
            with connection:
                connection.recv(65536)
                connection.sendall(b"HTTP/1.1 200 OK\r\n")
                give_up = time.monotonic() + 8  # so that a missing deadline fails, not hangs
                while not stop.is_set() and time.monotonic() < give_up:
                    try:
                        connection.sendall(b"X")
                    except OSError:
                        return
                    time.sleep(0.2)

        threading.Thread(target=trickle, daemon=True).start()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/hook"
        webhook_endpoint_create(partner=partner, url=url)
        started = time.monotonic()
        try:
            with django_capture_on_commit_callbacks(execute=True):
                make_article(slug="trickled")
        finally:
            stop.set()
            listener.close()

        assert time.monotonic() - started < 4
        [attempt] = attempts()
        assert (attempt.status_code, attempt.error) == (None, "timed out after 1 s")

    def test_redirects_are_not_followed(self, published, receiver):
        receiver.then(status=302, location=receiver.url + "/elsewhere")
        published(slug="redirected")

        [attempt] = attempts()
        assert (attempt.status_code, attempt.succeeded) == (302, False)
        assert [r.path for r in receiver.requests] == ["/hooks/folio"]

    def test_the_response_excerpt_is_the_first_500_characters(self, published, receiver):
        receiver.then(status=202, body=("é" * 300 + "x" * 2000).encode())
        published(slug="talkative")

        [attempt] = attempts()
        assert attempt.succeeded
        assert attempt.response_excerpt == "é" * 300 + "x" * 200
        assert attempt.latency_ms >= 0

    def test_an_unreachable_receiver_is_an_error_then_a_retry(self, make_article, partner):
        from api.webhooks.services import webhook_endpoint_create

        with socket.create_server(("127.0.0.1", 0)) as closed:
            port = closed.getsockname()[1]
        webhook_endpoint_create(partner=partner, url=f"http://127.0.0.1:{port}/gone")
        make_article(slug="nobody-home")
        delivery = WebhookDelivery.objects.get()
        advance(SWEEP_GRACE + 1)
        webhook_sweep()

        [attempt] = attempts()
        assert attempt.status_code is None
        assert "ConnectionRefusedError" in attempt.error
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempt_count) == (PENDING, 1)


class TestLeasesAndTheSweeper:
    def test_a_delivery_leased_by_another_worker_is_not_posted_again(
        self, make_article, endpoint, receiver
    ):
        make_article(slug="leased")
        delivery = WebhookDelivery.objects.get()
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            locked_until=timezone.now() + timedelta(seconds=30)
        )

        assert delivery_attempt(delivery_id=delivery.pk).startswith("not due")
        assert webhook_sweep() == 0
        assert receiver.requests == []
        delivery.refresh_from_db()
        assert delivery.attempt_count == 0

    def test_a_lost_task_is_swept_once_overdue_and_only_once(
        self, make_article, endpoint, receiver
    ):
        make_article(slug="lost-task")  # enqueued on commit, which never comes here: lost
        assert webhook_sweep() == 0  # not overdue yet: its own task may still run

        advance(SWEEP_GRACE + 1)
        assert webhook_sweep() == 1
        assert webhook_sweep() == 0

        [received] = receiver.requests
        assert received.json["data"]["slug"] == "lost-task"
        assert WebhookDelivery.objects.get().status == SUCCEEDED

    def test_an_expired_lease_is_swept_at_once(self, make_article, endpoint, receiver):
        """A worker killed mid-attempt leaves its lease behind; when it runs out the delivery
        is sent again, without waiting for the sweep grace."""
        make_article(slug="orphaned")
        now = timezone.now()
        WebhookDelivery.objects.update(
            attempt_count=1,
            next_attempt_at=now - timedelta(seconds=5),
            locked_until=now - timedelta(seconds=1),
        )

        assert webhook_sweep() == 1
        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.attempt_count) == (SUCCEEDED, 2)
        assert len(receiver.requests) == 1

    def test_the_scheduler_command_sweeps(self, make_article, endpoint, receiver):
        make_article(slug="scheduled-sweep")
        advance(SWEEP_GRACE + 1)

        call_command("run_scheduler", "--once", verbosity=0)

        assert [r.json["data"]["slug"] for r in receiver.requests] == ["scheduled-sweep"]

    def test_redeliver_waits_for_an_attempt_under_way(self, make_article, endpoint, receiver):
        from django.core.exceptions import ValidationError

        from api.webhooks.services import webhook_redeliver

        make_article(slug="busy")
        WebhookDelivery.objects.update(locked_until=timezone.now() + timedelta(seconds=30))

        with pytest.raises(ValidationError, match="under way"):
            webhook_redeliver(delivery=WebhookDelivery.objects.get())

    def test_a_second_sweep_does_not_enqueue_a_delivery_again(
        self, make_article, endpoint, receiver, settings
    ):
        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
        from django_tasks import task_backends

        make_article(slug="raced")
        advance(SWEEP_GRACE + 1)
        assert webhook_sweep() + webhook_sweep() == 1
        queued = [
            result
            for result in task_backends["default"].results
            if result.task.name == "webhook_deliver"
        ]
        assert [result.args for result in queued] == [[WebhookDelivery.objects.get().pk]]


class TestSkipped:
    """Deliveries to endpoints or partners made inactive after the event are not sent."""

    @pytest.mark.parametrize("what", ["endpoint", "partner"])
    def test_an_inactive_endpoint_or_partner_gets_nothing(
        self, make_article, endpoint, receiver, what
    ):
        make_article(slug="paused-before-delivery")
        target = endpoint if what == "endpoint" else endpoint.partner
        target.is_active = False
        target.save()
        run_due()

        assert receiver.requests == []
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == FAILED
        [attempt] = attempts()
        assert attempt.error == f"not sent: the {what} is inactive"

    def test_a_late_published_event_is_not_sent_once_syndication_is_withdrawn(
        self, make_article, endpoint, receiver
    ):
        article = make_article(slug="withdrawn-later")
        article.syndication_allowed = False
        publish(article)
        run_due()

        assert [r.json["type"] for r in receiver.requests] == ["article.unpublished"]
        skipped = WebhookDelivery.objects.get(event__type="article.published")
        assert skipped.status == FAILED
        assert skipped.attempts.get().error == (
            "not sent: the article is no longer available to partners"
        )

    def test_a_url_that_now_points_inside_is_refused_at_delivery(
        self, make_article, endpoint, receiver, settings
    ):
        make_article(slug="rebound")
        settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False  # as if its DNS now said 127.0.0.1
        run_due()

        assert receiver.requests == []
        [attempt] = attempts()
        assert attempt.error.startswith("URL refused: 127.0.0.1 is a loopback address")
        assert WebhookDelivery.objects.get().status == PENDING
