"""The article list's query plan and its page: the visibility rule, filters, search and order."""

import django_filters
from django.db.models import QuerySet

from api.content.filters import ARTICLE_FILTERS, ArticleListQuery, parse_ids
from api.content.orderings import SERIES_ORDER
from api.content.pagination import CursorPage, keyset_page, ranked_page
from api.content.search import matching_articles, ranked_article_ids
from api.errors import InvalidParameter
from articles.models import ArticlePage, Author, Topic
from articles.selectors import (
    Visibility,
    visible_articles,
    visible_series,
    with_series_position,
    with_summary_columns,
)


class ArticleFilter(django_filters.FilterSet):
    """The article list's filters; each one is a join or comparison on indexed columns.

    Slugs that name nothing are caught after the query, only when the page comes back empty,
    so a valid filter never costs a lookup of its own.
    """

    series = django_filters.CharFilter(
        method="filter_series", help_text="Series slug; results come in the series' reading order."
    )
    topic = django_filters.CharFilter(field_name="topics__slug", help_text="Topic slug.")
    tag = django_filters.CharFilter(field_name="tagged_items__tag__name", help_text="A tag.")
    author = django_filters.CharFilter(
        field_name="article_authors__author__slug", help_text="Author slug (any byline position)."
    )
    published_after = django_filters.IsoDateTimeFilter(
        field_name="first_published_at", lookup_expr="gte", help_text="First published at or after."
    )
    published_before = django_filters.IsoDateTimeFilter(
        field_name="first_published_at", lookup_expr="lt", help_text="First published before."
    )
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="last_published_at", lookup_expr="gte", help_text="Last published at or after."
    )
    id = django_filters.CharFilter(
        method="filter_ids", help_text="Comma-separated article ids, at most 100."
    )

    class Meta:
        model = ArticlePage
        fields = []

    def __init__(self, *args, visibility, **kwargs):
        super().__init__(*args, **kwargs)
        self.visibility = visibility

    def filter_series(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # One filter() call, so the slug and the series' own visibility use the same join:
        # an unpublished series' members and order are not to be revealed through the list.
        return queryset.filter(
            self.visibility.series_q("series_memberships__series__"),
            series_memberships__series__slug=value,
        )

    def filter_ids(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(pk__in=parse_ids(value))


if tuple(ArticleFilter.base_filters) != ARTICLE_FILTERS:  # pragma: no cover (an import guard)
    raise AssertionError("ArticleFilter must declare exactly filters.ARTICLE_FILTERS, in order")


def article_list_page(visibility: Visibility, query: ArticleListQuery, request) -> CursorPage:
    """One page of the visible articles `query` asks for, rows with their summary columns.

    An empty page whose `series`, `topic` or `author` slug names nothing is a 400 instead: a
    typo worth saying so, checked only then so a valid filter never costs a lookup of its own.
    """
    filterset = ArticleFilter(
        query.filters, queryset=visible_articles(visibility), visibility=visibility
    )
    if not filterset.is_valid():
        raise InvalidParameter({k: [str(m) for m in v] for k, v in filterset.errors.items()})
    articles = filterset.qs
    if query.ordering is None:
        page = _by_relevance(articles, query, request)
    else:
        if query.search is not None:
            # In the ordering asked for rather than by relevance, keyset-paginated.
            words = query.search
            articles = matching_articles(articles, words) if words else articles.none()
        if query.ordering is SERIES_ORDER:
            articles = with_series_position(articles)
        page = keyset_page(
            with_summary_columns(articles),
            query.ordering,
            limit=query.limit,
            cursor=query.cursor,
            request=request,
            search=query.search,
        )
    if not page.items:
        _reject_unknown_slugs(visibility, query.filters)
    return page


def _by_relevance(articles: QuerySet, query: ArticleListQuery, request) -> CursorPage:
    """Ids from the search index in rank order, then their rows by our plan, in that order."""
    ranked = ranked_page(
        lambda offset, count: ranked_article_ids(
            articles, query.search, offset=offset, limit=count
        ),
        query=query.search,
        limit=query.limit,
        cursor=query.cursor,
        request=request,
    )
    if not ranked.items:
        return ranked
    rows = {a.pk: a for a in with_summary_columns(articles.filter(pk__in=ranked.items))}
    return CursorPage(
        items=[rows[pk] for pk in ranked.items if pk in rows],
        next=ranked.next,
        previous=ranked.previous,
    )


def _reject_unknown_slugs(visibility: Visibility, filters: dict[str, str]) -> None:
    checks = {
        "series": visible_series(visibility),
        "topic": Topic.objects.all(),
        "author": Author.objects.all(),
    }
    for name, queryset in checks.items():
        if name in filters and not queryset.filter(slug=filters[name]).exists():
            raise InvalidParameter({name: [f"names no {name}: {filters[name]!r}"]})
