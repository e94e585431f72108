"""Receivers that log, for delta sync, the articles whose placement a series change alters."""

import weakref
from collections.abc import Iterable

from django.db import router, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from modelcluster.queryset import FakeQuerySet
from wagtail.models import Site

from api.delivery.change_log import article_changes_record
from articles.models import (
    Series,
    SeriesMember,
)
from articles.selectors import view_restricted_paths, visibility_of_site, visible_articles

# Series: an article's `series` (slug, title, position, total) and its series navigation
# (previous, next) come from these.
#
# A member write logs the articles whose placement it changes, comparing the order before and
# after it: position, total or neighbours among the members each kind of client sees
# (anonymous readers and partners, per site), and any article that joined or left. A move logs
# the members it shifts and the neighbours it leaves and joins; a swap of two neighbours, four;
# an addition or removal, every member (their totals change).
#
# A series save commits its members one row at a time (modelcluster deletes the rows taken out,
# then saves every member in order), and write by write the states in between would log far
# more than the change: moving the last of fifty first ties two rows on one sort_order on the
# way. So a save inside a transaction is compared as a whole: its first write logs the
# difference between the order before it and the one its members in memory will leave, its
# other writes log nothing, and its last reads the order it did leave and logs anything the
# prediction missed (nothing while the database orders by sort_order, then id). The rows are
# written during the save, inside its transaction, so they commit with it, and no reader sees
# the writes in between. Outside a transaction every write commits, and is compared, alone.
#
# Modelcluster points each member it writes at the series being saved, which is how its writes
# are recognised. The save's state is held by an `on_commit` callback and only weakly by the
# series: a rollback of the transaction, or of the savepoint it began in, drops it along with
# the rows it logged, and later writes are compared alone again.

# A series' fields that summaries show, or that decide whether they show it.
_SERIES_SHOWN = ("title", "slug", "live", "go_live_at", "expire_at")


def _member_rows(series_filter: Q) -> dict[int, list[tuple[int, int]]]:
    """(member id, article id) of each series' members in reading order, as the API orders."""
    rows: dict[int, list[tuple[int, int]]] = {}
    for series_id, pk, article_id in (
        SeriesMember.objects.filter(series_filter)
        .order_by("series_id", "sort_order", "pk")
        .values_list("series_id", "pk", "article_id")
    ):
        rows.setdefault(series_id, []).append((pk, article_id))
    return rows


def _member_orders(series_ids: Iterable[int]) -> dict[int, list[int]]:
    """Each series' member articles in reading order (one query)."""
    series_ids = set(series_ids)
    rows = _member_rows(Q(series_id__in=series_ids))
    return {sid: [article_id for _, article_id in rows.get(sid, [])] for sid in series_ids}


def _audiences(article_ids: set[int]) -> set[frozenset[int]]:
    """Which of the articles each kind of client sees now: anonymous and partner, per site."""
    restricted = view_restricted_paths()
    audiences = set()
    for site in Site.objects.select_related("root_page"):
        visibility = visibility_of_site(site, restricted_tree_paths=restricted)
        visible = list(
            visible_articles(visibility)
            .filter(pk__in=article_ids)
            .values_list("pk", "syndication_allowed")
        )
        audiences.add(frozenset(pk for pk, _ in visible))
        audiences.add(frozenset(pk for pk, syndicated in visible if syndicated))
    return audiences


def _placements(order: list[int], audience: frozenset[int]) -> dict[int, tuple]:
    shown = [article_id for article_id in order if article_id in audience]
    last = len(shown) - 1
    return {
        article_id: (
            index,
            len(shown),
            shown[index - 1] if index > 0 else None,
            shown[index + 1] if index < last else None,
        )
        for index, article_id in enumerate(shown)
    }


def _placement_changes(before: dict[int, list[int]], after: dict[int, list[int]]) -> set[int]:
    """The articles whose series placement differs between the two orders, for any client."""
    moved = [
        sid for sid in before.keys() | after.keys() if before.get(sid, []) != after.get(sid, [])
    ]
    if not moved:
        return set()
    members = {a for sid in moved for a in (*before.get(sid, []), *after.get(sid, []))}
    audiences = _audiences(members)
    changed = set()
    for sid in moved:
        old, new = before.get(sid, []), after.get(sid, [])
        changed |= set(old) ^ set(new)  # joined or left, seen by anyone or not
        for audience in audiences:
            was, now = _placements(old, audience), _placements(new, audience)
            changed |= {a for a in was.keys() | now.keys() if was.get(a) != now.get(a)}
    return changed


def _placements_record(article_ids: set[int]) -> None:
    if article_ids:
        article_changes_record(article_ids=sorted(article_ids))


class _MembersSave:
    """A series save committing the members it holds in memory, in one transaction."""

    def __init__(self, series: Series, members: list[SeriesMember]):
        self.series = series
        self.members = members
        self.pending: set[tuple[str, int]] | None = None  # the writes still to come
        self.before: dict[int, list[int]] = {}
        self.logged: set[int] = set()

    def close(self) -> None:
        self.pending = set()
        self.series.__dict__.pop("_sync_members_save", None)

    def claims(self, member: SeriesMember, *, deleting: bool) -> bool:
        """Whether the write about to happen (or just done) is one of this save's."""
        if self.pending is None:
            self._begin()
        return _write_key(member, deleting=deleting) in self.pending

    def written(self, member: SeriesMember, *, deleting: bool) -> None:
        self.pending.discard(_write_key(member, deleting=deleting))
        if not self.pending:
            # The last write: what the save left, should it differ from what was predicted.
            left = _member_orders(self.before)
            self._record(_placement_changes(self.before, left) - self.logged)
            self.close()

    def _begin(self) -> None:
        """Before the save's first write: log the difference between now and what it leaves."""
        kept = {member.pk for member in self.members if member.pk is not None}
        rows = _member_rows(Q(series_id=self.series.pk) | Q(pk__in=kept))
        rows.setdefault(self.series.pk, [])
        self.before = {sid: [article_id for _, article_id in order] for sid, order in rows.items()}
        removed = {pk for pk, _ in rows[self.series.pk] if pk not in kept}
        self.pending = {("save", id(member)) for member in self.members} | {
            ("delete", pk) for pk in removed
        }
        if any(member.sort_order is None for member in self.members):
            # Where the database puts a null sort_order depends on the database: log them all.
            self._record({a for order in self.before.values() for a in order} | self._articles())
            return
        leaves = {sid: [a for pk, a in order if pk not in kept] for sid, order in rows.items()}
        leaves[self.series.pk] = self._articles()
        self._record(_placement_changes(self.before, leaves))

    def _articles(self) -> list[int]:
        # The database's order: sort_order, then id; new rows get ids above every existing one.
        numbered = sorted(
            enumerate(self.members),
            key=lambda item: (item[1].sort_order, item[1].pk is None, item[1].pk or 0, item[0]),
        )
        return [member.article_id for _, member in numbered]

    def _record(self, article_ids: set[int]) -> None:
        _placements_record(article_ids)
        self.logged |= article_ids


def _write_key(member: SeriesMember, *, deleting: bool) -> tuple[str, int]:
    return ("delete", member.pk) if deleting else ("save", id(member))


def _members_save_of(member: SeriesMember, *, deleting: bool) -> _MembersSave | None:
    """The series save that this member write belongs to, if any."""
    if not SeriesMember.series.is_cached(member):
        return None
    reference = member.series.__dict__.get("_sync_members_save")
    save = reference() if reference is not None else None
    if save is None or not save.claims(member, deleting=deleting):
        return None
    return save


@receiver(pre_save, sender=Series, dispatch_uid="api-sync-series-saving")
def series_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    instance.__dict__.pop("_sync_members_save", None)
    if raw:
        return
    fields = set(update_fields) if update_fields is not None else None
    if instance.pk is not None and (fields is None or fields & set(_SERIES_SHOWN)):
        instance._sync_series_shown = (
            Series.objects.filter(pk=instance.pk).values_list(*_SERIES_SHOWN).first()
        )
    members = instance.members.all()
    alias = router.db_for_write(SeriesMember)
    if (
        (fields is None or "members" in fields)
        and isinstance(members, FakeQuerySet)  # held in memory: the save commits them
        and (instance.pk is not None or len(members))
        and not transaction.get_autocommit(using=alias)
    ):
        save = _MembersSave(instance, list(members))
        transaction.on_commit(save.close, using=alias)  # the one strong reference
        instance._sync_members_save = weakref.ref(save)


@receiver(post_save, sender=Series, dispatch_uid="api-sync-series-saved")
def series_saved(sender, instance, raw=False, **kwargs):
    # Published, unpublished, renamed or rescheduled: every member's summary changes. A save
    # that changes none of these (a publish of a reorder) logs nothing itself; the members it
    # commits are written after this, and logged as above.
    shown = instance.__dict__.pop("_sync_series_shown", None)
    if raw or shown is None:
        return
    if shown != tuple(getattr(instance, field) for field in _SERIES_SHOWN):
        article_changes_record(
            article_ids=SeriesMember.objects.filter(series_id=instance.pk).values("article_id")
        )


@receiver(pre_save, sender=SeriesMember, dispatch_uid="api-sync-series-member-saving")
def series_member_saving(sender, instance, raw=False, **kwargs):
    if raw or _members_save_of(instance, deleting=False) is not None:
        return
    # The series it is in now, and the one it leaves if it moves.
    rows = _member_rows(
        Q(series_id=instance.series_id)
        | Q(series_id__in=SeriesMember.objects.filter(pk=instance.pk).values("series_id"))
    )
    rows.setdefault(instance.series_id, [])
    instance._sync_series_before = {
        sid: [article_id for _, article_id in order] for sid, order in rows.items()
    }


@receiver(post_save, sender=SeriesMember, dispatch_uid="api-sync-series-member-saved")
def series_member_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if (save := _members_save_of(instance, deleting=False)) is not None:
        save.written(instance, deleting=False)
        return
    before = instance.__dict__.pop("_sync_series_before", None)
    if before is None:  # not seen before the write: log the series as it is now
        _placements_record(
            {instance.article_id, *_member_orders([instance.series_id])[instance.series_id]}
        )
        return
    _placements_record(_placement_changes(before, _member_orders(before)))


@receiver(pre_delete, sender=SeriesMember, dispatch_uid="api-sync-series-member-deleting")
def series_member_deleting(sender, instance, **kwargs):
    _members_save_of(instance, deleting=True)  # a save's first write reads the order before it


@receiver(post_delete, sender=SeriesMember, dispatch_uid="api-sync-series-member-deleted")
def series_member_deleted(sender, instance, **kwargs):
    if (save := _members_save_of(instance, deleting=True)) is not None:
        save.written(instance, deleting=True)
        return
    # The order before is the order after with this member in it: where exactly does not
    # matter, since every member that shares a client with it gets a new total anyway. Read
    # after rather than before, so a series deleted as a whole logs each member once.
    after = _member_orders([instance.series_id])
    before = {sid: [*order, instance.article_id] for sid, order in after.items()}
    _placements_record(_placement_changes(before, after))
