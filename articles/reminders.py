"""Review reminders: each reviewer is e-mailed once when an article's review falls due soon, and
once when it is overdue, through the task queue and Wagtail's notification e-mail path.

The scheduler's round (`scheduler_round_due`) finds the live clinical articles whose review is
due soon or overdue today and that have no reminder for that state of that review, and enqueues
one task per reminder. The task claims the reminder by inserting its `ReviewReminder` row
(unique per article, state and review date) and sends the e-mail in the same transaction: a
second task for the same reminder finds the row and sends nothing, and a failed send rolls the
claim back, so the next round tries again. A new review date starts its reminders afresh.
"""

import logging
from datetime import date

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django_tasks import task
from wagtail.admin.mail import EmailNotificationMixin, Notifier
from wagtail.admin.utils import get_admin_base_url
from wagtail.users.models import UserProfile

from articles.cadence import utc_today
from articles.editorial import MEDICAL_REVIEWERS
from articles.models import ArticlePage, ReviewReminder

logger = logging.getLogger("folio.articles.reminders")

ROUND_LIMIT = 500  # reminders enqueued per round at most; the next round takes the rest


def reminders_due(today: date) -> list[tuple[int, str, date]]:
    """(article id, state, review date) of every reminder due today and not yet sent."""
    clinical = ArticlePage.objects.filter(
        live=True, medical_reviewer__isnull=False, next_review_due__isnull=False
    )
    due = []
    for state, in_state in (
        (ReviewReminder.OVERDUE, Q(next_review_due__lte=today)),
        (
            ReviewReminder.DUE_SOON,
            Q(review_due_soon_from__lte=today, next_review_due__gt=today),
        ),
    ):
        sent = ReviewReminder.objects.filter(
            article=OuterRef("pk"), state=state, reviewed_at=OuterRef("medical_reviewed_at")
        )
        rows = (
            clinical.filter(in_state)
            .exclude(Exists(sent))
            .order_by("next_review_due", "pk")
            .values_list("pk", "medical_reviewed_at")[:ROUND_LIMIT]
        )
        due += [(pk, state, reviewed_at) for pk, reviewed_at in rows]
    return due[:ROUND_LIMIT]


def reminders_enqueue(*, today: date | None = None) -> int:
    """Enqueue a task for each reminder due today (the scheduler's round); returns how many."""
    due = reminders_due(today or utc_today())
    for article_id, state, reviewed_at in due:
        review_reminder_send.enqueue(article_id, state, reviewed_at.isoformat())
    if due:
        logger.info("review reminders: enqueued %s", len(due))
    return len(due)


@task()
def review_reminder_send(article_id: int, state: str, reviewed_at: str) -> str:
    """Send one reminder unless it was sent already; returns what happened, for the task log."""
    return reminder_send(
        article_id=article_id, state=state, reviewed_at=date.fromisoformat(reviewed_at)
    )


def reminder_send(*, article_id: int, state: str, reviewed_at: date) -> str:
    article = (
        ArticlePage.objects.filter(pk=article_id, medical_reviewed_at=reviewed_at)
        .select_related("medical_reviewer__user")
        .defer_streamfields()
        .first()
    )
    if article is None or article.medical_reviewer is None:
        return "the article or its review changed since"
    try:
        with transaction.atomic():
            ReviewReminder.objects.create(
                article=article,
                reviewer=article.medical_reviewer,
                state=state,
                reviewed_at=reviewed_at,
            )
            recipients = reminder_recipients(article.medical_reviewer)
            if not ReviewReminderNotifier()(instance=article, state=state, to=recipients):
                # Rolls the claim back: the next round enqueues it again.
                raise RuntimeError(f"review reminder for article {article_id} not sent")
    except IntegrityError:
        return "already sent"
    return f"sent to {len(recipients)}"


def reminder_recipients(reviewer) -> set:
    """The reviewer's admin account; without one, the Medical reviewers group, so none is lost."""
    user = reviewer.user
    if user is not None and user.is_active and user.email:
        return {user}
    return set(
        get_user_model()
        .objects.filter(groups__name=MEDICAL_REVIEWERS, is_active=True)
        .exclude(email="")
        .distinct()
    )


class ReviewReminderNotifier(EmailNotificationMixin, Notifier):
    """Wagtail's notification e-mail (its templates' layout, headers and per-user language)."""

    notification = "review_reminder"
    template_directory = "articles/notifications/"

    def __init__(self):
        super().__init__((ArticlePage,))

    def get_valid_recipients(self, instance, to=(), **kwargs):
        # Wagtail's profile has no preference for this notification: an assigned review is
        # the reviewer's duty, not an opt-in.
        # get_for_user creates a missing profile, which the sending reads the language from
        # (and whose absence Wagtail's sending would swallow as a failure).
        return {
            user for user in to if user.is_active and user.email and UserProfile.get_for_user(user)
        }

    def get_template_base_prefix(self, instance, **kwargs):
        return ""

    def get_context(self, instance, state=None, **kwargs):
        return {
            **super().get_context(instance, **kwargs),
            "article": instance,
            "overdue": state == ReviewReminder.OVERDUE,
            "due": instance.next_review_due,
            "reviewed_at": instance.medical_reviewed_at,
            "edit_url": get_admin_base_url()
            + reverse("wagtailadmin_pages:edit", args=(instance.pk,)),
        }
