"""An export imported in one transaction: posts as draft articles, chains as series, redirects.

The file is read twice as a stream: once whole, to know every post, attachment and author and
to refuse a bad file before anything is written; then post by post, to write them. All of it
happens in one transaction (a dry run rolls it back), and the image files written are deleted
again if it fails, so a failed or dry run leaves nothing behind.
"""

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction
from wagtail.images import get_image_model

from articles.importing.addresses import OldSite
from articles.importing.media import MediaSource
from articles.importing.objects import ImportedObjects
from articles.importing.posts import PostWriter
from articles.importing.report import ImportReport
from articles.importing.series import chains_apply
from articles.importing.wxr import export_scan, read_export
from articles.models import ArticleIndexPage

# Statuses that are not posts anyone wrote: never imported.
SKIPPED_STATUSES = {"trash", "auto-draft", "inherit"}

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportOptions:
    dry_run: bool = False
    publish: bool = False
    overwrite: bool = False
    media_dir: Path | None = None
    fetch_media: bool = False
    post_types: tuple[str, ...] = ("post",)
    journal_id: int | None = None
    user: object = None


class ImportFailed(Exception):
    """The import stopped and was rolled back; nothing it wrote remains."""


def journal_for(journal_id: int | None) -> ArticleIndexPage:
    journals = ArticleIndexPage.objects.order_by("path")
    journal = journals.filter(pk=journal_id).first() if journal_id else journals.first()
    if journal is None:
        raise ImportFailed("There is no journal to import into: create one first.")
    return journal


def wxr_import(
    path: Path, *, options: ImportOptions, progress: Progress | None = None
) -> ImportReport:
    """Import the export at `path`; ExportRefused (bad file) or ImportFailed, else the report."""
    channel, stubs = export_scan(path)
    journal = journal_for(options.journal_id)
    report = ImportReport(source=channel.source, site_title=channel.title, dry_run=options.dry_run)
    wanted = [
        stub
        for stub in stubs
        if stub.post_type in options.post_types and stub.status not in SKIPPED_STATUSES
    ]
    for stub in stubs:
        if stub.post_type == "attachment":
            continue
        if stub.post_type not in options.post_types:
            report.skipped_items[f"{stub.post_type} items"] += 1
        elif stub.status in SKIPPED_STATUSES:
            report.skipped_items[f"{stub.status} posts"] += 1
    media = MediaSource(media_dir=options.media_dir, fetch=options.fetch_media)
    objects = ImportedObjects(
        source=channel.source,
        channel=channel,
        media=media,
        user=options.user,
        dry_run=options.dry_run,
    )
    for stub in stubs:
        if stub.post_type == "attachment":
            objects.attachment_add(stub)
    old_site = OldSite(channel.base_site_url or channel.link, wanted)
    writer = PostWriter(
        journal=journal, objects=objects, old_site=old_site, options=options, report=report,
        stubs={stub.post_id: stub for stub in wanted},
    )  # fmt: skip
    wanted_ids = {stub.post_id for stub in wanted}
    del stubs, wanted
    try:
        with transaction.atomic():
            done = 0
            for item in read_export(path):
                if item.post_id not in wanted_ids:
                    continue
                writer.post_write(item)
                done += 1
                if progress is not None:
                    progress(done, len(wanted_ids))
            chains_apply(writer=writer, report=report)
            writer.publish_and_redirect()
            if options.dry_run:
                transaction.set_rollback(True)
    except Exception as error:
        _files_discard(objects.created_files)
        if isinstance(error, ImportFailed):
            raise
        raise ImportFailed(
            f"The import stopped at an error and was rolled back: {error.__class__.__name__}: "
            f"{error}"
        ) from error
    if options.dry_run:
        _files_discard(objects.created_files)
    return report


def _files_discard(names: list[str]) -> None:
    """Delete image files a rolled-back import wrote (the rows went with the transaction)."""
    storage = get_image_model()._meta.get_field("file").storage or default_storage
    for name in names:
        with contextlib.suppress(OSError):
            storage.delete(name)


__all__ = ["ImportFailed", "ImportOptions", "wxr_import"]
