"""The "Reviews due" dashboard panel, and its one-click start of the review workflow.

Live clinical articles whose medical review is due soon or overdue (articles/cadence.py),
the most overdue first. Each row opens the editor; for a user who may submit the article and
while no workflow is running, "Start review" submits the live article to its workflow (the
editorial review's first task is the medical review), so the reviewers get Wagtail's
submission notice and the article appears in "Awaiting medical review".
"""

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from wagtail.models import Page, WorkflowState

from articles.admin.dashboard import DashboardPanel
from articles.cadence import OVERDUE, review_status, utc_today
from articles.models import ArticlePage

ROWS = 10


@dataclass(frozen=True)
class ReviewDue:
    article: ArticlePage
    reviewer: str
    due: date
    status: str  # "due_soon" or "overdue"
    edit_url: str
    start_url: str | None  # None: a workflow is running, or the user may not submit it
    in_review: bool

    @property
    def status_label(self) -> str:
        return "Overdue" if self.status == OVERDUE else "Due soon"


class ReviewsDuePanel(DashboardPanel):
    """Live clinical articles whose review is due soon or overdue, most overdue first."""

    name = "folio_reviews_due"
    heading = "Medical reviews due"
    template_name = "articles/admin/dashboard/reviews_due.html"
    order = 145

    def rows(self):
        today = utc_today()
        articles = list(
            ArticlePage.objects.filter(
                live=True, medical_reviewer__isnull=False, review_due_soon_from__lte=today
            )
            .select_related("medical_reviewer")
            .only(
                "title",
                "path",
                "depth",
                "locked",
                "next_review_due",
                "review_due_soon_from",
                "medical_reviewer__name",
                "medical_reviewer__credentials",
            )
            .order_by("next_review_due", "pk")[: ROWS + 1]
        )
        reviewing = set(
            WorkflowState.objects.active()
            .filter(
                base_content_type=ContentType.objects.get_for_model(Page),
                object_id__in=[str(a.pk) for a in articles],
            )
            .values_list("object_id", flat=True)
        )
        user = self.request.user
        rows = []
        for article in articles:
            in_review = str(article.pk) in reviewing
            may_submit = article.permissions_for_user(user).can_edit()
            rows.append(
                ReviewDue(
                    article=article,
                    reviewer=str(article.medical_reviewer),
                    due=article.next_review_due,
                    status=review_status(
                        article.next_review_due, article.review_due_soon_from, today
                    ),
                    edit_url=reverse("wagtailadmin_pages:edit", args=(article.pk,)),
                    start_url=reverse("folio_review_start", args=(article.pk,))
                    if may_submit and not in_review and not article.locked
                    else None,
                    in_review=in_review,
                )
            )
        return rows

    def get_context_data(self, parent_context=None):
        # Rendered without a RequestContext: the start buttons' forms need the token given.
        return {**super().get_context_data(parent_context), "csrf_token": get_token(self.request)}


@require_POST
def review_start(request, page_id: int):
    """Submit the live article to its workflow for a new medical review."""
    article = get_object_or_404(ArticlePage, pk=page_id)
    permissions = article.permissions_for_user(request.user)
    if not permissions.can_edit():
        raise PermissionDenied
    edit_url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    workflow = article.get_workflow()
    if workflow is None or not permissions.can_submit_for_moderation():
        messages.error(request, f"“{article.title}” cannot be submitted for review now.")
        return redirect(edit_url)
    if article.get_latest_revision() is None:
        article.save_revision(user=request.user)
    workflow.start(article, request.user)
    messages.success(request, f"“{article.title}” was submitted for its medical review.")
    return redirect(edit_url)


def review_due_urls() -> list:
    return [path("folio/reviews/<int:page_id>/start/", review_start, name="folio_review_start")]
