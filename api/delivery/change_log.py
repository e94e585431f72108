"""Writing the sync change log: one row per affected article, in the editorial transaction."""

from collections.abc import Iterable

from django.db import connections, router, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from api.delivery.cdn import keys
from api.delivery.cdn.planner import purge_later
from api.delivery.models import ArticleChange
from articles.models import ArticlePage, SeriesMember
from articles.selectors import (
    visible_anywhere,
)

# Recording changes (service functions, called by the receivers in api/delivery/sync_receivers.py)


def article_changes_record(
    *,
    article_ids: Iterable[int] | QuerySet,
    kind: str = ArticleChange.Kind.CHANGED,
    with_series_members: bool = False,
) -> int:
    """Log a change to each of the articles, in the caller's transaction; returns the row count.

    `article_ids` may be a `values("pk")` queryset, used as a subquery. Ids that name no
    article (any more) are skipped: the slugs are read from the articles themselves. When the
    change can alter whether the articles are visible, `with_series_members` logs the other
    members of their series too: positions and totals count visible members only.
    """
    if not isinstance(article_ids, QuerySet):
        article_ids = list(article_ids)
    wanted = Q(pk__in=article_ids)
    if with_series_members:
        series_ids = SeriesMember.objects.filter(article_id__in=article_ids).values("series_id")
        wanted |= Q(
            pk__in=SeriesMember.objects.filter(series_id__in=series_ids).values("article_id")
        )
    rows = ArticlePage.objects.filter(wanted).values_list("pk", "slug", "syndication_allowed")
    articles = {pk: (slug, allowed) for pk, slug, allowed in rows}
    public = visible_anywhere(list(articles)) if articles else set()
    return _changes_write(
        [
            (pk, slug, pk in public, pk in public and allowed)
            for pk, (slug, allowed) in sorted(articles.items())
        ],
        kind=kind,
    )


def article_deletion_record(*, article_id: int, slug: str) -> None:
    """Log that an article is being deleted; its row may already be gone, so the slug is given."""
    # Gone, so seen by nobody from now on; earlier rows say who may still hold it.
    _changes_write([(article_id, slug, False, False)], kind=ArticleChange.Kind.DELETED)


def _changes_write(articles: list[tuple[int, str, bool, bool]], *, kind: str) -> int:
    """Write log rows of (article id, slug, visible to the public, visible to partners)."""
    if not articles:
        return 0
    # Every sync page after the change's position now answers differently, at the edge too.
    purge_later(keys_altered=[keys.SYNC], cause="sync log")
    now = timezone.now()
    alias = router.db_for_write(ArticleChange)
    # Joins the editorial transaction when there is one (no savepoint: if the log cannot be
    # written, the change must not commit either); starts its own when a signal fires outside.
    with transaction.atomic(using=alias, savepoint=False):
        _writers_serialise(alias)
        ArticleChange.objects.using(alias).bulk_create(
            ArticleChange(
                article_id=article_id,
                slug=slug,
                kind=kind,
                created_at=now,
                public=public,
                syndicated=syndicated,
            )
            for article_id, slug, public, syndicated in articles
        )
    return len(articles)


def _writers_serialise(alias: str) -> None:
    """Hold the log's write lock until commit, so its ids are handed out in commit order.

    Without it, a transaction that took id N could commit after one that took N + 1, and a
    reader between the two commits would move past N for good. Readers are not blocked.
    """
    connection = connections[alias]
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(ArticleChange._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
