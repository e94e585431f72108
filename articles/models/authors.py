"""Authors: the people in bylines and the clinicians who review articles."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import RevisionMixin
from wagtail.search import index


class Author(RevisionMixin, index.Indexed, models.Model):
    """A writer or clinician; those with credentials may act as medical reviewers."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    credentials = models.CharField(
        max_length=100,
        blank=True,
        help_text="Post-nominal credentials, e.g. MD, PsyD, RN; needed to review articles.",
    )
    role = models.CharField(max_length=200, blank=True, help_text="e.g. Senior health reporter")
    bio = models.TextField(blank=True, max_length=2000)
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The clinician's admin account: where review reminders go (articles/reminders.py).
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        verbose_name="admin account",
        help_text="A reviewer's account receives the reminders when a review falls due.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="author")

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("credentials"),
        FieldPanel("role"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        FieldPanel("user"),
    ]

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("role"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    @property
    def revisions(self):
        return self._revisions

    @property
    def can_review(self) -> bool:
        return bool(self.credentials.strip())
