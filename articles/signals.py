"""Receivers for editorial events: a new journal gets the groups' permissions and the workflow;
a view restriction's change is announced once, with the path it covers (articles/events.py); a
site's review policy rewrites its articles' review dates; the scheduler's round sends review
reminders; an imported article's old addresses redirect to it once it is published."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published

from articles.cadence import ReviewPolicy, site_review_dates_recompute
from articles.editorial import editorial_setup_ensure
from articles.events import page_restriction_changed, scheduler_round_due
from articles.importing.redirects import redirects_ensure
from articles.models import ArticleIndexPage, ArticlePage, HealthContentSettings, ImportedItem
from articles.reminders import reminders_enqueue


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


def _policy_of(settings) -> ReviewPolicy:
    return ReviewPolicy(settings.review_interval_months, settings.due_soon_days)


@receiver(pre_save, sender=HealthContentSettings, dispatch_uid="articles-review-policy-saving")
def review_policy_saving(sender, instance, raw=False, **kwargs):
    # What the site's articles were computed with: the model's defaults until a row exists.
    before = HealthContentSettings.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance._folio_policy_before = _policy_of(before) if before else ReviewPolicy()


@receiver(post_save, sender=HealthContentSettings, dispatch_uid="articles-review-policy-saved")
def review_policy_saved(sender, instance, raw=False, **kwargs):
    # The default interval or the due-soon window changed: every article of the site that
    # follows them gets its dates again (only those whose dates move are written). A save that
    # leaves both alone (the reading grade target, the row's creation on first read) scans none.
    before = getattr(instance, "_folio_policy_before", None)
    if raw or before == _policy_of(instance) or not instance.site_id:
        return
    site_review_dates_recompute(instance.site)


@receiver(scheduler_round_due, dispatch_uid="articles-review-reminders")
def scheduler_round(sender, **kwargs):
    reminders_enqueue()


@receiver(page_published, sender=ArticlePage, dispatch_uid="articles-imported-redirects")
def imported_article_published(sender, instance, **kwargs):
    # The old site's addresses answer only once there is a live article to send readers to.
    item = (
        ImportedItem.objects.filter(kind=ImportedItem.POST, page_id=instance.pk)
        .exclude(old_paths=[])
        .first()
    )
    if item is not None:
        parts = instance.get_url_parts()
        redirects_ensure(item=item, site=instance.get_site(), own_path=parts[2] if parts else "")
