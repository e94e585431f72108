"""The editors' dashboard panels: what each lists, who sees the partner panels, and a query
count that does not grow with the content."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from api.models import (
    Partner,
    PartnerUsage,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from api.partners.dashboard import PartnerUsageTodayPanel
from api.webhooks.dashboard import FailingWebhooksPanel
from articles.admin.dashboard import (
    AwaitingMedicalReviewPanel,
    ScheduledPublicationsPanel,
    SeriesGapsPanel,
)
from articles.editorial import WORKFLOW_NAME
from tests.factories import ArticlePageFactory, publish, series_with_members

pytestmark = pytest.mark.django_db


class FakeRequest:
    def __init__(self, user):
        self.user = user


def dashboard(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def queries(panel) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as captured:
        rows = panel.rows()
    return len(captured.captured_queries), rows


def submitted(journal, writer, title: str):
    from wagtail.models import Workflow

    article = ArticlePageFactory(parent=journal, live=False, title=title)
    article.save_revision(user=writer)
    Workflow.objects.get(name=WORKFLOW_NAME).start(article, writer)
    return article


def failing_delivery(endpoint, *, status="failed", attempts=2, error="", code=None, excerpt=""):
    event = WebhookEvent.objects.create(type="article.published")
    delivery = WebhookDelivery.objects.create(
        event=event, endpoint=endpoint, status=status, attempt_count=attempts
    )
    for number in range(attempts):
        WebhookAttempt.objects.create(
            delivery=delivery,
            attempted_at=timezone.now() - timedelta(minutes=attempts - number),
            status_code=code,
            error=error,
            response_excerpt=excerpt,
        )
    return delivery


class TestAwaitingMedicalReview:
    def test_submitted_articles_are_listed_until_the_reviewer_approves(
        self, client, journal, writer, reviewer
    ):
        article = submitted(journal, writer, "Ketamine, carefully")

        assert "Ketamine, carefully" in dashboard(client, reviewer)

        task_state = article.current_workflow_task_state
        task_state.task.specific.on_action(task_state, reviewer, "approve")
        assert "Awaiting medical review" not in dashboard(client, reviewer)

    def test_the_query_count_does_not_grow_with_the_articles(self, journal, writer, reviewer):
        submitted(journal, writer, "One")
        few, rows = queries(AwaitingMedicalReviewPanel(FakeRequest(reviewer)))
        assert [row.article.title for row in rows] == ["One"]
        for number in range(4):
            submitted(journal, writer, f"More {number}")
        many, rows = queries(AwaitingMedicalReviewPanel(FakeRequest(reviewer)))
        assert len(rows) == 5
        assert many == few


class TestScheduledPublications:
    def test_go_lives_and_expiries_ahead_soonest_first(self, journal, editor):
        later = ArticlePageFactory(parent=journal, live=False, title="Later")
        later.go_live_at = timezone.now() + timedelta(days=3)
        later.save_revision().publish()  # a go-live ahead: scheduled, not published
        expiring = publish(ArticlePageFactory(parent=journal, title="Expiring"))
        expiring.expire_at = timezone.now() + timedelta(days=1)
        expiring.save()

        count, rows = queries(ScheduledPublicationsPanel(FakeRequest(editor)))

        assert [(row.title, row.what) for row in rows] == [
            ("Expiring", "Expires"),
            ("Later", "Goes live"),
        ]
        assert count <= 7


class TestSeriesGaps:
    def test_a_hidden_member_between_visible_ones_is_a_gap_and_a_hidden_tail_is_not(
        self, client, journal, editor
    ):
        first = publish(ArticlePageFactory(parent=journal, title="First"))
        hole = ArticlePageFactory(parent=journal, live=False, title="The hole")
        last = publish(ArticlePageFactory(parent=journal, title="Last"))
        tail = ArticlePageFactory(parent=journal, live=False, title="Tail")
        series_with_members(first, hole, last, tail, title="Holey")
        series_with_members(
            publish(ArticlePageFactory(parent=journal)),
            publish(ArticlePageFactory(parent=journal)),
            title="Whole",
        )

        _, rows = queries(SeriesGapsPanel(FakeRequest(editor)))

        assert [(row.series.title, [gap.title for gap in row.gaps]) for row in rows] == [
            ("Holey", ["The hole"])
        ]
        assert rows[0].gaps[0].state_code == "draft"
        assert rows[0].gaps[0].after == "First"
        html = dashboard(client, editor)
        assert "Series with unpublished gaps" in html
        assert "The hole" in html

    def test_the_query_count_does_not_grow_with_the_series(self, journal, editor):
        def holey():
            series_with_members(
                publish(ArticlePageFactory(parent=journal)),
                ArticlePageFactory(parent=journal, live=False),
                publish(ArticlePageFactory(parent=journal)),
            )

        holey()
        few, rows = queries(SeriesGapsPanel(FakeRequest(editor)))
        holey()
        holey()
        many, rows = queries(SeriesGapsPanel(FakeRequest(editor)))
        assert len(rows) == 3
        assert many == few


class TestPartnerPanels:
    @pytest.fixture
    def partner(self, db):
        partner = Partner.objects.create(name="Wellness Weekly", rate_limit="600/minute")
        PartnerUsage.objects.create(
            partner=partner, day=timezone.now().date(), requests=42, throttled=3
        )
        return partner

    def test_staff_see_usage_today_and_failing_endpoints_with_the_latest_error(
        self, client, superuser, partner
    ):
        endpoint = WebhookEndpoint.objects.create(
            partner=partner, url="https://hooks.example/folio", secret="s"
        )
        failing_delivery(endpoint, code=500, excerpt="upstream exploded")
        failing_delivery(endpoint, status="pending", attempts=1, error="connection refused")
        healthy = WebhookEndpoint.objects.create(
            partner=partner, url="https://ok.example/folio", secret="s"
        )
        WebhookDelivery.objects.create(
            event=WebhookEvent.objects.create(type="article.published"),
            endpoint=healthy,
            status="succeeded",
            attempt_count=1,
        )

        html = dashboard(client, superuser)

        assert "Partner usage today" in html
        assert "Wellness Weekly" in html and ">42<" in html
        assert "Failing webhook endpoints" in html
        assert "https://hooks.example/folio" in html
        assert "https://ok.example/folio" not in html
        [row] = FailingWebhooksPanel(FakeRequest(superuser)).rows()
        assert (row.failed, row.retrying) == (1, 1)
        assert row.last_error == "connection refused"  # the most recent failed attempt

    def test_editors_without_partner_permissions_do_not_see_them(self, client, editor, partner):
        html = dashboard(client, editor)

        assert "Partner usage today" not in html
        assert "Failing webhook endpoints" not in html

    def test_one_query_for_the_endpoints_whatever_their_number(self, superuser, partner):
        for number in range(3):
            endpoint = WebhookEndpoint.objects.create(
                partner=partner, url=f"https://hooks{number}.example/", secret="s"
            )
            failing_delivery(endpoint, code=503)

        count, rows = queries(FailingWebhooksPanel(FakeRequest(superuser)))

        assert len(rows) == 3
        assert count == 1

    def test_usage_is_bounded_by_the_partners_shown(self, superuser, partner):
        few, rows = queries(PartnerUsageTodayPanel(FakeRequest(superuser)))
        assert [(row.partner.name, row.requests, row.throttled) for row in rows] == [
            ("Wellness Weekly", 42, 3)
        ]
        assert few <= 3
