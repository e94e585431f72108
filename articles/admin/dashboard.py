"""Dashboard panels for editors, and for partner staff: each a small component with a template
that loads what it shows in a fixed number of queries, whatever the amount of content."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import Page, Revision, TaskState, WorkflowState
from wagtail.permission_policies import ModelPermissionPolicy

from articles.admin.status import article_state, site_visibilities, with_states
from articles.editorial import MEDICAL_REVIEW_TASK
from articles.models import ArticlePage, Series, SeriesMember

ROWS = 10  # rows a panel shows at most


def _url(name: str, *args) -> str | None:
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
    return _url("wagtailsnippets_articles_series:edit", series.pk)


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
    visibility is the API's own (`api.selectors`).
    """

    name = "folio_series_gaps"
    heading = "Series with unpublished gaps"
    template_name = "articles/admin/dashboard/series_gaps.html"
    order = 160

    def rows(self):
        from api.selectors import visible_articles, visible_series

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


# Partners (staff with permissions on partners, and superusers)


def can_see_partners(user) -> bool:
    from api.models import Partner

    return ModelPermissionPolicy(Partner).user_has_any_permission(
        user, ["view", "add", "change", "delete"]
    )


@dataclass(frozen=True)
class Usage:
    partner: object
    requests: int
    throttled: int
    rate_limit: str
    edit_url: str | None


class PartnerUsageTodayPanel(DashboardPanel):
    """Requests per active partner today (live counters), busiest first; at most ROWS partners.

    One query for the partners, then `api.usage.usage_today` for each shown (one query each, so
    at most 1 + ROWS whatever the number of partners).
    """

    name = "folio_partner_usage"
    heading = "Partner usage today"
    template_name = "articles/admin/dashboard/partner_usage.html"
    order = 170

    def rows(self):
        from api.models import Partner, PartnerUsage
        from api.usage import usage_today

        stored_today = PartnerUsage.objects.filter(
            partner=OuterRef("pk"), day=timezone.now().date()
        ).values("requests")[:1]
        partners = list(
            Partner.objects.filter(is_active=True)
            .annotate(stored_today=Subquery(stored_today, output_field=IntegerField()))
            .order_by("-stored_today", "name")[:ROWS]
        )
        rows = []
        for partner in partners:
            requests, throttled = usage_today(partner.pk)
            edit_url = _url("partner:edit", partner.pk)
            rows.append(Usage(partner, requests, throttled, partner.rate_limit, edit_url))
        rows.sort(key=lambda row: (-row.requests, row.partner.name))
        return rows


@dataclass(frozen=True)
class FailingEndpoint:
    endpoint: object
    failed: int
    retrying: int
    last_error: str
    last_status_code: int | None
    last_excerpt: str
    last_attempt_at: datetime | None
    inspect_url: str | None
    edit_url: str | None

    @property
    def status_label(self) -> str:
        return f"HTTP {self.last_status_code}" if self.last_status_code else ""


class FailingWebhooksPanel(DashboardPanel):
    """Endpoints with deliveries that failed or are being retried, with the latest error.

    One query: the endpoints with their counts and their latest failed attempt as subqueries.
    """

    name = "folio_failing_webhooks"
    heading = "Failing webhook endpoints"
    template_name = "articles/admin/dashboard/failing_webhooks.html"
    order = 180

    def rows(self):
        from api.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

        failed = Q(deliveries__status=WebhookDelivery.Status.FAILED)
        retrying = Q(
            deliveries__status=WebhookDelivery.Status.PENDING, deliveries__attempt_count__gt=0
        )
        latest = WebhookAttempt.objects.filter(
            Q(delivery__status=WebhookDelivery.Status.FAILED)
            | Q(delivery__status=WebhookDelivery.Status.PENDING, delivery__attempt_count__gt=0),
            delivery__endpoint=OuterRef("pk"),
            succeeded=False,
        ).order_by("-attempted_at", "-pk")
        endpoints = (
            WebhookEndpoint.objects.select_related("partner")
            .annotate(
                failed_count=Count("deliveries", filter=failed, distinct=True),
                retrying_count=Count("deliveries", filter=retrying, distinct=True),
            )
            .filter(Q(failed_count__gt=0) | Q(retrying_count__gt=0))
            .annotate(
                last_error=Subquery(latest.values("error")[:1]),
                last_status_code=Subquery(latest.values("status_code")[:1]),
                last_excerpt=Subquery(latest.values("response_excerpt")[:1]),
                last_attempt_at=Subquery(latest.values("attempted_at")[:1]),
                last_delivery_id=Subquery(latest.values("delivery_id")[:1]),
            )
            .order_by("-last_attempt_at", "pk")[: ROWS + 1]
        )
        return [
            FailingEndpoint(
                endpoint=endpoint,
                failed=endpoint.failed_count,
                retrying=endpoint.retrying_count,
                last_error=endpoint.last_error or "",
                last_status_code=endpoint.last_status_code,
                last_excerpt=endpoint.last_excerpt or "",
                last_attempt_at=endpoint.last_attempt_at,
                inspect_url=(
                    _url("webhook_deliveries:inspect", endpoint.last_delivery_id)
                    if endpoint.last_delivery_id
                    else None
                ),
                edit_url=_url("webhook_endpoints:edit", endpoint.pk),
            )
            for endpoint in endpoints
        ]


def dashboard_panels_for(request) -> list[DashboardPanel]:
    """The panels this user sees, in dashboard order."""
    panels: list[DashboardPanel] = [
        AwaitingMedicalReviewPanel(request),
        ScheduledPublicationsPanel(request),
        SeriesGapsPanel(request),
    ]
    if can_see_partners(request.user):
        panels += [PartnerUsageTodayPanel(request), FailingWebhooksPanel(request)]
    return panels
