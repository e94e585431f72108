"""What a client may see, and the query plans that load it: the one place visibility is decided.

An article is visible when it is live, has gone live, has not expired, sits under the current
site's root, and neither it nor any ancestor has a view restriction of any kind. Every endpoint
(lists, details, search, series members and positions, navigation links, counts) starts from
`visible_articles`, and every related lookup filters through it, so a rule changed here is
changed everywhere.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.lookups import StartsWith
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction, Site

from api.images import RENDITION_SPECS
from articles.models import (
    ArticleAuthor,
    ArticlePage,
    ArticleReference,
    ArticleTag,
    Author,
    Series,
    SeriesMember,
    Topic,
)


@dataclass(frozen=True)
class Visibility:
    """The visibility rule for one request: the site it is for and the moment it runs."""

    site_tree_path: str | None  # treebeard path of the site's root page
    site_url_path: str  # url_path of the site's root page, stripped from public URLs
    now: datetime
    restricted_tree_paths: tuple[str, ...]
    # A partner key sees only articles whose syndication is allowed: the others do not exist
    # for it (not in lists, series, navigation, links, sync, feeds or webhooks).
    syndicated_only: bool = False

    def page_q(self) -> Q:
        """Visible pages of any type (articles, and what an article body may link to)."""
        if self.site_tree_path is None:
            return Q(pk__in=[])
        q = (
            Q(live=True)
            & Q(path__startswith=self.site_tree_path)
            & (Q(go_live_at__isnull=True) | Q(go_live_at__lte=self.now))
            & (Q(expire_at__isnull=True) | Q(expire_at__gt=self.now))
        )
        for path in self.restricted_tree_paths:
            # A restriction of any kind on a page hides it and everything below it.
            q &= ~Q(path__startswith=path)
        if self.syndicated_only:
            q &= ~Q(pk__in=ArticlePage.objects.filter(syndication_allowed=False).values("pk"))
        return q

    def series_q(self, prefix: str = "") -> Q:
        """Series that are published and current (snippets have their own schedule)."""
        live = Q(**{f"{prefix}live": True})
        gone_live = Q(**{f"{prefix}go_live_at__isnull": True}) | Q(
            **{f"{prefix}go_live_at__lte": self.now}
        )
        not_expired = Q(**{f"{prefix}expire_at__isnull": True}) | Q(
            **{f"{prefix}expire_at__gt": self.now}
        )
        return live & gone_live & not_expired


def visibility_for(request) -> Visibility:
    """The visibility of the request's site and client, computed once per request.

    Two small queries; the client is anonymous or the partner whose key api/auth.py checked.
    """
    cached = getattr(request, "_folio_visibility", None)
    if cached is not None:
        return cached
    django_request = getattr(request, "_request", request)
    visibility = visibility_of_site(
        Site.find_for_request(request),
        syndicated_only=getattr(django_request, "folio_api_key", None) is not None,
    )
    request._folio_visibility = visibility
    return visibility


def visibility_of_site(
    site: Site | None,
    *,
    syndicated_only: bool = False,
    restricted_tree_paths: tuple[str, ...] | None = None,
) -> Visibility:
    """The visibility rule for clients of `site`, now (one query unless the paths are given)."""
    if restricted_tree_paths is None:
        restricted_tree_paths = tuple(
            PageViewRestriction.objects.values_list("page__path", flat=True)
        )
    return Visibility(
        site_tree_path=site.root_page.path if site else None,
        site_url_path=site.root_page.url_path if site else "/",
        now=timezone.now(),
        restricted_tree_paths=restricted_tree_paths,
        syndicated_only=syndicated_only,
    )


def visible_anywhere(article_ids) -> set[int]:
    """The articles among `article_ids` that some site's anonymous clients can see now."""
    restricted = tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
    visible: set[int] = set()
    for site in Site.objects.select_related("root_page"):
        articles = visible_articles(visibility_of_site(site, restricted_tree_paths=restricted))
        visible |= set(articles.filter(pk__in=article_ids).values_list("pk", flat=True))
    return visible


def visible_articles(visibility: Visibility) -> QuerySet[ArticlePage]:
    # Published articles always have a first publication date; it orders every list.
    return ArticlePage.objects.filter(visibility.page_q(), first_published_at__isnull=False)


def visible_series(visibility: Visibility) -> QuerySet[Series]:
    return Series.objects.filter(visibility.series_q())


# Query plans


def _byline_prefetch() -> Prefetch:
    return Prefetch(
        "article_authors",
        queryset=ArticleAuthor.objects.select_related("author")
        .only("article_id", "sort_order", "author__slug", "author__name", "author__credentials")
        .order_by("sort_order", "pk"),
    )


def _summary_prefetches() -> list:
    return [
        _byline_prefetch(),
        Prefetch("topics", queryset=Topic.objects.only("pk", "slug", "name").order_by("name")),
        Prefetch(
            "tagged_items",
            queryset=ArticleTag.objects.select_related("tag").order_by("tag__name"),
        ),
    ]


def renditions_of(image_path: str) -> Prefetch:
    """Prefetch the API's named renditions of the image at `image_path` (one query)."""
    Rendition = get_image_model().get_rendition_model()
    return Prefetch(
        f"{image_path}__renditions",
        queryset=Rendition.objects.filter(filter_spec__in=RENDITION_SPECS),
    )


def with_summary_plan(articles: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """Everything a page of summaries needs, in a fixed number of queries whatever its size."""
    return (
        articles.defer_streamfields()
        .select_related("hero_image")
        .prefetch_related(*_summary_prefetches(), renditions_of("hero_image"))
    )


def with_detail_plan(articles: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """Everything the detail needs but images, links and navigation (loaded by id after)."""
    return articles.select_related("medical_reviewer").prefetch_related(
        *_summary_prefetches(),
        Prefetch("references", queryset=ArticleReference.objects.order_by("sort_order", "pk")),
    )


def article_by_slug(visibility: Visibility, slug: str) -> ArticlePage | None:
    return with_detail_plan(visible_articles(visibility)).filter(slug=slug).first()


def documents_by_id(document_ids: Iterable[int]) -> dict[int, object]:
    ids = {i for i in document_ids if i}
    if not ids:
        return {}
    # A document in a collection under a view restriction is private: its link is unwrapped.
    restricted = CollectionViewRestriction.objects.filter(
        StartsWith(
            ExpressionWrapper(OuterRef("collection__path"), output_field=CharField()),
            F("collection__path"),
        )
    ).values("pk")
    documents = get_document_model().objects.filter(pk__in=ids).exclude(Exists(restricted))
    return {doc.pk: doc for doc in documents}


def images_by_id(image_ids: Iterable[int]) -> dict[int, object]:
    """Images with their API renditions, two queries however many."""
    ids = {i for i in image_ids if i}
    if not ids:
        return {}
    images = get_image_model().objects.filter(pk__in=ids).prefetch_renditions(*RENDITION_SPECS)
    return {image.pk: image for image in images}


# Series placement and navigation


@dataclass(frozen=True)
class ArticleLink:
    id: int
    slug: str
    title: str
    url_path: str


@dataclass(frozen=True)
class Placement:
    """An article's place among the visible members of its (published) series."""

    series_slug: str
    series_title: str
    position: int
    total: int
    previous: ArticleLink | None
    next: ArticleLink | None


def series_placements(visibility: Visibility, article_ids: Iterable[int]) -> dict[int, Placement]:
    """Series position, total and neighbours for each article, counting visible members only.

    One query: every visible member of every published series that holds one of the articles,
    in the editor's order, so positions run 1..N without gaps for what a client can see.
    """
    article_ids = list(article_ids)
    if not article_ids:
        return {}
    rows = (
        SeriesMember.objects.filter(
            visibility.series_q("series__"),
            series__in=SeriesMember.objects.filter(article_id__in=article_ids).values("series_id"),
            article__in=visible_articles(visibility).values("pk"),
        )
        .order_by("series_id", "sort_order", "pk")
        .values_list(
            "series_id",
            "series__slug",
            "series__title",
            "article_id",
            "article__slug",
            "article__title",
            "article__url_path",
        )
    )
    members_by_series: dict[int, list] = defaultdict(list)
    for row in rows:
        members_by_series[row[0]].append(row)
    wanted = set(article_ids)
    placements = {}
    for members in members_by_series.values():
        links = [ArticleLink(id=m[3], slug=m[4], title=m[5], url_path=m[6]) for m in members]
        for index, member in enumerate(members):
            if member[3] not in wanted:
                continue
            placements[member[3]] = Placement(
                series_slug=member[1],
                series_title=member[2],
                position=index + 1,
                total=len(members),
                previous=links[index - 1] if index > 0 else None,
                next=links[index + 1] if index + 1 < len(links) else None,
            )
    return placements


def neighbours_and_links(
    visibility: Visibility, article: ArticlePage, linked_page_ids: Iterable[int]
) -> tuple[ArticleLink | None, ArticleLink | None, dict[int, ArticleLink]]:
    """Publication-order neighbours and the visible pages a body links to, in two queries.

    The first finds the neighbours' ids as two scalar subqueries, each an index probe: the
    bound `first_published_at <= t` (>= for the next) is what the index on
    `first_published_at` seeks to, and the tie-break on the id only filters the few rows
    published at the same moment. (An `(a < t) OR (a = t AND id < x)` bound, or ORing
    `IN (subquery)` conditions on the page table, makes PostgreSQL walk the whole site.)
    The second loads those pages and the linked ones by primary key.
    """
    articles = visible_articles(visibility)
    moment, pk = article.first_published_at, article.pk
    previous_id = (
        articles.filter(first_published_at__lte=moment)
        .filter(Q(first_published_at__lt=moment) | Q(pk__lt=pk))
        .order_by("-first_published_at", "-pk")
        .values("pk")[:1]
    )
    next_id = (
        articles.filter(first_published_at__gte=moment)
        .filter(Q(first_published_at__gt=moment) | Q(pk__gt=pk))
        .order_by("first_published_at", "pk")
        .values("pk")[:1]
    )
    neighbours = (
        ArticlePage.objects.filter(pk=pk)
        .annotate(previous_id=Subquery(previous_id), next_id=Subquery(next_id))
        .values_list("previous_id", "next_id")
        .first()
    ) or (None, None)
    linked = {i for i in linked_page_ids if i}
    wanted = {i for i in neighbours if i} | linked
    rows = (
        Page.objects.filter(visibility.page_q(), pk__in=wanted).values_list(
            "pk", "slug", "title", "url_path"
        )
        if wanted
        else []
    )
    links = {
        pk: ArticleLink(id=pk, slug=slug, title=title, url_path=url_path)
        for pk, slug, title, url_path in rows
    }
    previous, following = (links.get(i) if i else None for i in neighbours)
    return previous, following, {i: link for i, link in links.items() if i in linked}


def page_links(visibility: Visibility, page_ids: Iterable[int]) -> dict[int, ArticleLink]:
    """The visible pages (of any type) among `page_ids`, in one query however many bodies.

    What `neighbours_and_links` finds for one body's links, for the bodies of a whole feed.
    """
    ids = {i for i in page_ids if i}
    if not ids:
        return {}
    rows = Page.objects.filter(visibility.page_q(), pk__in=ids).values_list(
        "pk", "slug", "title", "url_path"
    )
    return {
        pk: ArticleLink(id=pk, slug=slug, title=title, url_path=url_path)
        for pk, slug, title, url_path in rows
    }


# Series


def series_with_counts(visibility: Visibility) -> QuerySet[Series]:
    """Published series with their image and the number of members a client can see."""
    visible_ids = visible_articles(visibility).values("pk")
    return (
        visible_series(visibility)
        .select_related("image")
        .prefetch_related(renditions_of("image"))
        .annotate(article_count=Count("members", filter=Q(members__article__in=visible_ids)))
    )


def series_by_slug(visibility: Visibility, slug: str) -> Series | None:
    return (
        visible_series(visibility)
        .select_related("image")
        .prefetch_related(renditions_of("image"))
        .filter(slug=slug)
        .first()
    )


def series_articles(visibility: Visibility, series: Series) -> list[ArticlePage]:
    """The visible members of a series as summaries, in the editor's order."""
    return list(
        with_summary_plan(visible_articles(visibility).filter(series_memberships__series=series))
        .annotate(series_position=F("series_memberships__sort_order"))
        .order_by("series_position", "pk")
    )


def with_series_position(articles: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """Articles annotated with their place in the series they are filtered by."""
    return articles.annotate(series_position=F("series_memberships__sort_order"))


# Authors and topics


def authors() -> QuerySet[Author]:
    return Author.objects.select_related("photo").prefetch_related(renditions_of("photo"))


def topics() -> QuerySet[Topic]:
    return Topic.objects.all()
