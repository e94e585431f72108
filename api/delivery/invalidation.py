"""What makes cached responses stale: a content generation bump on commit of any content change."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import post_page_move

from api.delivery.caching import content_generation_bump
from articles.events import article_retracted, bulk_articles_written


def content_changed(**kwargs) -> None:
    """Signal receiver: bump the generation once the current transaction commits."""
    transaction.on_commit(content_generation_bump)


# What counts as an editorial change: any save or delete of what the API shows.

_CONTENT_MODELS = (
    "wagtailcore.Page",
    "wagtailcore.PageViewRestriction",
    "wagtailcore.Site",
    "wagtailcore.Collection",
    "wagtailcore.CollectionViewRestriction",
    "wagtailimages.Image",
    "wagtaildocs.Document",
    "taggit.Tag",
    "articles.Author",
    "articles.Topic",
    "articles.Series",
    "articles.SeriesMember",
    "articles.ArticleAuthor",
    "articles.ArticleTag",
    "articles.ArticleReference",
    "articles.ArticleCorrection",
    "articles.HealthContentSettings",
)


def connect_invalidation() -> None:
    """Connect `content_changed` to every content model; called once from AppConfig.ready."""
    from django.apps import apps
    from wagtail.models import Page

    for label in _CONTENT_MODELS:
        model = apps.get_model(label)
        senders = [model]
        if model is Page:
            # Signals are sent with the concrete class as sender.
            senders += [m for m in apps.get_models() if issubclass(m, Page) and m is not Page]
        for sender in senders:
            uid = sender._meta.label
            post_save.connect(content_changed, sender=sender, dispatch_uid=f"api-cache-save-{uid}")
            post_delete.connect(content_changed, sender=sender, dispatch_uid=f"api-cache-del-{uid}")
    from articles.models import ArticlePage

    m2m_changed.connect(
        content_changed, sender=ArticlePage.topics.through, dispatch_uid="api-cache-topics"
    )


@receiver(post_page_move, dispatch_uid="api-cache-page-move")
def page_moved(**kwargs) -> None:
    content_changed()


@receiver(bulk_articles_written, dispatch_uid="api-cache-bulk-written")
def bulk_articles_changed(**kwargs) -> None:
    # Bulk inserts and raw deletes send no model signals: every cached response goes stale.
    transaction.on_commit(content_generation_bump)


@receiver(article_retracted, dispatch_uid="api-cache-article-retracted")
def article_retracted_changed(**kwargs) -> None:
    # Like an unpublish: every list, feed and series that showed it, and its own detail.
    content_changed()
