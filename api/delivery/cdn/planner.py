"""From editorial changes to the surrogate keys they alter, gathered per transaction.

Receivers (api/delivery/cdn/receivers.py) say, inside the editorial transaction, which articles it
touched and which other keys it altered. Once it commits, the touched articles are compared
with what the edge was last told (`EdgeVisibleArticle`):

- every touched article: `article-<id>` and `page-<id>` (everything showing it), and
  `articles` (any collection may have gained, lost or reordered it);
- an article that appeared or disappeared: also its series (`series-<id>`, positions and
  totals of every member), the series list (counts), and, when it appeared, the navigation of
  the articles published just before and after it (`nav-<id>`), which now link to it. Those
  that linked to an article that disappeared carry its own key already.

A plain edit of a visible article therefore purges its own responses, its neighbours' and the
collections, never an unrelated article's detail. A change too large to plan article by
article (a journal moved, a restriction over hundreds of articles) purges everything.

The comparison needs a complete record (`EdgeVisibilitySnapshot`). Content published while no
CDN was configured, or written by a bulk import, is not in it: the process that sees an
editorial change without a CDN drops the snapshot, and the next planned change treats what it
touched as both appearing and disappearing (more purged than needed, never less), then takes
the snapshot again from the visibility rule.

Nothing else is gathered when no CDN is configured.
"""

import logging
import threading
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.timezone import now
from wagtail.models import Site

from api.delivery.cdn import keys
from api.models import EdgeVisibilitySnapshot, EdgeVisibleArticle
from articles.models import SeriesMember
from articles.selectors import (
    publication_neighbours,
    view_restricted_paths,
    visibility_of_site,
    visible_anywhere,
)

logger = logging.getLogger("folio.api.cdn")

# Above this many articles appearing or disappearing at once, the edge is emptied instead.
PLAN_LIMIT = 200


@dataclass
class PendingPurge:
    """What one transaction altered: articles to plan, keys known already, why."""

    article_ids: set[int] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)
    causes: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.article_ids or self.keys)


_local = threading.local()

# Set once this process has dropped the snapshot for a change made without a CDN: later
# changes find nothing to drop, so they cost no query.
_snapshot_dropped_here = False


def _edge_configured() -> bool:
    from django.conf import settings

    return bool(settings.CDN_BACKEND)


def purge_later(*, keys_altered=(), article_ids=(), cause: str = "") -> None:
    """Note what the current transaction altered; it is planned and queued once it commits.

    Everything one transaction notes is planned and queued together, once: one purge request
    per CDN target per transaction. Outside a transaction the note is planned at once (Django
    runs on-commit work then).
    """
    if not _edge_configured():
        if not _snapshot_dropped_here:
            # After the commit: a change that rolls back leaves the snapshot true.
            transaction.on_commit(_snapshot_drop_once, robust=True)
        return
    in_transaction = transaction.get_connection().in_atomic_block
    pending = _current_pending() if in_transaction else PendingPurge()
    pending.keys.update(keys_altered)
    pending.article_ids.update(article_ids)
    if cause and cause not in pending.causes and len(pending.causes) < 5:
        pending.causes.append(cause)
    if not in_transaction:
        _flush(pending)


def snapshot_drop() -> None:
    """The record of what the edge was told is no longer complete (a bulk import, say)."""
    EdgeVisibilitySnapshot.objects.all().delete()


def _snapshot_drop_once() -> None:
    global _snapshot_dropped_here
    if not _snapshot_dropped_here:
        snapshot_drop()
        _snapshot_dropped_here = True


def _current_pending() -> PendingPurge:
    """The note of the transaction in progress, with a flush queued for its commit.

    Every note queues the flush again (public API only: Django offers no hook for "this
    transaction ended"); the first flush of a commit takes the whole note, the others find
    nothing. A note from a transaction that rolled back is never flushed by it: it is taken by
    the next commit's flush, which then purges a little more than it needs, never less.
    """
    pending = getattr(_local, "pending", None)
    if pending is None:
        pending = _local.pending = PendingPurge()
    transaction.on_commit(_flush_current, robust=True)
    return pending


def _flush_current() -> None:
    pending = getattr(_local, "pending", None)
    _local.pending = None
    if pending:
        _flush(pending)


def _flush(pending: PendingPurge) -> None:
    from api.delivery.cdn.purges import purges_queue

    purges_queue(keys_to_purge=plan(pending), cause="; ".join(pending.causes)[:300])


def plan(pending: PendingPurge) -> set[str]:
    """The keys to purge for what a committed transaction altered."""
    planned = set(pending.keys)
    touched = pending.article_ids
    if not touched:
        return planned
    planned.add(keys.ARTICLE_COLLECTIONS)
    for pk in touched:
        planned.update((keys.article(pk), keys.page(pk)))

    visible_now = visible_anywhere(touched)
    if EdgeVisibilitySnapshot.objects.exists():
        was_visible = set(
            EdgeVisibleArticle.objects.filter(article_id__in=touched).values_list(
                "article_id", flat=True
            )
        )
        appeared, disappeared = visible_now - was_visible, was_visible - visible_now
    else:
        # Nothing says what the edge showed before: each may have appeared or disappeared.
        appeared, disappeared = visible_now, touched - visible_now
    flipped = appeared | disappeared
    if len(flipped) > PLAN_LIMIT:
        logger.info("edge: %s articles appeared or disappeared; purging everything", len(flipped))
        planned = {keys.EVERYTHING}
    elif flipped:
        series_ids = SeriesMember.objects.filter(article_id__in=flipped).values_list(
            "series_id", flat=True
        )
        planned.update(keys.series(pk) for pk in set(series_ids))
        planned.add(keys.SERIES_COLLECTION)
        planned.update(keys.navigation(pk) for pk in _neighbours(appeared))

    if not EdgeVisibilitySnapshot.objects.exists():
        _snapshot_take()
        return planned
    if disappeared:
        EdgeVisibleArticle.objects.filter(article_id__in=disappeared).delete()
    if appeared:
        EdgeVisibleArticle.objects.bulk_create(
            [EdgeVisibleArticle(article_id=pk) for pk in appeared], ignore_conflicts=True
        )
    return planned


def _snapshot_take() -> None:
    """Record every article some site's anonymous clients can see now."""
    global _snapshot_dropped_here
    with transaction.atomic():
        EdgeVisibleArticle.objects.all().delete()
        EdgeVisibleArticle.objects.bulk_create(
            [EdgeVisibleArticle(article_id=pk) for pk in visible_anywhere()],
            batch_size=5000,
        )
        EdgeVisibilitySnapshot.objects.update_or_create(id=1, defaults={"taken_at": now()})
    _snapshot_dropped_here = False


def _neighbours(article_ids: set[int]) -> set[int]:
    """Their publication-order neighbours on every site that shows them."""
    if not article_ids:
        return set()
    restricted = view_restricted_paths()
    found: set[int] = set()
    for site in Site.objects.select_related("root_page"):
        visibility = visibility_of_site(site, restricted_tree_paths=restricted)
        found |= publication_neighbours(visibility, article_ids)
    return found - article_ids
