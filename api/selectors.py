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

from django.conf import settings
from django.db import router
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
from api.statements import Statement
from articles.models import (
    ArticleAuthor,
    ArticlePage,
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

    def page_q(self, prefix: str = "") -> Q:
        """Visible pages of any type (articles, and what an article body may link to).

        `prefix` applies the rule to a related page (`"article__"` from a series member).
        """
        if self.site_tree_path is None:
            return Q(pk__in=[])
        field = (prefix + "{}").format
        q = (
            Q(**{field("live"): True})
            & Q(**{field("path__startswith"): self.site_tree_path})
            & (Q(**{field("go_live_at__isnull"): True}) | Q(**{field("go_live_at__lte"): self.now}))
            & (Q(**{field("expire_at__isnull"): True}) | Q(**{field("expire_at__gt"): self.now}))
        )
        for path in self.restricted_tree_paths:
            # A restriction of any kind on a page hides it and everything below it.
            q &= ~Q(**{field("path__startswith"): path})
        if self.syndicated_only:
            q &= ~Q(
                **{
                    field("pk__in"): ArticlePage.objects.filter(syndication_allowed=False).values(
                        "pk"
                    )
                }
            )
        return q

    def article_q(self, prefix: str = "") -> Q:
        """Visible articles: visible pages that have been published (every list orders by it)."""
        return self.page_q(prefix) & Q(**{f"{prefix}first_published_at__isnull": False})

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

    The client is anonymous or the partner whose key api/auth.py checked. The site and the
    view restrictions are two small queries, kept per worker while the content generation
    stands (`API_SITE_RULE_MEMO`).
    """
    cached = getattr(request, "_folio_visibility", None)
    if cached is not None:
        return cached
    django_request = getattr(request, "_request", request)
    site_tree_path, site_url_path, restricted = _site_rule(django_request)
    visibility = Visibility(
        site_tree_path=site_tree_path,
        site_url_path=site_url_path,
        now=timezone.now(),
        restricted_tree_paths=restricted,
        syndicated_only=getattr(django_request, "folio_api_key", None) is not None,
    )
    request._folio_visibility = visibility
    return visibility


# (host, generation) -> (site root's tree path, its url_path, restricted tree paths)
_site_rules: dict[tuple[str, int], tuple[str | None, str, tuple[str, ...]]] = {}


def _site_rule(request) -> tuple[str | None, str, tuple[str, ...]]:
    """The site part of the visibility rule for a request's host.

    Read before the database, like the response cache's generation: a rule read after a
    change commits is kept under the old generation, which is already stale.
    """
    from api.caching import content_generation

    generation = content_generation(request) if settings.API_SITE_RULE_MEMO else None
    key = (request.get_host(), generation)
    if generation is not None and key in _site_rules:
        return _site_rules[key]
    site = Site.find_for_request(request)
    rule = (
        site.root_page.path if site else None,
        site.root_page.url_path if site else "/",
        view_restricted_paths(),
    )
    if generation is not None:
        if len(_site_rules) >= 256:
            _site_rules.clear()  # old generations' rules: never read again
        _site_rules[key] = rule
    return rule


def view_restricted_paths() -> tuple[str, ...]:
    """The tree paths of every page under a view restriction of any kind (one query)."""
    return tuple(PageViewRestriction.objects.values_list("page__path", flat=True))


def visibility_of_site(
    site: Site | None,
    *,
    syndicated_only: bool = False,
    restricted_tree_paths: tuple[str, ...] | None = None,
) -> Visibility:
    """The visibility rule for clients of `site`, now (one query unless the paths are given)."""
    if restricted_tree_paths is None:
        restricted_tree_paths = view_restricted_paths()
    return Visibility(
        site_tree_path=site.root_page.path if site else None,
        site_url_path=site.root_page.url_path if site else "/",
        now=timezone.now(),
        restricted_tree_paths=restricted_tree_paths,
        syndicated_only=syndicated_only,
    )


def visible_anywhere(article_ids) -> set[int]:
    """The articles among `article_ids` that some site's anonymous clients can see now."""
    restricted = view_restricted_paths()
    visible: set[int] = set()
    for site in Site.objects.select_related("root_page"):
        articles = visible_articles(visibility_of_site(site, restricted_tree_paths=restricted))
        visible |= set(articles.filter(pk__in=article_ids).values_list("pk", flat=True))
    return visible


def visible_articles(visibility: Visibility) -> QuerySet[ArticlePage]:
    # Published articles always have a first publication date; it orders every list.
    return ArticlePage.objects.filter(visibility.article_q())


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


# The article columns a summary (and a partner's rights) reads: a page of summaries carries no
# body, SEO or workflow columns. What it needs beside them, api/summaries.py loads by id.
SUMMARY_COLUMNS = (
    "id",
    "slug",
    "title",
    "url_path",
    "first_published_at",
    "last_published_at",
    "subtitle",
    "summary",
    "reading_time_minutes",
    "hero_image_id",
    "hero_image_alt",
    "syndication_allowed",
    "syndication_license",
    "syndication_attribution",
    "canonical_url",
)


def with_summary_columns(articles: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """The article rows of a page of summaries (the API's lists, series, sync)."""
    return articles.only(*SUMMARY_COLUMNS)


def with_summary_plan(articles: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """Summaries as model instances with their relations prefetched (the feeds' entries)."""
    return (
        articles.defer_streamfields()
        .select_related("hero_image")
        .prefetch_related(*_summary_prefetches(), renditions_of("hero_image"))
    )


def _article_row(visibility: Visibility, slug: str) -> QuerySet:
    articles = visible_articles(visibility)
    return (
        articles.annotate(
            previous_id=Subquery(
                _previous_of(articles, OuterRef("first_published_at"), OuterRef("pk"))
            ),
            next_id=Subquery(_next_of(articles, OuterRef("first_published_at"), OuterRef("pk"))),
        )
        .filter(slug=slug)
        .values_list(*_DETAIL_COLUMNS, *_REVIEWER_COLUMNS, "previous_id", "next_id")[:1]
    )


_DETAIL_COLUMNS = tuple(field.attname for field in ArticlePage._meta.concrete_fields)
_REVIEWER_COLUMNS = (
    "medical_reviewer__slug",
    "medical_reviewer__name",
    "medical_reviewer__credentials",
)
_article_rows = Statement(ArticlePage, _article_row)


def article_by_slug(visibility: Visibility, slug: str) -> ArticlePage | None:
    """The article of a detail with its reviewer and its publication-order neighbours' ids.

    One statement, compiled once per worker (api/statements.py); the rest (bylines, images,
    series, links) is loaded by id after it (api/summaries.py).
    """
    rows = _article_rows.rows(visibility, slug=slug)
    if not rows:
        return None
    row = rows[0]
    columns = len(_DETAIL_COLUMNS)
    alias = router.db_for_read(ArticlePage)
    article = ArticlePage.from_db(alias, _DETAIL_COLUMNS, row[:columns])
    reviewer_slug, reviewer_name, reviewer_credentials, previous_id, next_id = row[columns:]
    if article.medical_reviewer_id is not None:
        loaded = {
            "id": article.medical_reviewer_id,
            "slug": reviewer_slug,
            "name": reviewer_name,
            "credentials": reviewer_credentials,
        }
        # from_db takes the values in the model's field order.
        names = [f.attname for f in Author._meta.concrete_fields if f.attname in loaded]
        article.medical_reviewer = Author.from_db(alias, names, [loaded[n] for n in names])
    article.previous_id, article.next_id = previous_id, next_id
    return article


def _previous_of(articles: QuerySet[ArticlePage], moment, pk) -> QuerySet:
    """The id of the article published just before (`moment`, `pk`): one index probe.

    The bound `first_published_at <= moment` is what the index on `first_published_at` seeks
    to; the tie-break on the id only filters the few rows published at the same moment. (An
    `(a < t) OR (a = t AND id < x)` bound makes PostgreSQL walk the whole site.)
    """
    return (
        articles.filter(first_published_at__lte=moment)
        .filter(Q(first_published_at__lt=moment) | Q(pk__lt=pk))
        .order_by("-first_published_at", "-pk")
        .values("pk")[:1]
    )


def _next_of(articles: QuerySet[ArticlePage], moment, pk) -> QuerySet:
    return (
        articles.filter(first_published_at__gte=moment)
        .filter(Q(first_published_at__gt=moment) | Q(pk__gt=pk))
        .order_by("first_published_at", "pk")
        .values("pk")[:1]
    )


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


def _series_members(visibility: Visibility, article_ids: list[int]) -> QuerySet:
    return (
        SeriesMember.objects.filter(
            visibility.series_q("series__"),
            visibility.article_q("article__"),
            series__in=SeriesMember.objects.filter(article_id__in=article_ids).values("series_id"),
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


_series_member_rows = Statement(SeriesMember, _series_members)


def series_placements(visibility: Visibility, article_ids: Iterable[int]) -> dict[int, Placement]:
    """Series position, total and neighbours for each article, counting visible members only.

    One query: every visible member of every published series that holds one of the articles,
    in the editor's order, so positions run 1..N without gaps for what a client can see.
    """
    article_ids = sorted(set(article_ids))
    if not article_ids:
        return {}
    rows = _series_member_rows.rows(visibility, article_ids=article_ids)
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
    """Publication-order neighbours and the visible pages a body links to.

    One query when `article_by_slug` found the neighbours' ids with the article; two for an
    article loaded otherwise (a draft being previewed), the first finding those ids.
    """
    if hasattr(article, "previous_id") and hasattr(article, "next_id"):
        neighbours = (article.previous_id, article.next_id)
    else:
        articles = visible_articles(visibility)
        moment, pk = article.first_published_at, article.pk
        neighbours = (
            ArticlePage.objects.filter(pk=pk)
            .annotate(
                previous_id=Subquery(_previous_of(articles, moment, pk)),
                next_id=Subquery(_next_of(articles, moment, pk)),
            )
            .values_list("previous_id", "next_id")
            .first()
        ) or (None, None)
    linked = {i for i in linked_page_ids if i}
    wanted = {i for i in neighbours if i} | linked
    links = page_links(visibility, wanted)
    previous, following = (links.get(i) if i else None for i in neighbours)
    return previous, following, {i: link for i, link in links.items() if i in linked}


def _page_links(visibility: Visibility, page_ids: list[int]) -> QuerySet:
    return Page.objects.filter(visibility.page_q(), pk__in=page_ids).values_list(
        "pk", "slug", "title", "url_path"
    )


_page_link_rows = Statement(Page, _page_links)


def page_links(visibility: Visibility, page_ids: Iterable[int]) -> dict[int, ArticleLink]:
    """The visible pages (of any type) among `page_ids`, in one query however many bodies.

    What `neighbours_and_links` finds for one body's links, for the bodies of a whole feed.
    """
    ids = {i for i in page_ids if i}
    if not ids:
        return {}
    rows = _page_link_rows.rows(visibility, page_ids=ids)
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
        with_summary_columns(visible_articles(visibility).filter(series_memberships__series=series))
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
