"""What editors see about an article: its publishing state and its place in a series as readers
see it, taken from the domain's selectors (never a second copy of the visibility rule)."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.models import Page, Revision, Site, WorkflowState

from articles.models import ArticlePage

STATE_LABELS = {"live": "Live", "draft": "Draft", "scheduled": "Scheduled", "expired": "Expired"}
STATE_CLASSES = {
    "live": "w-status--primary",
    "draft": "",
    "scheduled": "w-status--label",
    "expired": "w-status--label",
}


@dataclass(frozen=True)
class ArticleState:
    """An article's publishing state: live, draft, scheduled or expired, and what is pending."""

    code: str
    when: datetime | None = None  # go-live when scheduled, expiry when expired or expiring
    review_task: str = ""  # the workflow task it waits in, if any
    unpublished_changes: bool = False

    @property
    def label(self) -> str:
        return STATE_LABELS[self.code]

    @property
    def css_class(self) -> str:
        return STATE_CLASSES[self.code]


@dataclass(frozen=True)
class Place:
    """A 1-based position among the members readers see."""

    position: int
    total: int


@dataclass(frozen=True)
class MemberReadout:
    """One series member as the series editor shows it."""

    article_id: int
    title: str
    state: ArticleState
    visible: bool  # readers can see the article now (on some site)
    published: Place | None  # its place in this series as published now
    after_publishing: Place | None  # its place in the editor's order, if published as is


def _page_content_type_id() -> int:
    return ContentType.objects.get_for_model(Page).pk  # cached by Django after the first use


def with_states(articles: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """Annotate what `article_state` needs beyond the page row, in the same query.

    `scheduled_go_live_at`: the go-live of an approved scheduled revision; `review_task`: the
    workflow task the article waits in.
    """
    object_id = Cast(OuterRef("pk"), output_field=CharField())
    scheduled = Revision.objects.filter(
        base_content_type_id=_page_content_type_id(),
        object_id=object_id,
        approved_go_live_at__isnull=False,
    ).order_by("-created_at")
    task = WorkflowState.objects.filter(
        base_content_type_id=_page_content_type_id(),
        object_id=object_id,
        status=WorkflowState.STATUS_IN_PROGRESS,
    )
    return articles.annotate(
        scheduled_go_live_at=Subquery(scheduled.values("approved_go_live_at")[:1]),
        review_task=Subquery(task.values("current_task_state__task__name")[:1]),
    )


def article_state(article: ArticlePage, *, now: datetime | None = None) -> ArticleState:
    """The state of an article loaded through `with_states`."""
    now = now or timezone.now()
    scheduled_at = getattr(article, "scheduled_go_live_at", None)
    if article.go_live_at and article.go_live_at > now:
        scheduled_at = article.go_live_at
    common = {
        "review_task": getattr(article, "review_task", None) or "",
        "unpublished_changes": bool(article.has_unpublished_changes and article.live),
    }
    if article.expired or (article.expire_at and article.expire_at <= now):
        return ArticleState("expired", when=article.expire_at, **common)
    if scheduled_at and (not article.live or article.go_live_at == scheduled_at):
        return ArticleState("scheduled", when=scheduled_at, **common)
    if article.live:
        return ArticleState("live", when=article.expire_at, **common)
    return ArticleState("draft", **common)


def site_visibilities():
    """The API's visibility rule for each site, two queries for all of them."""
    from articles.selectors import view_restricted_paths, visibility_of_site

    restricted = view_restricted_paths()
    return [
        visibility_of_site(site, restricted_tree_paths=restricted)
        for site in Site.objects.select_related("root_page")
    ]


def series_readout(*, article_ids: list[int], series_id: int | None) -> dict[int, MemberReadout]:
    """The readout of each member of series `series_id`, `article_ids` in the editor's order.

    Positions as published come from `articles.selectors.series_placements`, the function that gives
    the API its `position`; the place "after publishing" counts, in the editor's order, the
    members `articles.selectors.visible_articles` lets readers see. A fixed number of queries: four,
    plus two per site.
    """
    from articles.selectors import series_placements, visible_articles

    ids = [i for i in dict.fromkeys(article_ids) if i]
    if not ids:
        return {}
    from articles.models import Series

    published_series_slug = (
        Series.objects.filter(pk=series_id, live=True).values_list("slug", flat=True).first()
        if series_id
        else None
    )
    now = timezone.now()
    articles = with_states(ArticlePage.objects.filter(pk__in=ids)).only(
        "title", "live", "go_live_at", "expire_at", "expired", "has_unpublished_changes"
    )
    states = {article.pk: (article.title, article_state(article, now=now)) for article in articles}
    visible: set[int] = set()
    published: dict[int, Place] = {}
    for visibility in site_visibilities():
        visible |= set(visible_articles(visibility).filter(pk__in=ids).values_list("pk", flat=True))
        if published_series_slug is None:
            continue
        for article_id, placement in series_placements(visibility, ids).items():
            if placement.series_slug == published_series_slug:
                published.setdefault(article_id, Place(placement.position, placement.total))
    in_order = [i for i in ids if i in visible]
    readouts = {}
    for article_id in ids:
        if article_id not in states:
            continue
        title, state = states[article_id]
        readouts[article_id] = MemberReadout(
            article_id=article_id,
            title=title,
            state=state,
            visible=article_id in visible,
            published=published.get(article_id),
            after_publishing=(
                Place(in_order.index(article_id) + 1, len(in_order))
                if article_id in visible
                else None
            ),
        )
    return readouts
