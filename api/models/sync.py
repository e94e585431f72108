"""The article change log that delta sync reads."""

from django.db import models
from django.utils import timezone


class ArticleChange(models.Model):
    """One editorial change to one article, written in the transaction that made the change.

    `article_id` is a plain integer, not a foreign key, so the row outlives the article: a
    deletion must still reach clients. `kind` is a hint for operators; sync decides between
    changed and deleted by checking the article's visibility when it reads the row.
    """

    class Kind(models.TextChoices):
        CHANGED = "changed"
        DELETED = "deleted"

    id = models.BigAutoField(primary_key=True)
    article_id = models.BigIntegerField()
    slug = models.CharField(max_length=255)
    kind = models.CharField(max_length=7, choices=Kind.choices, default=Kind.CHANGED)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "article change"

    def __str__(self):
        return f"#{self.pk} {self.kind} article {self.article_id} ({self.slug})"
