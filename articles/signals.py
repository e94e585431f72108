"""Receivers for editorial events: a new journal gets the groups' permissions and the workflow;
a view restriction's change is announced once, with the path it covers (articles/events.py)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction

from articles.editorial import editorial_setup_ensure
from articles.events import page_restriction_changed
from articles.models import ArticleIndexPage


@receiver(post_save, sender=ArticleIndexPage, dispatch_uid="journal_editorial_setup")
def journal_created(sender, instance, created, raw=False, **kwargs):
    # Every journal is reviewed the same way, whoever creates it and however (admin or code).
    if created and not raw:
        editorial_setup_ensure(journals=[instance])


@receiver(post_save, sender=PageViewRestriction, dispatch_uid="articles-restriction-saved")
@receiver(post_delete, sender=PageViewRestriction, dispatch_uid="articles-restriction-deleted")
def restriction_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    # Looked up rather than taken from `instance.page`, which may predate a move.
    path = Page.objects.filter(pk=instance.page_id).values_list("path", flat=True).first()
    if path is not None:
        page_restriction_changed.send(
            sender=PageViewRestriction, path=path, page_id=instance.page_id
        )
