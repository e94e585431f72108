"""The webhook outbox: editorial events written in the transaction of the change, then fanned out.

An event tells partners what changed in what they may republish, so each one is decided by
comparing what partners can see now (the partner view of `articles.selectors`: syndicated, visible
articles of the default site) with what the outbox last told them about the same article or
series:

- visible now, not held by partners: `article.published` (first publication, or visible again
  after an unpublish, a privacy change or syndication being switched back on);
- visible now, held by partners, and republished (or moved): `article.updated`;
- not visible now, held by partners: `article.unpublished` (unpublished, expired, made private,
  or republished with syndication switched off);
- deleted, and partners were ever told of it: `article.deleted`;
- retracted, and partners were ever told of it: `article.retracted` with `takedown_required`
  (api/webhooks/health_events.py); an endpoint that subscribed to `article.unpublished` but not
  to `article.retracted` (set up before retractions existed) gets `article.unpublished`
  instead, so that it still removes the article;
- a series whose partner view (title, published state, syndicated visible members in order)
  differs from what partners were last told: `series.updated`;
- a substantive correction recorded for an article visible to partners: `article.corrected`
  (beside the publish's own event; it does not change what partners are held to hold).

An article partners never saw produces nothing: no row names it, so its title or slug cannot
reach a webhook. Unpublished and deleted events name the slug partners were last given.

Every write joins the caller's transaction (admin writes run in one, cms/middleware.py), and
the deliveries and their tasks are written with the event: the change, its event and the
duty to deliver it commit together or not at all.
"""

import weakref
from collections.abc import Iterable
from datetime import UTC, datetime

from django.db import router, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from wagtail.models import Site

from api.content.addresses import api_url, article_api_url, page_url
from api.content.serializers import syndication_shape, timestamp
from api.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from articles.models import ArticlePage, Series, SeriesMember
from articles.selectors import (
    Visibility,
    view_restricted_paths,
    visible_articles,
    visible_series,
)

ARTICLE_PUBLISHED = "article.published"
ARTICLE_UPDATED = "article.updated"
ARTICLE_UNPUBLISHED = "article.unpublished"
ARTICLE_DELETED = "article.deleted"
ARTICLE_RETRACTED = "article.retracted"
SERIES_UPDATED = "series.updated"
ARTICLE_CORRECTED = "article.corrected"

ARTICLE_EVENT_TYPES = (
    ARTICLE_PUBLISHED,
    ARTICLE_UPDATED,
    ARTICLE_UNPUBLISHED,
    ARTICLE_DELETED,
    ARTICLE_RETRACTED,
)
# After one of these, partners hold the article.
HELD_BY_PARTNERS = frozenset({ARTICLE_PUBLISHED, ARTICLE_UPDATED})
# Events that carry the article: not delivered once partners may no longer see it.
CARRIES_THE_ARTICLE = HELD_BY_PARTNERS | {ARTICLE_CORRECTED}


def partner_visibility(*, now: datetime | None = None) -> Visibility:
    """What a partner key sees on the default site: the view every webhook is decided by."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return Visibility(
        site_tree_path=site.root_page.path if site else None,
        site_url_path=site.root_page.url_path if site else "/",
        now=now or timezone.now(),
        restricted_tree_paths=view_restricted_paths(),
        syndicated_only=True,
    )


def event_timestamp(value: datetime) -> str:
    """An event's `created_at`: ISO 8601 in UTC to the millisecond, so events order."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# Payloads


def article_data(article: ArticlePage, *, visibility: Visibility) -> dict:
    """An article as a partner sees it (published and updated events)."""
    url = page_url(article.url_path, site_root_path=visibility.site_url_path)
    return {
        "id": article.pk,
        "slug": article.slug,
        "title": article.title,
        "summary": article.summary,
        "url": url,
        "api_url": article_api_url(article.slug),
        "published_at": timestamp(article.first_published_at),
        "updated_at": timestamp(article.last_published_at),
        "syndication": syndication_shape(article, url=url),
    }


def series_data(series: Series, *, visibility: Visibility, published: bool) -> dict:
    """A series as a partner sees it: its syndicated, visible members' ids in reading order."""
    members = (
        list(
            visible_articles(visibility)
            .filter(series_memberships__series=series)
            .order_by("series_memberships__sort_order", "pk")
            .values_list("pk", flat=True)
        )
        if published
        else []
    )
    return {
        "slug": series.slug,
        "title": series.title,
        "api_url": api_url("series-detail", slug=series.slug),
        "published": published,
        "articles": members,
    }


# Recording (service functions, called by the receivers in api/webhooks/receivers.py)


def article_events_record(
    *, article_ids: Iterable[int], republished: bool = False
) -> list[WebhookEvent]:
    """Record what partners must be told about the articles now; returns the new events.

    `republished` says the articles were published again (or moved): those partners hold
    are sent as `article.updated`; without it only a change in what partners can see is sent.
    """
    ids = list(article_ids)
    if not ids:
        return []
    now = timezone.now()
    visibility = partner_visibility(now=now)
    visible = {
        article.pk: article
        for article in visible_articles(visibility).filter(pk__in=ids).defer_streamfields()
    }
    told = last_article_events(ids)
    events = []
    with transaction.atomic(using=router.db_for_write(WebhookEvent), savepoint=False):
        for article_id in sorted(set(ids)):
            last = told.get(article_id)
            held = last is not None and last.type in HELD_BY_PARTNERS
            if article_id in visible:
                if held and not republished:
                    continue
                kind = ARTICLE_UPDATED if held else ARTICLE_PUBLISHED
                data = article_data(visible[article_id], visibility=visibility)
            elif held:
                kind = ARTICLE_UNPUBLISHED
                data = {
                    "id": article_id,
                    "slug": last.data.get("slug", ""),
                    "unpublished_at": timestamp(now),
                }
            else:
                continue
            events.append(event_create(kind, data=data, article_id=article_id, now=now))
        came_or_went = [e.article_id for e in events if e.type != ARTICLE_UPDATED]
        if came_or_went:
            # The members partners see changed in these articles' series.
            series_events_record(
                series_ids=SeriesMember.objects.filter(article_id__in=came_or_went)
                .values_list("series_id", flat=True)
                .distinct()
            )
    return events


def article_deletion_record(*, article_id: int) -> WebhookEvent | None:
    """Record that an article is deleted, if partners were ever told of it."""
    last = last_article_events([article_id]).get(article_id)
    if last is None or last.type == ARTICLE_DELETED:
        return None
    now = timezone.now()
    data = {"id": article_id, "slug": last.data.get("slug", ""), "deleted_at": timestamp(now)}
    with transaction.atomic(using=router.db_for_write(WebhookEvent), savepoint=False):
        return event_create(ARTICLE_DELETED, data=data, article_id=article_id, now=now)


def series_events_record(*, series_ids: Iterable[int]) -> list[WebhookEvent]:
    """Record a `series.updated` for each series whose partner view changed; returns them.

    A series changed several times in one transaction (a reorder saves every member, then the
    series is published) gets one event, its data rewritten to the latest state.
    """
    ids = sorted(set(series_ids))
    if not ids:
        return []
    now = timezone.now()
    visibility = partner_visibility(now=now)
    series_by_id = Series.objects.in_bulk(ids)
    published = set(visible_series(visibility).filter(pk__in=ids).values_list("pk", flat=True))
    told = _last_series_events(ids)
    events = []
    alias = router.db_for_write(WebhookEvent)
    with transaction.atomic(using=alias, savepoint=False):
        pending = _transaction_events(alias)
        for series_id in ids:
            series = series_by_id.get(series_id)
            last = told.get(series_id)
            if series is None:
                # Deleted: partners who saw it published see it go.
                if last is None or not last.data.get("published"):
                    continue
                data = {**last.data, "published": False, "articles": []}
            else:
                data = series_data(series, visibility=visibility, published=series_id in published)
            key = ("series", series_id)
            open_event = pending.get(key)
            # Already recorded in this transaction: rewritten. (If the savepoint that wrote it
            # was rolled back, the update finds nothing and it is recorded anew.)
            if open_event is not None and (
                WebhookEvent.objects.filter(
                    pk=open_event, series_id=series_id, type=SERIES_UPDATED
                ).update(data=data)
            ):
                continue
            if last is not None and last.data == data:
                continue
            if last is None and not data["published"]:
                continue  # a series partners never saw
            event = event_create(SERIES_UPDATED, data=data, series_id=series_id, now=now)
            pending[key] = event.pk
            events.append(event)
    return events


# The outbox and the fan-out


def event_create(
    kind: str,
    *,
    data: dict,
    now: datetime,
    article_id: int | None = None,
    series_id: int | None = None,
    endpoints: list[WebhookEndpoint] | None = None,
) -> WebhookEvent:
    from api.webhooks.delivery import deliveries_enqueue

    event = WebhookEvent.objects.create(
        type=kind, created_at=now, article_id=article_id, series_id=series_id, data=data
    )
    deliveries = [
        WebhookDelivery.objects.create(event=event, endpoint=endpoint, next_attempt_at=now)
        for endpoint in (subscribed_endpoints(kind) if endpoints is None else endpoints)
    ]
    deliveries_enqueue([delivery.pk for delivery in deliveries])
    return event


def subscribed_endpoints(kind: str) -> list[WebhookEndpoint]:
    """Active endpoints of active partners subscribed to events of type `kind`.

    Inactive ones get no delivery at all: an event is not held back for them.
    """
    endpoints = WebhookEndpoint.objects.filter(is_active=True, partner__is_active=True)
    # Filtered here rather than with a JSON `contains` lookup, which SQLite lacks; a handful
    # of endpoints per site.
    return [e for e in endpoints.order_by("pk") if kind in (e.event_types or [])]


def last_article_events(article_ids: list[int]) -> dict[int, WebhookEvent]:
    latest = (
        WebhookEvent.objects.filter(article_id=OuterRef("article_id"), type__in=ARTICLE_EVENT_TYPES)
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    rows = WebhookEvent.objects.filter(
        article_id__in=article_ids, type__in=ARTICLE_EVENT_TYPES, pk=Subquery(latest)
    ).only("pk", "type", "article_id", "data")
    return {event.article_id: event for event in rows}


def _last_series_events(series_ids: list[int]) -> dict[int, WebhookEvent]:
    latest = (
        WebhookEvent.objects.filter(series_id=OuterRef("series_id"), type=SERIES_UPDATED)
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    rows = WebhookEvent.objects.filter(
        series_id__in=series_ids, type=SERIES_UPDATED, pk=Subquery(latest)
    ).only("pk", "type", "series_id", "data")
    return {event.series_id: event for event in rows}


class _TransactionEvents:
    """The events recorded so far in the current transaction, by what they are about.

    Registered as a no-op `on_commit` callback, and held by nothing else: `_open_records`
    keeps only a weak reference to it. Django drops the callback when the transaction commits
    (after calling it), when it rolls back, and when the savepoint it was registered in rolls
    back, all documented behaviour of `on_commit`; with the callback goes the last reference,
    so the weak reference dies exactly when the events it names stop being this transaction's
    own, and the next call starts a new record. Outside a transaction the callback runs at once
    and nothing is kept. Only public APIs (`on_commit`, `weakref`) are involved; `done` covers
    an interpreter that frees objects later than CPython does, and a stale record after a
    rollback costs nothing but an update that finds no row.
    """

    def __init__(self):
        self.events: dict[tuple[str, int], object] = {}
        self.done = False

    def __call__(self):
        self.done = True


# Per connection (one per thread), the record of its current transaction, weakly.
_open_records: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _transaction_events(alias: str) -> dict:
    connection = transaction.get_connection(alias)
    reference = _open_records.get(connection)
    record = reference() if reference is not None else None
    if record is None or record.done:
        record = _TransactionEvents()
        transaction.on_commit(record, using=alias)
        _open_records[connection] = weakref.ref(record)
    return record.events
