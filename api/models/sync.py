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
    # Who could see the article once the change was made: sync reports a deletion only to
    # clients who could ever have held the article, so a never-public draft's slug (or a
    # never-syndicated article's, for partners) is never disclosed by a `deleted` entry.
    public = models.BooleanField(default=True)
    syndicated = models.BooleanField(default=True)

    class Meta:
        verbose_name = "article change"

    def __str__(self):
        return f"#{self.pk} {self.kind} article {self.article_id} ({self.slug})"
