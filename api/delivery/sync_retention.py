"""Sync log retention: pruning changes older than SYNC_RETENTION_DAYS, and the horizon of expiry.

Pruning (`sync_log_prune`, every scheduler round) deletes the log's oldest rows in id order,
one bounded batch per transaction, and stops at the first row still inside the window: what
goes is always a prefix of the log (a row committed late with an early timestamp waits for the
rows before it). So every row above the newest pruned id, the horizon, is still there. The
horizon is recorded (`ChangeLogHorizon`) in the transaction that deletes, so it is never behind
what is gone, and it outlives a log that pruning has emptied.

Expiry: a sync position below the horizon (a delta token's `after`, a full sync's `since`) may have
missed pruned rows, a deletion among them; serving it would leave the client holding an article that
is gone, so api/delivery/sync.py answers it with a 410 `sync_token_expired` and the client starts
again with a full sync. A position at or above the horizon misses nothing and is served as before.
Expiry is decided by what the log still holds, never by the token's age, so tokens stay
deterministic. Pages read the horizon after the log, so a prune that commits during a page is
noticed: a page that read a pruned log reads the new horizon too. A page the response cache kept
from before a prune was complete when it was computed, and its `next_token` expires like any other:
serving it for its last few minutes leaves nothing out.

Deletions: sync names in `deleted` only the articles a client could ever have held, by the `public`
and `syndicated` flags of their log rows (`_ever_seen` in api/delivery/sync.py). Pruned rows take
that history with them: an article public a year ago and made private yesterday has only yesterday's
row, "not public", and a client that has held it all along would never be told. So each batch folds
the flags of the rows it deletes into one `ArticleExposure` row per article, which `_ever_seen`
reads beside the log, and which answers exactly as the pruned rows did. (Keeping each article's last
such row in the log instead would leave old rows below the horizon, and a log that no longer holds
just the window.) An article that no longer exists and has no row left is forgotten altogether: no
row can name it again, and a client with an unexpired token has been told of its deletion already.
The log thus holds the changes of the window, and the exposures at most one small row per article.

On PostgreSQL a batch's DELETE conflicts with the writers' table lock (api/delivery/change_log.py),
so editorial writes wait for the batch to commit: batches are bounded (`batch` rows), and a round
deletes at most `max_batches` of them; a larger backlog drains over the following rounds.
"""

import logging
from datetime import datetime, timedelta
from itertools import takewhile

from django.conf import settings
from django.db import router, transaction
from django.db.models import Max
from django.utils import timezone

from api.delivery.models import ArticleChange, ArticleExposure, ChangeLogHorizon
from api.errors import SyncTokenExpired
from articles.models import ArticlePage

logger = logging.getLogger("folio.api")

HORIZON_ID = 1


# Reading the horizon (api/delivery/sync.py)


def sync_log_horizon() -> int:
    """The id of the newest row pruned from the change log (0 before any pruning), one query."""
    return (
        ChangeLogHorizon.objects.filter(pk=HORIZON_ID)
        .values_list("pruned_through", flat=True)
        .first()
        or 0
    )


def change_log_bounds() -> tuple[int, int]:
    """The log's horizon and position: the newest pruned id and the newest committed id.

    Two indexed queries. The position is read first, and is the horizon when pruning has
    emptied the log: a prune that empties it in between has moved the horizon already.
    """
    top = ArticleChange.objects.aggregate(top=Max("id"))["top"] or 0
    horizon = sync_log_horizon()
    return horizon, max(top, horizon)


def sync_position_check(*, since: int, horizon: int) -> None:
    """A sync position below the horizon may have missed pruned changes: a 410, not a page."""
    if since < horizon:
        raise SyncTokenExpired(
            f"token is older than the sync log's retention ({settings.SYNC_RETENTION_DAYS} "
            "days); start again with a full sync: request without a token and replace the "
            "stored articles with what it returns",
            details={"token": ["is older than the sync log's retention"]},
        )


# Pruning (the scheduler)


def sync_log_prune(*, now: datetime | None = None, batch: int = 5000, max_batches: int = 20) -> int:
    """Delete the changes older than the retention, oldest first; returns the rows deleted.

    At most `max_batches` transactions of at most `batch` rows each: a backlog larger than
    that (the first run on a long-lived log) is left to the following rounds.
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.SYNC_RETENTION_DAYS)
    alias = router.db_for_write(ArticleChange)
    deleted = 0
    for _ in range(max_batches):
        oldest = (
            ArticleChange.objects.using(alias)
            .order_by("id")
            .values_list("created_at", flat=True)
            .first()
        )
        if oldest is None or oldest >= cutoff:
            break
        deleted += _batch_prune(alias, cutoff=cutoff, batch=batch)
    if deleted:
        logger.info("sync log: pruned %d changes older than %s", deleted, cutoff.isoformat())
    return deleted


def _batch_prune(alias: str, *, cutoff: datetime, batch: int) -> int:
    """Delete one batch off the front of the log, keeping who could have held its articles."""
    with transaction.atomic(using=alias):
        # Serialises prunes (two schedulers): the exposure fold below reads, then writes.
        horizon, _ = (
            ChangeLogHorizon.objects.using(alias).select_for_update().get_or_create(pk=HORIZON_ID)
        )
        rows = _expired_front(alias, cutoff=cutoff, batch=batch)
        if not rows:
            return 0
        through = rows[-1][0]
        _exposures_fold(alias, rows, through=through)
        # Rows at or below `through` are exactly those read: ids are handed out in commit
        # order, so none can still be committed below a row that was read.
        ArticleChange.objects.using(alias).filter(id__lte=through).delete()
        horizon.pruned_through = max(horizon.pruned_through, through)
        horizon.pruned_at = timezone.now()
        horizon.save(using=alias)
    return len(rows)


# The first read of a round: most rounds find a handful of expired rows, and reading a whole
# batch to keep three of them cost ~65 ms a minute at 100,000 articles (docs/performance.md).
FRONT_READ_FIRST = 200


def _expired_front(alias: str, *, cutoff: datetime, batch: int) -> list[tuple]:
    """The front of the log up to the first row not older than `cutoff`, at most `batch` rows.

    Always a prefix in id order (the delete takes every id up to the last one), read in growing
    chunks so that a round with little to prune reads little.
    """
    columns = ("id", "created_at", "article_id", "public", "syndicated")
    front = ArticleChange.objects.using(alias).order_by("id")
    rows: list[tuple] = []
    chunk = min(batch, FRONT_READ_FIRST)
    while len(rows) < batch:
        after = rows[-1][0] if rows else None
        page = front.filter(id__gt=after) if after is not None else front
        wanted = min(chunk, batch - len(rows))
        expired = list(takewhile(lambda row: row[1] < cutoff, page.values_list(*columns)[:wanted]))
        rows += expired
        if len(expired) < wanted:
            break  # reached a row to keep, or the end of the log
        chunk = min(chunk * 5, batch)
    return rows


def _exposures_fold(alias: str, rows: list[tuple], *, through: int) -> None:
    """OR the flags of the pruned rows into their articles' exposures; forget gone articles."""
    flags: dict[int, tuple[bool, bool]] = {}
    for _, _, article_id, public, syndicated in rows:
        was_public, was_syndicated = flags.get(article_id, (False, False))
        flags[article_id] = (was_public or public, was_syndicated or syndicated)
    # Existence first: an article whose deletion committed since has its last row in the log.
    existing = set(
        ArticlePage.objects.using(alias).filter(pk__in=list(flags)).values_list("pk", flat=True)
    )
    absent = set(flags) - existing
    still_logged = set(
        ArticleChange.objects.using(alias)
        .filter(id__gt=through, article_id__in=list(absent))
        .values_list("article_id", flat=True)
        .distinct()
    )
    forgotten = absent - still_logged
    if forgotten:
        ArticleExposure.objects.using(alias).filter(article_id__in=list(forgotten)).delete()
    kept = {pk: seen for pk, seen in flags.items() if pk not in forgotten and any(seen)}
    if not kept:
        return
    for exposure in ArticleExposure.objects.using(alias).filter(article_id__in=list(kept)):
        public, syndicated = kept[exposure.article_id]
        kept[exposure.article_id] = (public or exposure.public, syndicated or exposure.syndicated)
    ArticleExposure.objects.using(alias).bulk_create(
        [
            ArticleExposure(article_id=pk, public=public, syndicated=syndicated)
            for pk, (public, syndicated) in sorted(kept.items())
        ],
        update_conflicts=True,
        unique_fields=["article_id"],
        update_fields=["public", "syndicated"],
    )
