"""Series membership as editors change it: reads of the latest version of every series, and the
service the article editor uses to add an article to a series or move it.

A series is published as a whole: a change to a live series is a new draft revision, which goes
live when an editor publishes the series; a series never published is changed in place (as the
snippet editor does). So "the series that holds an article" means the latest version of each
series: its pending draft if it has one, else its rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

# From the module, not the package: the article form imports this while models load.
from articles.models.series import Series, SeriesMember

if TYPE_CHECKING:
    from articles.models import ArticlePage


@dataclass(frozen=True)
class Holding:
    """An article's place in the latest version of a series."""

    series: Series
    position: int  # 1-based, among all members of that version
    draft: bool  # the place is in a draft not yet published


def _has_pending_draft(series: Series) -> bool:
    return bool(series.live and series.has_unpublished_changes and series.latest_revision_id)


def latest_members(series: Series) -> list[SeriesMember]:
    """The members of the latest version of `series`, in the editor's order."""
    version = series.get_latest_revision_as_object() if _has_pending_draft(series) else series
    return sorted(version.members.all(), key=lambda m: (m.sort_order or 0, m.pk or 0))


def series_holding(article_id: int, *, exclude_series_id: int | None = None) -> list[Holding]:
    """Every series whose latest version lists the article (one, unless drafts disagree).

    Two queries: the rows of series without a pending draft, and the pending drafts.
    """
    holdings = []
    rows = (
        SeriesMember.objects.filter(article_id=article_id)
        .exclude(series_id=exclude_series_id)
        .select_related("series")
    )
    for row in rows:
        if _has_pending_draft(row.series):
            continue  # the draft below decides
        position = row.series.members.filter(sort_order__lt=row.sort_order or 0).count() + 1
        holdings.append(Holding(series=row.series, position=position, draft=False))
    drafts = (
        Series.objects.filter(live=True, has_unpublished_changes=True)
        .exclude(latest_revision=None)
        .exclude(pk=exclude_series_id)
        .select_related("latest_revision")
    )
    for series in drafts:
        members = series.latest_revision.content.get("members", [])
        ordered = sorted(members, key=lambda m: (m.get("sort_order") or 0, m.get("pk") or 0))
        for index, member in enumerate(ordered):
            if member.get("article") == article_id:
                holdings.append(Holding(series=series, position=index + 1, draft=True))
                break
    return holdings


def _series_version_change(
    series: Series, *, user, add: ArticlePage | None = None, remove_id: int | None = None
) -> None:
    """Add (at the end) or remove an article in the latest version of `series`."""
    series = Series.objects.select_for_update().get(pk=series.pk)
    version = series.get_latest_revision_as_object() if _has_pending_draft(series) else series
    members = [m for m in latest_members(series) if m.article_id != remove_id]
    if add is not None and all(m.article_id != add.pk for m in members):
        members.append(SeriesMember(article=add))
    for position, member in enumerate(members):
        member.sort_order = position
    version.members = members
    if not series.live:
        version.save()  # never published: the rows are the draft, as in the snippet editor
    version.save_revision(user=user, log_action=True, clean=False)


@transaction.atomic
def article_series_set(*, article: ArticlePage, series: Series | None, user) -> None:
    """Put the article in `series` (last) or in none, as a draft change of each series touched.

    The article leaves any other series it is in; live series get a new draft revision, which
    an editor publishes (the order can be adjusted first).
    """
    for holding in series_holding(article.pk):
        if series is None or holding.series.pk != series.pk:
            _series_version_change(holding.series, user=user, remove_id=article.pk)
    if series is not None and not any(h.series.pk == series.pk for h in series_holding(article.pk)):
        _series_version_change(series, user=user, add=article)
