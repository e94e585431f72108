"""Imports from WordPress (WXR): what each run did, and what each imported object came from."""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models


def _import_storage():
    # Exports hold authors' e-mail addresses and unpublished drafts: never public media.
    return storages["imports"]


class WxrImport(models.Model):
    """One import of an uploaded export, run in the background and watched from the admin."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    STATUSES = [
        (QUEUED, "Queued"),
        (RUNNING, "Running"),
        (SUCCEEDED, "Finished"),
        (FAILED, "Failed"),
    ]

    export = models.FileField(upload_to="wxr/%Y/%m/", storage=_import_storage, blank=True)
    export_name = models.CharField("export file", max_length=255)
    dry_run = models.BooleanField(default=False)
    publish = models.BooleanField(default=False)
    overwrite = models.BooleanField(default=False)
    fetch_media = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=STATUSES, default=QUEUED, db_index=True)
    # Posts handled so far out of `total`, written as the run goes (not inside its transaction).
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "WordPress import"

    def __str__(self):
        return f"{self.export_name} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (self.SUCCEEDED, self.FAILED)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else (100 if self.finished else 0)


class ImportedItem(models.Model):
    """What an object of the export became here, so a re-import updates instead of duplicating.

    Keyed by the export's site and the item's own key there: a post's id, an author's login, a
    category's slug, an attachment's id or URL, a chain's first post.
    """

    POST = "post"
    AUTHOR = "author"
    TOPIC = "topic"
    IMAGE = "image"
    SERIES = "series"
    KINDS = [
        (POST, "Post"),
        (AUTHOR, "Author"),
        (TOPIC, "Category"),
        (IMAGE, "Image"),
        (SERIES, "Series"),
    ]

    source = models.CharField(max_length=500, help_text="The exported site's base URL.")
    kind = models.CharField(max_length=10, choices=KINDS)
    key = models.CharField(max_length=500)
    guid = models.CharField(max_length=1000, blank=True, db_index=True)
    email = models.EmailField(blank=True, db_index=True)
    page = models.ForeignKey(
        "articles.ArticlePage", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        "articles.Author", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    topic = models.ForeignKey(
        "articles.Topic", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    series = models.ForeignKey(
        "articles.Series", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # A post's revision written by the import: the page's latest revision differs once an
    # editor has saved it, and a re-import then leaves it alone unless told to overwrite.
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A digest of what the import wrote, so a re-import of an unchanged post writes nothing.
    content_hash = models.CharField(max_length=64, blank=True)
    # The post's old addresses (permalink path, `/?p=<id>`): redirected once it is published.
    old_paths = models.JSONField(default=list, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "key"], name="imported_item_once_per_source_key"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.key} of {self.source}"
