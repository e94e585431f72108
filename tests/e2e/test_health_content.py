"""Health content in a real browser: an editor starts an overdue medical review from the
dashboard, and records a substantive correction when publishing a fix, which the API shows."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from wagtail.models import WorkflowState

from articles.cadence import utc_today
from articles.models import ArticleCorrection
from tests.e2e.admin import AdminSession, get_json
from tests.factories import ArticlePageFactory, ReviewerFactory, byline, publish

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def overdue(journal):
    reviewer = ReviewerFactory(name="Dr Ada Okafor")
    article = ArticlePageFactory(
        parent=journal,
        title="Melatonin doses",
        slug="melatonin-doses",
        medical_reviewer=reviewer,
        medical_reviewed_at=utc_today() - timedelta(days=400),
    )
    byline(article, reviewer)
    return publish(article)


@pytest.fixture
def corrected(journal):
    article = ArticlePageFactory(parent=journal, title="Iron and fatigue", slug="iron-and-fatigue")
    byline(article, ReviewerFactory())
    return publish(article)


def test_an_editor_starts_a_due_review_and_records_a_correction(
    server, browser_context, shots, overdue, corrected, editor
):
    session = AdminSession(browser_context(), server.url)
    page = session.login("editor")

    panel = page.locator("[data-folio-panel=reviews-due]")
    row = panel.locator("tr", has_text="Melatonin doses")
    expect(row).to_have_attribute("data-review-status", "overdue")
    expect(row).to_contain_text("Overdue")
    expect(row).to_contain_text("Dr Ada Okafor")
    shots.take(page, "reviews-due", docs="dashboard-reviews-due", locator=panel)
    row.get_by_role("button", name="Start review").click()
    session.expect_message("submitted for its medical review")
    assert WorkflowState.objects.active().filter(object_id=str(overdue.pk)).exists()
    page = session.goto("/admin/")
    expect(
        page.locator("[data-folio-panel=reviews-due] tr", has_text="Melatonin doses")
    ).to_contain_text("In review")

    # The editor publishes a fix of another article and records it as a substantive correction.
    page = session.goto(f"/admin/pages/{corrected.pk}/edit/")
    page.get_by_role("tab", name="Review and references").click()
    page.get_by_role("combobox", name="Correction").select_option("substantive")
    page.get_by_label("What was wrong").fill("The adult dose was given as 50 mg")
    page.get_by_label("What changed").fill("It is 0.5 to 5 mg; the paragraph now says so")
    shots.take(
        page,
        "correction",
        docs="correction-form",
        locator=page.locator("#panel-child-review_and_references-correction-section"),
    )
    session.footer_action("Publish")
    session.expect_message("published")

    [correction] = ArticleCorrection.objects.filter(article=corrected)
    assert correction.kind == "substantive"
    status, _, detail = get_json(f"{server.url}/api/v1/articles/iron-and-fatigue/")
    assert status == 200
    assert [c["note"] for c in detail["corrections"]] == [
        "The adult dose was given as 50 mg. It is 0.5 to 5 mg; the paragraph now says so."
    ]
    _, _, reviewed = get_json(f"{server.url}/api/v1/articles/melatonin-doses/")
    assert reviewed["medical_review"]["status"] == "overdue"
    page = session.goto(f"/admin/pages/{corrected.pk}/edit/")
    page.get_by_role("tab", name="Review and references").click()
    expect(page.locator("[data-folio-corrections]")).to_contain_text("0.5 to 5 mg")
