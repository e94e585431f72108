"""Receivers that log article changes for delta sync, in the transaction of the editorial change.

Each receiver names the articles whose summary or visibility the event can alter; sync
re-checks their visibility when it reads the log, so over-reporting is harmless and
under-reporting is the only bug. Publishing, unpublishing, scheduled go-live and expiry (sent
by `publish_scheduled` when it runs) arrive as Wagtail's page signals; a retraction as the
domain's `article_retracted`. Wagtail sends
`page_published`, `page_unpublished` and `post_page_move` after its own writes and, unless the
caller holds a transaction, outside one: the row is then written in a transaction of its own.
"""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.signals import page_published, page_unpublished, post_page_move

from api.delivery.change_log import article_changes_record, article_deletion_record
from api.delivery.sync_retention import sync_log_prune
from api.models import ArticleChange
from articles.events import (
    article_corrected,
    article_retracted,
    bulk_articles_created,
    bulk_articles_deleting,
    page_restriction_changed,
    scheduler_round_due,
)
from articles.models import (
    ArticleAuthor,
    ArticlePage,
    ArticleTag,
    Author,
    Topic,
)

# Saves of bookkeeping fields only (the newest draft revision, an image's file hash or size)
# change nothing a client sees.
_BOOKKEEPING = frozenset({"latest_revision", "file_hash", "file_size"})


def _bookkeeping_only(update_fields) -> bool:
    return update_fields is not None and set(update_fields) <= _BOOKKEEPING


def _articles_under(path: str) -> None:
    """Log the page at `path`, if an article, every article below it, and their series."""
    article_changes_record(
        article_ids=ArticlePage.objects.filter(path__startswith=path).values("pk"),
        with_series_members=True,
    )


# Articles


@receiver(page_published, sender=ArticlePage, dispatch_uid="api-sync-article-published")
@receiver(page_unpublished, sender=ArticlePage, dispatch_uid="api-sync-article-unpublished")
def article_published_or_unpublished(sender, instance, **kwargs):
    # Visibility may change, and with it the positions of the other members of its series.
    article_changes_record(article_ids=[instance.pk], with_series_members=True)


@receiver(article_corrected, dispatch_uid="api-sync-article-corrected")
def article_correction(sender, article_id, **kwargs):
    # A correction is part of what the article says: clients refetch it.
    article_changes_record(article_ids=[article_id])


@receiver(article_retracted, dispatch_uid="api-sync-article-retracted")
def article_retracted_logged(sender, article, **kwargs):
    # No longer visible, so sync names it in `deleted` to every client that may hold it; the
    # other members of its series move up a place.
    article_changes_record(
        article_ids=[article.pk], kind=ArticleChange.Kind.DELETED, with_series_members=True
    )


@receiver(post_delete, sender=ArticlePage, dispatch_uid="api-sync-article-deleted")
def article_deleted(sender, instance, **kwargs):
    article_deletion_record(article_id=instance.pk, slug=instance.slug)


@receiver(post_page_move, dispatch_uid="api-sync-page-moved")
def page_moved(sender, instance, **kwargs):
    # A move can take articles off a site (or onto one); visibility is re-checked on read.
    _articles_under(instance.path)  # fresh from the database after the move


# Privacy


@receiver(page_restriction_changed, dispatch_uid="api-sync-restriction-changed")
def restriction_changed(sender, path, **kwargs):
    _articles_under(path)


# Bylines, topics, tags and hero images, as shown in summaries


@receiver(post_save, sender=Author, dispatch_uid="api-sync-author-saved")
def author_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if not (created or raw or _bookkeeping_only(update_fields)):
        article_changes_record(
            article_ids=ArticleAuthor.objects.filter(author=instance).values("article_id")
        )


@receiver(post_save, sender=Topic, dispatch_uid="api-sync-topic-saved")
def topic_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if not (created or raw or _bookkeeping_only(update_fields)):
        article_changes_record(article_ids=instance.articles.values("pk"))


@receiver(pre_delete, sender=Topic, dispatch_uid="api-sync-topic-deleted")
def topic_deleted(sender, instance, **kwargs):
    # Before the delete, while its articles can still be found (inside its transaction).
    article_changes_record(article_ids=instance.articles.values("pk"))


@receiver(post_save, sender=Tag, dispatch_uid="api-sync-tag-saved")
@receiver(pre_delete, sender=Tag, dispatch_uid="api-sync-tag-deleted")
def tag_changed(sender, instance, created=False, raw=False, **kwargs):
    if not (created or raw):
        article_changes_record(
            article_ids=ArticleTag.objects.filter(tag=instance).values("content_object_id")
        )


@receiver(post_save, sender=get_image_model(), dispatch_uid="api-sync-image-saved")
@receiver(pre_delete, sender=get_image_model(), dispatch_uid="api-sync-image-deleted")
def hero_image_changed(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if not (created or raw or _bookkeeping_only(update_fields)):
        article_changes_record(
            article_ids=ArticlePage.objects.filter(hero_image=instance).values("pk")
        )


# Bulk writes (articles/bulk/seed.py) send no model signals: the domain announces them.


@receiver(bulk_articles_created, dispatch_uid="api-sync-bulk-created")
def bulk_created(sender, article_ids, **kwargs):
    article_changes_record(article_ids=article_ids)


@receiver(bulk_articles_deleting, dispatch_uid="api-sync-bulk-deleting")
def bulk_deleting(sender, article_ids, **kwargs):
    article_changes_record(article_ids=article_ids, kind=ArticleChange.Kind.DELETED)


@receiver(scheduler_round_due, dispatch_uid="api-sync-scheduler-round")
def scheduler_round(sender, **kwargs):
    # Changes past the retention, in bounded batches (editorial writes wait on each).
    sync_log_prune()
