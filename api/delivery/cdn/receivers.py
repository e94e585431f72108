"""Receivers that note, in the editorial transaction, what each change alters at the edge.

Every editorial change that alters public output notes its keys or its articles with
`purge_later` (planned and queued once the transaction commits, api/delivery/cdn/planner.py):
publishing, unpublishing, scheduled go-live and expiry (Wagtail's page signals, sent by
`publish_scheduled` too), retractions, deletes, moves, view restrictions, series publication,
membership and order, authors, topics, tags, images, documents and sites. Drafts alter nothing
public: a save of a page that is not live, or of bookkeeping fields only, notes nothing.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction, Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move, published, unpublished

from api.delivery.cdn import keys
from api.delivery.cdn.planner import PLAN_LIMIT, purge_later, snapshot_drop
from api.delivery.cdn.purges import edge_purge_sweep
from articles.events import (
    article_corrected,
    article_retracted,
    bulk_articles_written,
    page_restriction_changed,
    scheduler_round_due,
)
from articles.models import ArticlePage, ArticleTag, Author, Series, SeriesMember, Topic

# Saves that change nothing a client sees: a new draft revision, a lock, an image's file hash.
_BOOKKEEPING = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "wagtail_admin_comments",
        "locked",
        "locked_at",
        "locked_by",
        "file_hash",
        "file_size",
    }
)


def _bookkeeping_only(update_fields) -> bool:
    return update_fields is not None and set(update_fields) <= _BOOKKEEPING


def _pages_under(path: str, *, cause: str) -> None:
    """Every page at or below `path`: their URLs or their visibility changed."""
    pages = list(
        Page.objects.filter(path__startswith=path).values_list("pk", flat=True)[: PLAN_LIMIT + 1]
    )
    if len(pages) > PLAN_LIMIT:
        purge_later(keys_altered=[keys.EVERYTHING], cause=cause)
        return
    articles = ArticlePage.objects.filter(pk__in=pages).values_list("pk", flat=True)
    purge_later(keys_altered=[keys.page(pk) for pk in pages], article_ids=articles, cause=cause)


# Pages


@receiver(page_published, dispatch_uid="api-cdn-page-published")
@receiver(page_unpublished, dispatch_uid="api-cdn-page-unpublished")
def page_published_or_unpublished(sender, instance, **kwargs):
    if isinstance(instance, ArticlePage):
        purge_later(article_ids=[instance.pk], cause=f"article {instance.pk} ({instance.slug})")
    else:
        # A page an article body links to: its URL or its visibility.
        purge_later(keys_altered=[keys.page(instance.pk)], cause=f"page {instance.pk}")


@receiver(article_retracted, dispatch_uid="api-cdn-article-retracted")
def article_retracted_purged(sender, article, **kwargs):
    # As for an unpublish: the planner sees it disappear, and adds its series and their list.
    purge_later(article_ids=[article.pk], cause=f"article {article.pk} ({article.slug}) retracted")


@receiver(post_save, sender=ArticlePage, dispatch_uid="api-cdn-article-saved")
def article_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    # A live article saved outside the publishing flow (a script, a bulk fix) is public at once.
    if not (raw or created or _bookkeeping_only(update_fields)) and instance.live:
        purge_later(article_ids=[instance.pk], cause=f"article {instance.pk} saved")


@receiver(article_corrected, dispatch_uid="api-cdn-article-corrected")
def article_correction(sender, article_id, **kwargs):
    # The detail and the feeds show the corrections.
    purge_later(article_ids=[article_id], cause=f"article {article_id} corrected")


@receiver(post_delete, sender=ArticlePage, dispatch_uid="api-cdn-article-deleted")
def article_deleted(sender, instance, **kwargs):
    purge_later(article_ids=[instance.pk], cause=f"article {instance.pk} deleted")


@receiver(post_page_move, dispatch_uid="api-cdn-page-moved")
def page_moved(sender, instance, **kwargs):
    _pages_under(instance.path, cause=f"page {instance.pk} moved")


@receiver(page_restriction_changed, dispatch_uid="api-cdn-restriction-changed")
def restriction_changed(sender, path, page_id, **kwargs):
    _pages_under(path, cause=f"view restriction on page {page_id}")


# Series: their own responses, and each member's placement (position, total, navigation).


def _series_changed(series_id: int, *, cause: str) -> None:
    members = SeriesMember.objects.filter(series_id=series_id).values_list("article_id", flat=True)
    purge_later(
        keys_altered=[
            keys.series(series_id),
            keys.SERIES_COLLECTION,
            keys.ARTICLE_COLLECTIONS,
            *(keys.article(pk) for pk in members),
        ],
        cause=cause,
    )


@receiver(published, sender=Series, dispatch_uid="api-cdn-series-published")
@receiver(unpublished, sender=Series, dispatch_uid="api-cdn-series-unpublished")
def series_published_or_unpublished(sender, instance, **kwargs):
    _series_changed(instance.pk, cause=f"series {instance.pk} ({instance.slug})")


@receiver(pre_delete, sender=Series, dispatch_uid="api-cdn-series-deleted")
def series_deleted(sender, instance, **kwargs):
    # Before the delete, while its members can still be found.
    _series_changed(instance.pk, cause=f"series {instance.pk} deleted")


@receiver(post_save, sender=SeriesMember, dispatch_uid="api-cdn-series-member-saved")
@receiver(post_delete, sender=SeriesMember, dispatch_uid="api-cdn-series-member-deleted")
def series_member_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    purge_later(
        keys_altered=[
            keys.series(instance.series_id),
            keys.SERIES_COLLECTION,
            keys.ARTICLE_COLLECTIONS,
            keys.article(instance.article_id),
        ],
        cause=f"series {instance.series_id} members",
    )


# Snippets and media shown inside articles: their own key reaches every response showing them.


# An author's or topic's own key, its list, and every collection: the lists' order and the
# `?author=` / `?topic=` filters follow names and slugs.
_SNIPPET_KEYS = {
    Author: (keys.author, keys.AUTHOR_COLLECTION),
    Topic: (keys.topic, keys.TOPIC_COLLECTION),
}


@receiver(post_save, sender=Author, dispatch_uid="api-cdn-author-saved")
@receiver(post_delete, sender=Author, dispatch_uid="api-cdn-author-deleted")
@receiver(post_save, sender=Topic, dispatch_uid="api-cdn-topic-saved")
@receiver(post_delete, sender=Topic, dispatch_uid="api-cdn-topic-deleted")
def author_or_topic_changed(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or _bookkeeping_only(update_fields):
        return
    own_key, collection = _SNIPPET_KEYS[sender]
    purge_later(
        keys_altered=[own_key(instance.pk), collection, keys.ARTICLE_COLLECTIONS],
        cause=f"{sender._meta.model_name} {instance.pk} ({instance.slug})",
    )


@receiver(m2m_changed, sender=ArticlePage.topics.through, dispatch_uid="api-cdn-topics-set")
def article_topics_changed(sender, instance, action, reverse, pk_set, **kwargs):
    # Topics of a live article changed outside publishing (a script or a topic's own form).
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:
        purge_later(keys_altered=[keys.topic(instance.pk), keys.ARTICLE_COLLECTIONS])
    elif instance.live:
        purge_later(article_ids=[instance.pk], cause=f"article {instance.pk} topics")


@receiver(post_save, sender=Tag, dispatch_uid="api-cdn-tag-saved")
@receiver(pre_delete, sender=Tag, dispatch_uid="api-cdn-tag-deleted")
def tag_changed(sender, instance, created=False, raw=False, **kwargs):
    # Summaries show tag names, not tag keys: the articles that carry it are what changed.
    if created or raw:
        return
    articles = ArticleTag.objects.filter(tag=instance).values_list("content_object_id", flat=True)
    purge_later(article_ids=list(articles), cause=f"tag {instance.pk}")


@receiver(post_save, sender=get_image_model(), dispatch_uid="api-cdn-image-saved")
@receiver(post_delete, sender=get_image_model(), dispatch_uid="api-cdn-image-deleted")
def image_changed(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if not (created or raw or _bookkeeping_only(update_fields)):
        purge_later(keys_altered=[keys.image(instance.pk)], cause=f"image {instance.pk}")


@receiver(post_save, sender=get_document_model(), dispatch_uid="api-cdn-document-saved")
@receiver(post_delete, sender=get_document_model(), dispatch_uid="api-cdn-document-deleted")
def document_changed(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if not (created or raw or _bookkeeping_only(update_fields)):
        purge_later(keys_altered=[keys.document(instance.pk)], cause=f"document {instance.pk}")


# What every response depends on: the site (host, root page, name) and collection privacy.


@receiver(post_save, sender=Site, dispatch_uid="api-cdn-site-saved")
@receiver(post_delete, sender=Site, dispatch_uid="api-cdn-site-deleted")
@receiver(post_save, sender=CollectionViewRestriction, dispatch_uid="api-cdn-collection-saved")
@receiver(post_delete, sender=CollectionViewRestriction, dispatch_uid="api-cdn-collection-del")
def everything_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        purge_later(keys_altered=[keys.EVERYTHING], cause=f"{sender._meta.verbose_name} changed")


@receiver(bulk_articles_written, dispatch_uid="api-cdn-bulk-written")
def bulk_written(sender, **kwargs):
    # Too many articles to purge one by one: empty the edge. Its record of what is visible
    # misses what was just written, so the next planned change starts from a new snapshot.
    purge_later(keys_altered=[keys.EVERYTHING], cause="bulk articles")
    snapshot_drop()


@receiver(scheduler_round_due, dispatch_uid="api-cdn-scheduler-round")
def scheduler_round(sender, **kwargs):
    # Purges whose task was lost or whose retry is due on a backend that cannot defer.
    edge_purge_sweep()
