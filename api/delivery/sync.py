"""Delta sync for offline-first apps: the article change log, its signed tokens and its pages.

Recording: every editorial change that can alter an article's summary or visibility writes one
`ArticleChange` row per affected article (receivers in api/delivery/sync_receivers.py), inside the
transaction that makes the change, so the change and its row commit together or not at all. Writers
to the log are serialised (a table lock held to commit on PostgreSQL; SQLite has one writer anyway),
so ids are assigned in commit order: a reader that sees row N has seen every row below N, and a log
position is a safe place to resume from.

Reading: a full sync notes the log's high-water mark H, then pages through the visible articles
in id order; when the scan ends, its token moves on to the log after H, so whatever changed
during the scan is replayed. A delta page reads log rows in id order, collapses them per
article and checks each article's visibility as it is now: visible ones are sent as summaries
in `changed`, all others (unpublished, deleted, made private, moved off the site, expired) in
`deleted`. A log row only ever means "look at this article again".

Time alone is not a change: an article whose `expire_at` passes (or whose `go_live_at`
arrives) is not logged until the scheduler (`publish_scheduled`) unpublishes (publishes) it,
which sends the signals; until then a synced client keeps (lacks) it.

Tokens are signed with their own salt, opaque to clients, deterministic (the same position
gives the same token, so an unchanged delta keeps its ETag) and bound to the site's root page;
a token this server did not issue, or one from another site, is a 400 `invalid_token`.

Retention (api/delivery/sync_retention.py): the scheduler prunes changes older than the retention
off the front of the log and records the horizon, the newest id pruned. A position below it may have
missed a pruned change, so its token is a 410 `sync_token_expired`; positions at or above it lose
nothing, and the guarantees above hold for every token that is served.
"""

from dataclasses import dataclass

from django.core import signing
from django.db.models import Q

from api.content.pagination import MAX_LIMIT
from api.content.serializers import article_summary, timestamp, with_rights
from api.content.summaries import summary_attrs
from api.delivery.models import ArticleChange, ArticleExposure
from api.delivery.sync_retention import change_log_bounds, sync_log_horizon, sync_position_check
from api.errors import InvalidToken
from api.partners.rights import full_text_allowed
from articles.models import ArticlePage
from articles.selectors import (
    Visibility,
    visible_articles,
    with_summary_columns,
)

SYNC_SALT = "folio.api.sync.v1"
TOKEN_VERSION = 1
DEFAULT_SYNC_LIMIT = MAX_LIMIT
FULL, DELTA = "full", "delta"


# Tokens


@dataclass(frozen=True)
class SyncPosition:
    """Where a sync resumes, and for which site.

    `full`: the scan goes on past article id `after`; it began at log position `since`.
    `delta`: the log goes on past row `after` (and `since` is the same).
    """

    phase: str
    after: int
    since: int
    site: str | None  # treebeard path of the site's root page the token was issued for


def sync_token(position: SyncPosition) -> str:
    payload = {"v": TOKEN_VERSION, "p": position.phase, "a": position.after, "s": position.site}
    if position.phase == FULL:
        payload["h"] = position.since
    return signing.Signer(salt=SYNC_SALT).sign_object(payload, compress=True)


def _is_position(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def read_sync_token(token: str) -> SyncPosition:
    """The position a token names; anything this server did not issue is an InvalidToken."""
    invalid = InvalidToken(
        "token is not a sync token issued by this API; start a new sync without one",
        details={"token": ["is not a sync token issued by this API"]},
    )
    try:
        payload = signing.Signer(salt=SYNC_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        raise invalid from None
    if not isinstance(payload, dict) or payload.get("v") != TOKEN_VERSION:
        raise invalid
    phase, after, site = payload.get("p"), payload.get("a"), payload.get("s")
    since = payload.get("h") if phase == FULL else after
    if phase not in (FULL, DELTA) or not (_is_position(after) and _is_position(since)):
        raise invalid
    if site is not None and not isinstance(site, str):
        raise invalid
    return SyncPosition(phase=phase, after=after, since=since, site=site)


# Pages


def sync_page(
    visibility: Visibility, *, position: SyncPosition | None, limit: int, partner=None
) -> dict:
    """One page of a sync: the first page of a full sync when `position` is None."""
    site = visibility.site_tree_path
    if position is not None and position.site != site:
        raise InvalidToken(
            "token was issued for another site, or this site's root has changed; "
            "start a new sync without one",
            details={"token": ["belongs to another site"]},
        )
    if position is None:
        position = SyncPosition(phase=FULL, after=0, since=change_log_bounds()[1], site=site)
        return _full_page(
            visibility, position, limit=limit, log_top=position.since, partner=partner
        )
    if position.phase == FULL:
        return _full_page(visibility, position, limit=limit, log_top=None, partner=partner)
    return _delta_page(visibility, position, limit=limit, partner=partner)


def _summaries(visibility: Visibility, articles: list[ArticlePage], partner=None) -> list[dict]:
    attrs = summary_attrs(visibility, articles)
    summaries = [
        article_summary(article, attrs[article.pk], site_url_path=visibility.site_url_path)
        for article in articles
    ]
    if partner is not None:
        for summary, article in zip(summaries, articles, strict=True):
            with_rights(
                summary,
                article,
                site_url_path=visibility.site_url_path,
                full_text=full_text_allowed(partner, article),
            )
    return summaries


def _response(*, changed, deleted, position: SyncPosition, has_more: bool) -> dict:
    return {
        "changed": changed,
        "deleted": deleted,
        "next_token": sync_token(position),
        "has_more": has_more,
    }


def _full_page(
    visibility: Visibility,
    position: SyncPosition,
    *,
    limit: int,
    log_top: int | None,
    partner=None,
) -> dict:
    """Visible articles past `position.after` in id order: a keyset scan, constant queries."""
    articles = list(
        with_summary_columns(visible_articles(visibility))
        .filter(pk__gt=position.after)
        .order_by("pk")[: limit + 1]
    )
    more = len(articles) > limit
    articles = articles[:limit]
    if log_top is None:
        # Read on every continuation page (as on the first), so every page costs the same;
        # on the last one it tells whether anything changed during the scan.
        horizon, log_top = change_log_bounds()
        sync_position_check(since=position.since, horizon=horizon)
    if more:
        following = SyncPosition(
            phase=FULL, after=articles[-1].pk, since=position.since, site=position.site
        )
    else:
        following = SyncPosition(
            phase=DELTA, after=position.since, since=position.since, site=position.site
        )
    return _response(
        changed=_summaries(visibility, articles, partner),
        deleted=[],
        position=following,
        has_more=more or log_top > position.since,
    )


def _delta_page(
    visibility: Visibility, position: SyncPosition, *, limit: int, partner=None
) -> dict:
    """Log rows past `position.after`, one entry per article, by visibility as it is now."""
    rows = list(
        ArticleChange.objects.filter(id__gt=position.after)
        .order_by("id")
        .values_list("id", "article_id", "slug", "created_at")[: limit + 1]
    )
    # After the rows: had a prune removed rows this page should have read, its horizon shows.
    sync_position_check(since=position.since, horizon=sync_log_horizon())
    more = len(rows) > limit
    rows = rows[:limit]
    latest: dict[int, tuple] = {}
    for row in rows:
        # Re-inserted so the dict runs in the order of each article's latest change.
        latest.pop(row[1], None)
        latest[row[1]] = row
    visible = (
        {
            article.pk: article
            for article in with_summary_columns(visible_articles(visibility)).filter(
                pk__in=list(latest)
            )
        }
        if latest
        else {}
    )
    changed = _summaries(visibility, [visible[pk] for pk in latest if pk in visible], partner)
    gone = [article_id for article_id in latest if article_id not in visible]
    held = _ever_seen(gone, syndicated_only=visibility.syndicated_only) if gone else set()
    deleted = [
        {"id": article_id, "slug": slug, "deleted_at": timestamp(created_at)}
        for _, article_id, slug, created_at in latest.values()
        if article_id in held
    ]
    after = rows[-1][0] if rows else position.after
    return _response(
        changed=changed,
        deleted=deleted,
        position=SyncPosition(phase=DELTA, after=after, since=after, site=position.site),
        has_more=more,
    )


def _ever_seen(article_ids: list[int], *, syndicated_only: bool) -> set[int]:
    """The articles a client of this kind could ever have held (one query).

    Only those get a `deleted` entry: telling a client that a never-public draft is gone
    would disclose its slug. Pruned rows said so in the article's exposure.
    """
    seen = Q(syndicated=True) if syndicated_only else Q(public=True)
    logged = ArticleChange.objects.filter(seen, article_id__in=article_ids)
    pruned = ArticleExposure.objects.filter(seen, article_id__in=article_ids)
    return set(
        logged.values_list("article_id", flat=True).union(
            pruned.values_list("article_id", flat=True)
        )
    )
