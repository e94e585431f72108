"""Receivers that write webhook events to the outbox, in the transaction of the editorial change.

The same signals as the sync change log (api/delivery/sync_receivers.py, whose docstring explains
when Wagtail sends them inside a transaction): publishing, unpublishing, deletion, moves and view
restrictions for articles, their recorded corrections and the domain's `article_retracted`;
publishing, saves and member changes for series. Each receiver only names what may have changed;
api/webhooks/events.py decides whether partners are told. The scheduler's round sweeps the outbox
for deliveries whose task was lost.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move, published, unpublished

from api.webhooks.delivery import webhook_sweep
from api.webhooks.events import (
    article_deletion_record,
    article_events_record,
    series_events_record,
)
from api.webhooks.health_events import article_correction_record, article_retraction_record
from articles.events import (
    article_corrected,
    article_retracted,
    page_restriction_changed,
    scheduler_round_due,
)
from articles.models import ArticlePage, Series, SeriesMember

# Saves that only touch revision bookkeeping change nothing partners see.
_BOOKKEEPING = frozenset({"latest_revision", "has_unpublished_changes", "live_revision"})


def _articles_under(path: str) -> list[int]:
    return list(ArticlePage.objects.filter(path__startswith=path).values_list("pk", flat=True))


@receiver(page_published, sender=ArticlePage, dispatch_uid="api-webhooks-article-published")
def article_published(sender, instance, **kwargs):
    article_events_record(article_ids=[instance.pk], republished=True)


@receiver(page_unpublished, sender=ArticlePage, dispatch_uid="api-webhooks-article-unpublished")
def article_unpublished(sender, instance, **kwargs):
    article_events_record(article_ids=[instance.pk])


@receiver(article_retracted, dispatch_uid="api-webhooks-article-retracted")
def article_retracted_told(sender, article, retraction, **kwargs):
    article_retraction_record(article=article, retraction=retraction)


@receiver(post_delete, sender=ArticlePage, dispatch_uid="api-webhooks-article-deleted")
def article_deleted(sender, instance, **kwargs):
    article_deletion_record(article_id=instance.pk)


@receiver(post_page_move, dispatch_uid="api-webhooks-page-moved")
def page_moved(sender, instance, **kwargs):
    # A move changes URLs, and may take articles off the site or onto it.
    article_events_record(article_ids=_articles_under(instance.path), republished=True)


@receiver(page_restriction_changed, dispatch_uid="api-webhooks-restriction-changed")
def restriction_changed(sender, path, **kwargs):
    article_events_record(article_ids=_articles_under(path))


@receiver(published, sender=Series, dispatch_uid="api-webhooks-series-published")
@receiver(unpublished, sender=Series, dispatch_uid="api-webhooks-series-unpublished")
@receiver(post_delete, sender=Series, dispatch_uid="api-webhooks-series-deleted")
def series_changed(sender, instance, **kwargs):
    series_events_record(series_ids=[instance.pk])


@receiver(post_save, sender=Series, dispatch_uid="api-webhooks-series-saved")
def series_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and set(update_fields) <= _BOOKKEEPING):
        return
    series_events_record(series_ids=[instance.pk])


@receiver(post_save, sender=SeriesMember, dispatch_uid="api-webhooks-series-member-saved")
@receiver(post_delete, sender=SeriesMember, dispatch_uid="api-webhooks-series-member-deleted")
def series_member_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        series_events_record(series_ids=[instance.series_id])


@receiver(article_corrected, dispatch_uid="api-webhooks-article-corrected")
def article_correction(sender, correction, **kwargs):
    # Only substantive corrections reach partners; events.py decides.
    article_correction_record(correction=correction)


@receiver(scheduler_round_due, dispatch_uid="api-webhooks-scheduler-round")
def scheduler_round(sender, **kwargs):
    # Deliveries whose task was lost, or whose retry is due. Safe beside other schedulers:
    # each delivery is taken by a conditional UPDATE.
    webhook_sweep()
