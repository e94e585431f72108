"""The outbox's events of health content: substantive corrections, and retractions (takedowns).

Decided like every other event (api/webhooks/events.py): only for articles partners see or were
told of, written in the transaction of the change with their deliveries.
"""

from datetime import timedelta

from django.db import router, transaction
from django.utils import timezone

from api.content.addresses import article_api_url, page_url
from api.content.serializers import correction_shape, timestamp
from api.models import WebhookEvent
from api.webhooks.events import (
    ARTICLE_CORRECTED,
    ARTICLE_DELETED,
    ARTICLE_RETRACTED,
    ARTICLE_UNPUBLISHED,
    HELD_BY_PARTNERS,
    article_data,
    event_create,
    last_article_events,
    partner_visibility,
    series_events_record,
    subscribed_endpoints,
)
from articles.models import ArticlePage, SeriesMember
from articles.selectors import Correction, visible_articles


def article_correction_record(*, correction) -> WebhookEvent | None:
    """Record `article.corrected` for a substantive correction, if partners see the article."""
    if correction.kind != correction.SUBSTANTIVE:
        return None
    now = timezone.now()
    visibility = partner_visibility(now=now)
    article = (
        visible_articles(visibility).filter(pk=correction.article_id).defer_streamfields().first()
    )
    if article is None:
        return None
    shown = Correction(
        correction.at, correction.kind, correction.what_was_wrong, correction.what_changed
    )
    data = {**article_data(article, visibility=visibility), "correction": correction_shape(shown)}
    with transaction.atomic(using=router.db_for_write(WebhookEvent), savepoint=False):
        return event_create(ARTICLE_CORRECTED, data=data, article_id=article.pk, now=now)


def article_retraction_record(*, article: ArticlePage, retraction) -> list[WebhookEvent]:
    """Record that partners must take a retracted article down, if they were ever told of it."""
    last = last_article_events([article.pk]).get(article.pk)
    if last is None or last.type in (ARTICLE_DELETED, ARTICLE_RETRACTED):
        return []
    now = timezone.now()
    visibility = partner_visibility(now=now)
    url = page_url(article.url_path, site_root_path=visibility.site_url_path)
    data = {
        "id": article.pk,
        "slug": article.slug,
        "title": article.title,
        "url": url,
        "api_url": article_api_url(article.slug),
        "retracted_at": timestamp(retraction.at),
        "reason": retraction.reason,
        "takedown_required": True,
    }
    retracted = subscribed_endpoints(ARTICLE_RETRACTED)
    # Endpoints that would have been told of an unpublish but do not know this event.
    unaware = [
        e
        for e in subscribed_endpoints(ARTICLE_UNPUBLISHED)
        if ARTICLE_RETRACTED not in e.event_types
    ]
    alias = router.db_for_write(WebhookEvent)
    with transaction.atomic(using=alias, savepoint=False):
        events = []
        if last.type in HELD_BY_PARTNERS and unaware:
            unpublished = {
                "id": article.pk,
                "slug": article.slug,
                "unpublished_at": data["retracted_at"],
            }
            # A moment before the retraction's own event, so that the retraction is what
            # partners were last told (events of one moment would order by their random ids).
            events.append(
                event_create(
                    ARTICLE_UNPUBLISHED,
                    data=unpublished,
                    article_id=article.pk,
                    now=now - timedelta(microseconds=1),
                    endpoints=unaware,
                )
            )
        events.append(
            event_create(
                ARTICLE_RETRACTED, data=data, article_id=article.pk, now=now, endpoints=retracted
            )
        )
        if last.type in HELD_BY_PARTNERS:
            # The members partners see changed in its series.
            series_events_record(
                series_ids=SeriesMember.objects.filter(article_id=article.pk)
                .values_list("series_id", flat=True)
                .distinct()
            )
    return events
