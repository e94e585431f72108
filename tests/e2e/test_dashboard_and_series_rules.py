"""Staff's dashboard in a real browser, and the series editor refusing an article that another
series holds, saying which."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from api.models import (
    Partner,
    PartnerUsage,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from articles.models import Series
from tests.e2e.admin import AdminSession
from tests.factories import ArticlePageFactory, SeriesFactory, publish, series_with_members

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def operations(journal):
    """A partner's traffic today, an endpoint whose deliveries fail, and a series with a hole."""
    # The content first: publishing it would queue real deliveries to the endpoint below.
    held = publish(ArticlePageFactory(parent=journal, title="Ketamine and depression"))
    gap = ArticlePageFactory(parent=journal, live=False, title="Psilocybin: the draft")
    closing = publish(ArticlePageFactory(parent=journal, title="What comes next"))
    series_with_members(held, gap, closing, title="New frontiers", slug="new-frontiers")
    partner = Partner.objects.create(name="Wellness Weekly", rate_limit="600/minute")
    PartnerUsage.objects.create(
        partner=partner, day=timezone.now().date(), requests=1234, throttled=7
    )
    endpoint = WebhookEndpoint.objects.create(
        partner=partner, url="https://hooks.wellness.example/folio", secret="s"
    )
    delivery = WebhookDelivery.objects.create(
        event=WebhookEvent.objects.create(type="article.published"),
        endpoint=endpoint,
        status=WebhookDelivery.Status.PENDING,
        attempt_count=3,
    )
    WebhookAttempt.objects.create(
        delivery=delivery,
        attempted_at=timezone.now() - timedelta(minutes=5),
        status_code=502,
        response_excerpt="Bad gateway: upstream timed out",
    )
    return {"held": held}


def test_staff_see_partners_webhooks_and_series_gaps_then_a_held_article_is_refused(
    server, browser_context, shots, operations, superuser
):
    staff = AdminSession(browser_context(), server.url)
    page = staff.login("root")

    usage = page.locator("[data-folio-panel=partner-usage]")
    expect(usage.locator("tr", has_text="Wellness Weekly")).to_contain_text("1234")
    failing = page.locator("[data-folio-panel=failing-webhooks]")
    expect(failing).to_contain_text("https://hooks.wellness.example/folio")
    expect(failing).to_contain_text("HTTP 502")
    expect(failing).to_contain_text("Bad gateway: upstream timed out")
    gaps = page.locator("[data-folio-panel=series-gaps]")
    expect(gaps).to_contain_text("New frontiers")
    expect(gaps.locator("tr", has_text="Psilocybin: the draft")).to_contain_text("Draft")
    shots.take(page, "staff-dashboard", docs="dashboard-staff")

    # A second series may not take an article the first one holds: the form says which.
    mood = SeriesFactory(title="Mood", slug="mood")
    page = staff.goto(f"/admin/snippets/articles/series/edit/{mood.pk}/")
    page.get_by_role("button", name="Add Article").click()
    row = page.locator("#id_members-FORMS > [data-inline-panel-child]").last
    staff.choose_in_modal(row.locator("[data-chooser-action-choose]"), "Ketamine and depression")
    staff.footer_action("Publish")
    expect(page.locator("#id_members-FORMS .w-field__errors").first).to_contain_text(
        "“Ketamine and depression” is already part 1 of the series “New frontiers”"
    )
    shots.take(
        page,
        "series-conflict",
        docs="series-conflict",
        locator=page.locator("#panel-articles_in_reading_order-section"),
    )
    assert list(Series.objects.get(pk=mood.pk).members.all()) == []
