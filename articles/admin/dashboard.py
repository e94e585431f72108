"""Dashboard panels for editors: each a small component with a template that loads what it shows
in a fixed number of queries, whatever the amount of content. Other concerns add their own
panels through Wagtail's `construct_homepage_panels` hook (partners and webhooks: api/)."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import Page, Revision, TaskState, WorkflowState

from articles.admin.status import article_state, site_visibilities, with_states
from articles.editorial import MEDICAL_REVIEW_TASK
from articles.models import ArticlePage, Series, SeriesMember

ROWS = 10  # rows a panel shows at most


def admin_url(name: str, *args) -> str | None:
    """The admin URL of `name`, or None where that view is not installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


class DashboardPanel(Component):
    """A dashboard panel: `rows()` loads its content; shown only when there is some."""

    name = ""
    heading = ""
    order = 150

    def __init__(self, request):
        self.request = request

    def rows(self) -> list:
        raise NotImplementedError

    def render_html(self, parent_context=None):
        self.loaded = self.rows()
        if not self.loaded:
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context=None):
        return {
            "panel": self,
            "rows": self.loaded[:ROWS],
            "more": len(self.loaded) > ROWS,
            "request": self.request,
        }


# Articles awaiting medical review


@dataclass(frozen=True)
class AwaitingReview:
    article: ArticlePage
    edit_url: str
    submitted_by: str
    since: datetime


class AwaitingMedicalReviewPanel(DashboardPanel):
    """Articles whose workflow waits in the "Medical review" task, longest waiting first."""

    name = "folio_awaiting_medical_review"
    heading = "Awaiting medical review"
    template_name = "articles/admin/dashboard/awaiting_medical_review.html"
    order = 140

    def rows(self):
        page_type = ContentType.objects.get_for_model(Page)
        task_states = list(
            TaskState.objects.filter(
                status=TaskState.STATUS_IN_PROGRESS,
                task__name=MEDICAL_REVIEW_TASK,
                workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
                workflow_state__base_content_type=page_type,
            )
            .select_related("workflow_state__requested_by")
            .order_by("started_at", "pk")[: ROWS + 1]
        )
        ids = [int(state.workflow_state.object_id) for state in task_states]
        articles = ArticlePage.objects.only("title").in_bulk(ids)
        rows = []
        for state in task_states:
            article = articles.get(int(state.workflow_state.object_id))
            if article is None:
                continue
            requester = state.workflow_state.requested_by
            rows.append(
                AwaitingReview(
                    article=article,
                    edit_url=reverse("wagtailadmin_pages:edit", args=(article.pk,)),
                    submitted_by=(requester.get_full_name() or requester.get_username())
                    if requester
                    else "",
                    since=state.started_at,
                )
            )
        return rows


# Scheduled publications


@dataclass(frozen=True)
class Scheduled:
    when: datetime
    what: str  # "Goes live", "Update goes live", "Expires"
    kind: str  # "Article" or "Series"
    title: str
    edit_url: str | None


class ScheduledPublicationsPanel(DashboardPanel):
    """Go-lives and expiries ahead (and any overdue), soonest first, articles and series."""

    name = "folio_scheduled_publications"
    heading = "Scheduled publications"
    template_name = "articles/admin/dashboard/scheduled_publications.html"
    order = 150

    def rows(self):
        now = timezone.now()
        page_type = ContentType.objects.get_for_model(Page)
        series_type = ContentType.objects.get_for_model(Series)
        revisions = list(
            Revision.objects.filter(
                approved_go_live_at__isnull=False,
                base_content_type__in=(page_type, series_type),
            )
            .order_by("approved_go_live_at")
            .values_list("base_content_type_id", "object_id", "approved_go_live_at")[: ROWS + 1]
        )
        article_ids = {int(i) for t, i, _ in revisions if t == page_type.pk}
        series_ids = {int(i) for t, i, _ in revisions if t == series_type.pk}
        articles = ArticlePage.objects.only("title", "live").in_bulk(article_ids)
        series = Series.objects.only("title", "live").in_bulk(series_ids)
        rows = []
        for type_id, object_id, when in revisions:
            if type_id == page_type.pk and (article := articles.get(int(object_id))):
                what = "Update goes live" if article.live else "Goes live"
                rows.append(Scheduled(when, what, "Article", article.title, _article_url(article)))
            elif type_id == series_type.pk and (one := series.get(int(object_id))):
                what = "Update goes live" if one.live else "Goes live"
                rows.append(Scheduled(when, what, "Series", one.title, _series_url(one)))
        # Live pages with a go-live ahead are hidden until then; live ones with an expiry ahead.
        for article in ArticlePage.objects.filter(live=True, go_live_at__gt=now).only(
            "title", "go_live_at"
        )[: ROWS + 1]:
            rows.append(
                Scheduled(
                    article.go_live_at, "Goes live", "Article", article.title, _article_url(article)
                )
            )
        for article in (
            ArticlePage.objects.filter(live=True, expire_at__gt=now)
            .only("title", "expire_at")
            .order_by("expire_at")[: ROWS + 1]
        ):
            rows.append(
                Scheduled(
                    article.expire_at, "Expires", "Article", article.title, _article_url(article)
                )
            )
        for one in (
            Series.objects.filter(live=True, expire_at__gt=now)
            .only("title", "expire_at")
            .order_by("expire_at")[: ROWS + 1]
        ):
            rows.append(Scheduled(one.expire_at, "Expires", "Series", one.title, _series_url(one)))
        rows.sort(key=lambda row: row.when)
        return rows[: ROWS + 1]


def _article_url(article) -> str:
    return reverse("wagtailadmin_pages:edit", args=(article.pk,))


def _series_url(series) -> str | None:
    return admin_url("wagtailsnippets_articles_series:edit", series.pk)


# Series with unpublished gaps


@dataclass(frozen=True)
class Gap:
    title: str
    edit_url: str | None
    state_label: str
    state_code: str
    after: str  # title of the visible member before the gap


@dataclass(frozen=True)
class SeriesGaps:
    series: Series
    edit_url: str | None
    gaps: list[Gap]
    visible_count: int


class SeriesGapsPanel(DashboardPanel):
    """Published series where a member readers cannot see sits between members they can see.

    Readers (and the API's positions) skip such a member, so the series reads with a hole;
    visibility is the API's own (`articles.selectors`).
    """

    name = "folio_series_gaps"
    heading = "Series with unpublished gaps"
    template_name = "articles/admin/dashboard/series_gaps.html"
    order = 160

    def rows(self):
        from articles.selectors import visible_articles, visible_series

        visibilities = site_visibilities()
        if not visibilities:
            return []
        series_list = list(visible_series(visibilities[0]).only("title").order_by("title"))
        members = list(
            SeriesMember.objects.filter(series__in=series_list)
            .order_by("series_id", "sort_order", "pk")
            .values_list("series_id", "article_id", "article__title")
        )
        ids = {article_id for _, article_id, _ in members}
        visible: set[int] = set()
        for visibility in visibilities:
            visible |= set(
                visible_articles(visibility).filter(pk__in=ids).values_list("pk", flat=True)
            )
        by_series: dict[int, list] = {}
        for series_id, article_id, title in members:
            by_series.setdefault(series_id, []).append((article_id, title))
        found: dict[int, list[tuple[int, str, str]]] = {}
        for series_id, rows in by_series.items():
            seen = [i for i, (article_id, _) in enumerate(rows) if article_id in visible]
            if len(seen) < 2:
                continue
            last_title = ""
            for article_id, title in rows[seen[0] : seen[-1]]:
                if article_id in visible:
                    last_title = title
                else:
                    found.setdefault(series_id, []).append((article_id, title, last_title))
        if not found:
            return []
        gap_ids = {article_id for gaps in found.values() for article_id, _, _ in gaps}
        states = {
            article.pk: article_state(article)
            for article in with_states(ArticlePage.objects.filter(pk__in=gap_ids)).only(
                "title", "live", "go_live_at", "expire_at", "expired", "has_unpublished_changes"
            )
        }
        result = []
        for one in series_list:
            if one.pk not in found:
                continue
            gaps = []
            for article_id, title, after in found[one.pk]:
                state = states.get(article_id)
                gaps.append(
                    Gap(
                        title=title,
                        edit_url=reverse("wagtailadmin_pages:edit", args=(article_id,)),
                        state_label=state.label if state else "",
                        state_code=state.code if state else "",
                        after=after,
                    )
                )
            visible_count = sum(1 for a, _ in by_series[one.pk] if a in visible)
            result.append(SeriesGaps(one, _series_url(one), gaps, visible_count))
        return result


def dashboard_panels_for(request) -> list[DashboardPanel]:
    """The panels this user sees, in dashboard order."""
    panels: list[DashboardPanel] = [
        AwaitingMedicalReviewPanel(request),
        ScheduledPublicationsPanel(request),
        SeriesGapsPanel(request),
    ]
    return panels
