"""Series placement, navigation links and series lists, each filtered by the visibility rule."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from wagtail.models import Page

from articles.models import (
    ArticlePage,
    Series,
    SeriesMember,
)
from articles.selectors.plans import _next_of, _previous_of, renditions_of, with_summary_columns
from articles.selectors.statements import Statement
from articles.selectors.visibility import Visibility, visible_articles, visible_series

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

    series_id: int
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
                series_id=member[0],
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


def publication_neighbours(visibility: Visibility, article_ids: Iterable[int]) -> set[int]:
    """The visible articles published just before and just after each of `article_ids`.

    The articles whose navigation names one of them once it is visible (one query).
    """
    articles = visible_articles(visibility)
    rows = (
        ArticlePage.objects.filter(pk__in=list(article_ids), first_published_at__isnull=False)
        .annotate(
            previous_id=Subquery(
                _previous_of(articles, OuterRef("first_published_at"), OuterRef("pk"))
            ),
            next_id=Subquery(_next_of(articles, OuterRef("first_published_at"), OuterRef("pk"))),
        )
        .values_list("previous_id", "next_id")
    )
    return {pk for pair in rows for pk in pair if pk}


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
