"""The edge's purge queue, and which articles the edge was last told were visible."""

from django.db import models
from django.utils import timezone


class EdgePurge(models.Model):
    """Surrogate keys one CDN target must drop, written once the editorial change committed.

    One row per target (a Varnish node, Fastly or Cloudflare) per change, so a node that is
    down is retried alone. The worker sends every due row of a target in one request (more
    only past the target's per-request limits) and retries failures with backoff until they
    succeed: a purge is never dropped.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Done"

    target = models.CharField(max_length=300)
    keys = models.JSONField()
    cause = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempt_count = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # Held by the worker sending the row, so two workers never both schedule its retry.
    locked_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "edge purge"
        indexes = [
            models.Index(fields=["status", "target", "next_attempt_at"], name="edge_purge_due"),
        ]

    def __str__(self):
        return f"{self.target}: {len(self.keys)} keys ({self.status})"


class EdgeVisibleArticle(models.Model):
    """An article the edge was last told anonymous clients can see.

    Compared with the visibility rule after each change: an article that appears or disappears
    moves its series' positions and its neighbours' navigation, which a plain edit does not.
    """

    article_id = models.BigIntegerField(primary_key=True)

    class Meta:
        verbose_name = "article visible at the edge"

    def __str__(self):
        return f"article {self.article_id}"


class EdgeVisibilitySnapshot(models.Model):
    """That `EdgeVisibleArticle` holds every visible article: taken, and kept since.

    Absent on a database whose content was published while no CDN was configured (or was
    written by a bulk import, which sends no signals): the next planned change then treats the
    articles it touched as both appearing and disappearing and takes the snapshot afresh.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "edge visibility snapshot"

    def __str__(self):
        return f"taken {self.taken_at:%Y-%m-%d %H:%M:%S}"
