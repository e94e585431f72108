"""The article change log that delta sync reads, and what its retention keeps of pruned rows."""

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
        # Sync asks who could ever have held a page of articles, and pruning which of them
        # still have rows: both by article, on a log of up to a retention window of changes.
        indexes = [models.Index(fields=["article_id"], name="api_change_article_idx")]

    def __str__(self):
        return f"#{self.pk} {self.kind} article {self.article_id} ({self.slug})"


class ChangeLogHorizon(models.Model):
    """How far the change log has been pruned: one row, moved forward by pruning alone.

    Every log row above `pruned_through` is still there; a sync position below it may have
    missed a pruned change, so its token is expired (api/delivery/sync_retention.py).
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    pruned_through = models.BigIntegerField(default=0)
    pruned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "change log horizon"

    def __str__(self):
        return f"pruned through #{self.pruned_through}"


class ArticleExposure(models.Model):
    """Who could ever have held an article, as its pruned log rows said.

    Pruning folds the `public` and `syndicated` flags of the rows it deletes in here, so sync
    still names the article in `deleted` to every client that may hold it.
    """

    article_id = models.BigIntegerField(primary_key=True)
    public = models.BooleanField(default=False)
    syndicated = models.BooleanField(default=False)

    class Meta:
        verbose_name = "article exposure"

    def __str__(self):
        return f"article {self.article_id} (public {self.public}, syndicated {self.syndicated})"
