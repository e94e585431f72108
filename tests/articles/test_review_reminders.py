"""Review reminders: the scheduler's round e-mails each reviewer once when a review falls due soon
and once when it is overdue, through the task queue, never twice for the same state, and again
for a new review; and the dashboard's "Medical reviews due" panel with its start-review action."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import WorkflowState

from articles.admin.review_due import ReviewsDuePanel
from articles.cadence import utc_today
from articles.models import ArticlePage, ReviewReminder
from articles.reminders import reminders_enqueue
from tests.factories import ArticlePageFactory, ReviewerFactory, UserFactory, byline, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinician(journal):
    return ReviewerFactory(
        name="Dr Ada Okafor", user=UserFactory(username="ada", email="ada@clinic.example")
    )


def clinical(journal, reviewer, *, days_ago: int, title: str, months: int = 12) -> ArticlePage:
    article = ArticlePageFactory(
        parent=journal,
        title=title,
        medical_reviewer=reviewer,
        medical_reviewed_at=utc_today() - timedelta(days=days_ago),
        review_interval_months=months,
    )
    byline(article, reviewer)
    return publish(article)


def scheduler_round():
    call_command("run_scheduler", "--once", verbosity=0)


def sent() -> list[tuple[str, list[str]]]:
    return sorted((message.subject, message.to) for message in mail.outbox)


class TestReminders:
    def test_each_state_is_sent_once_and_not_again_on_the_next_round(self, journal, clinician):
        clinical(journal, clinician, days_ago=10, months=1, title="Sleep and shifts")  # soon
        clinical(journal, clinician, days_ago=400, title="Statins at eighty")  # overdue
        clinical(journal, clinician, days_ago=10, title="Fresh")  # current

        scheduler_round()

        assert sent() == [
            ("Medical review due soon: Sleep and shifts", ["ada@clinic.example"]),
            ("Medical review overdue: Statins at eighty", ["ada@clinic.example"]),
        ]
        body = next(m.body for m in mail.outbox if "Statins" in m.subject)
        assert "now overdue" in body and "/admin/pages/" in body
        assert mail.outbox[0].extra_headers["Auto-Submitted"] == "auto-generated"

        scheduler_round()
        scheduler_round()
        assert len(mail.outbox) == 2
        assert ReviewReminder.objects.count() == 2

    def test_due_soon_then_overdue_then_a_new_review_starts_afresh(self, journal, clinician):
        article = clinical(journal, clinician, days_ago=10, months=1, title="Iron")
        scheduler_round()
        assert sent() == [("Medical review due soon: Iron", ["ada@clinic.example"])]

        # The due date passes: the overdue reminder, once.
        later = article.next_review_due + timedelta(days=1)
        assert reminders_enqueue(today=later) == 1
        assert reminders_enqueue(today=later) == 0
        assert [m.subject for m in mail.outbox][-1] == "Medical review overdue: Iron"

        # Reviewed again (a different day), and that review falls due soon in its turn.
        article.medical_reviewed_at = utc_today() - timedelta(days=5)
        article.review_interval_months = 12
        publish(article)
        mail.outbox.clear()
        scheduler_round()
        assert mail.outbox == []  # current again
        assert reminders_enqueue(today=article.review_due_soon_from) == 1
        assert [m.subject for m in mail.outbox] == ["Medical review due soon: Iron"]
        assert ReviewReminder.objects.filter(article=article).count() == 3

    def test_unpublished_and_non_clinical_articles_get_none(self, journal, clinician):
        draft = clinical(journal, clinician, days_ago=400, title="Withdrawn")
        draft.unpublish()
        publish(ArticlePageFactory(parent=journal, title="Not clinical"))

        scheduler_round()

        assert mail.outbox == []

    def test_a_reviewer_without_an_account_is_covered_by_the_reviewers_group(
        self, journal, reviewer
    ):
        clinical(journal, ReviewerFactory(), days_ago=400, title="Orphan")

        scheduler_round()

        assert sent() == [("Medical review overdue: Orphan", [reviewer.email])]

    def test_a_failed_send_is_tried_again_next_round(self, journal, clinician, settings):
        clinical(journal, clinician, days_ago=400, title="Flaky")
        settings.EMAIL_BACKEND = "tests.articles.test_review_reminders.RefusingBackend"
        scheduler_round()
        assert ReviewReminder.objects.count() == 0

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        scheduler_round()
        assert sent() == [("Medical review overdue: Flaky", ["ada@clinic.example"])]


class RefusingBackend:
    """An SMTP server that refuses every message."""

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


class FakeRequest:
    def __init__(self, user):
        self.user = user


class TestReviewsDuePanel:
    def test_lists_due_soon_and_overdue_with_links_most_overdue_first(
        self, client, journal, clinician, editor
    ):
        soon = clinical(journal, clinician, days_ago=10, months=1, title="Soon")
        late = clinical(journal, clinician, days_ago=400, title="Late")
        clinical(journal, clinician, days_ago=10, title="Fresh")

        client.force_login(editor)
        page = client.get(reverse("wagtailadmin_home")).content.decode()

        assert "Medical reviews due" in page
        assert page.index("Late") < page.index("Soon")
        assert "Fresh" not in page
        for article, status in ((soon, "due_soon"), (late, "overdue")):
            assert f'data-article-id="{article.pk}" data-review-status="{status}"' in page
            assert reverse("wagtailadmin_pages:edit", args=(article.pk,)) in page
            assert reverse("folio_review_start", args=(article.pk,)) in page

    def test_start_review_submits_the_article_to_the_medical_review(
        self, client, journal, clinician, editor, reviewer
    ):
        late = clinical(journal, clinician, days_ago=400, title="Late")
        client.force_login(editor)

        response = client.post(reverse("folio_review_start", args=(late.pk,)))

        assert response.status_code == 302
        state = WorkflowState.objects.active().get(object_id=str(late.pk))
        assert state.current_task_state.task.name == "Medical review"
        (row,) = ReviewsDuePanel(FakeRequest(editor)).rows()
        assert row.in_review and row.start_url is None
        # The reviewers see it where they look for their work.
        client.force_login(reviewer)
        assert "Late" in client.get(reverse("wagtailadmin_home")).content.decode()

    def test_a_reviewer_without_page_permissions_cannot_start_it(
        self, client, journal, clinician, reviewer
    ):
        late = clinical(journal, clinician, days_ago=400, title="Late")
        client.force_login(reviewer)

        refused = client.post(reverse("folio_review_start", args=(late.pk,)))
        # Wagtail's admin answers a permission denied with a redirect home and a message.
        assert (refused.status_code, refused["Location"]) == (302, reverse("wagtailadmin_home"))
        assert client.get(reverse("folio_review_start", args=(late.pk,))).status_code == 405
        assert not WorkflowState.objects.active().filter(object_id=str(late.pk)).exists()
        (row,) = ReviewsDuePanel(FakeRequest(reviewer)).rows()
        assert row.start_url is None
