"""Topics: the editor-curated subjects an article is filed under."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import RevisionMixin
from wagtail.search import index


class Topic(RevisionMixin, index.Indexed, models.Model):
    """A subject area such as Mental health or Regenerative medicine."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True, max_length=1000)
    updated_at = models.DateTimeField(auto_now=True)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="topic")

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def revisions(self):
        return self._revisions
