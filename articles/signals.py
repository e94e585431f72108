"""Receivers for editorial events: a new journal gets the groups' permissions and the workflow."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from articles.editorial import editorial_setup_ensure
from articles.models import ArticleIndexPage


@receiver(post_save, sender=ArticleIndexPage, dispatch_uid="journal_editorial_setup")
def journal_created(sender, instance, created, raw=False, **kwargs):
    # Every journal is reviewed the same way, whoever creates it and however (admin or code).
    if created and not raw:
        editorial_setup_ensure(journals=[instance])
