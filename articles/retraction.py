"""Retracting an article: who may, what is recorded, and the event the delivery side acts on.

A retraction is recorded beside the page (`ArticleRetraction`), never on it, so publishing an
older draft cannot undo it. The article stays at its URL with a notice and the reason; the
visibility rule (articles/selectors) drops it from every list, feed, series and sync page, and
`article_retracted` (articles/events.py) tells the delivery side to invalidate caches, log the
removal for sync, purge the CDN and tell partners to take it down. The admin action
(articles/admin/retraction.py) and `manage.py retract` both come here.
"""

from django.db import transaction

from articles.editorial import EDITORS
from articles.events import article_retracted
from articles.models import ArticlePage, ArticleRetraction

MAX_REASON_LENGTH = ArticleRetraction._meta.get_field("reason").max_length


class RetractionRefused(Exception):
    """The retraction was not recorded; the message says why, for the editor to read."""


class NotAnEditor(RetractionRefused):
    """The user may not retract: only Editors (and superusers) may."""


def may_retract(user) -> bool:
    """Editors and superusers retract; Writers and Medical reviewers never do."""
    if user is None or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=EDITORS).exists()


def retraction_of(article: ArticlePage) -> ArticleRetraction | None:
    return (
        ArticleRetraction.objects.filter(article_id=article.pk)
        .select_related("retracted_by")
        .first()
    )


def article_retract(article: ArticlePage, *, reason: str, user) -> ArticleRetraction:
    """Retract a published article for `reason`, as `user`; returns the recorded retraction.

    Raises NotAnEditor unless `user` may retract, and RetractionRefused for an empty or overlong
    reason, an article never published or not live, or one already retracted. Records it and
    sends `article_retracted` in one transaction: the delivery side's rows (sync log, webhook
    outbox, purges) commit with it or not at all.
    """
    if not may_retract(user):
        raise NotAnEditor(
            f"{getattr(user, 'username', user)} may not retract articles: "
            f"only {EDITORS} (and administrators) can."
        )
    reason = (reason or "").strip()
    if not reason:
        raise RetractionRefused("Give the reason for the retraction: readers will see it.")
    if len(reason) > MAX_REASON_LENGTH:
        raise RetractionRefused(f"The reason must be at most {MAX_REASON_LENGTH} characters.")
    with transaction.atomic():
        # Locked so that two editors retracting at once record one retraction, not an error.
        page = ArticlePage.objects.select_for_update().filter(pk=article.pk).first()
        if page is None:
            raise RetractionRefused("This article no longer exists.")
        if not page.live or page.first_published_at is None:
            raise RetractionRefused(
                f"“{page.title}” is not published: only a published article can be retracted."
            )
        if ArticleRetraction.objects.filter(article_id=page.pk).exists():
            raise RetractionRefused(f"“{page.title}” is already retracted.")
        retraction = ArticleRetraction.objects.create(
            article=page, reason=reason, retracted_by=user
        )
        article_retracted.send(sender=ArticlePage, article=page, retraction=retraction)
    return retraction
