"""The visibility rule: what a site's clients may see now, and the querysets starting from it."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from articles.models import (
    ArticlePage,
    ArticleRetraction,
    Series,
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

    def article_q(self, prefix: str = "", *, retracted: bool = False) -> Q:
        """Visible articles: visible pages that have been published (every list orders by it)
        and not retracted.

        `retracted=True` keeps the retracted ones too: the articles whose URL answers (the
        detail, with its notice), which nothing else lists or links to.
        """
        q = self.page_q(prefix) & Q(**{f"{prefix}first_published_at__isnull": False})
        if retracted:
            return q
        # NOT EXISTS: an anti-join on the retraction's unique article id, in the same statement
        # as the rest of the rule, so no list pays a query for it.
        return q & ~Exists(ArticleRetraction.objects.filter(article_id=OuterRef(f"{prefix}pk")))

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


def visible_anywhere(article_ids=None) -> set[int]:
    """The articles among `article_ids` (all, without) that some site's anonymous clients can
    see now."""
    restricted = view_restricted_paths()
    visible: set[int] = set()
    for site in Site.objects.select_related("root_page"):
        articles = visible_articles(visibility_of_site(site, restricted_tree_paths=restricted))
        if article_ids is not None:
            articles = articles.filter(pk__in=article_ids)
        visible |= set(articles.values_list("pk", flat=True))
    return visible


def visible_articles(visibility: Visibility) -> QuerySet[ArticlePage]:
    # Published articles always have a first publication date; it orders every list.
    return ArticlePage.objects.filter(visibility.article_q())


def addressable_articles(visibility: Visibility) -> QuerySet[ArticlePage]:
    """The articles whose URL answers: the visible ones and the retracted ones (a detail with a
    notice). Only a detail by slug starts here; every list starts from `visible_articles`."""
    return ArticlePage.objects.filter(visibility.article_q(retracted=True))


def without_retracted(articles: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """`articles` less the retracted ones, for lists outside the API (the site's own pages)."""
    return articles.exclude(Exists(ArticleRetraction.objects.filter(article_id=OuterRef("pk"))))


def visible_series(visibility: Visibility) -> QuerySet[Series]:
    return Series.objects.filter(visibility.series_q())
