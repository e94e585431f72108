"""`manage.py import_wxr EXPORT.xml`: a WordPress or Squarespace export into draft articles."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.importing.importer import ImportFailed, ImportOptions, wxr_import
from articles.importing.wxr import ExportRefused


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR; Squarespace exports too) as draft articles, with its "
        "authors, categories as topics, tags, images, hand-made series and redirects from the "
        "old addresses. Running it again updates what it made and duplicates nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path, help="The export file (WXR XML).")
        parser.add_argument("--dry-run", action="store_true", help="Report only; write nothing.")
        parser.add_argument(
            "--media-dir", type=Path, help="A copy of the old site's wp-content/uploads."
        )
        parser.add_argument(
            "--fetch-media",
            action="store_true",
            help="Fetch images from the old site over HTTP (public addresses only).",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish the posts that were published on the old site (else all are drafts).",
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Also update articles edited in Folio since the last import.",
        )
        parser.add_argument(
            "--post-type",
            action="append",
            dest="post_types",
            help="Import this post type too (default: post only); e.g. --post-type page.",
        )
        parser.add_argument(
            "--journal", type=int, help="The journal's page id (default: the first)."
        )
        parser.add_argument("--as", dest="username", help="The user the revisions are saved as.")

    def handle(self, *args, export, **options):
        if not export.is_file():
            raise CommandError(f"{export} is not a file.")
        media_dir = options["media_dir"]
        if media_dir is not None and not media_dir.is_dir():
            raise CommandError(f"--media-dir {media_dir} is not a directory.")
        user = None
        if options["username"]:
            user = get_user_model().objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"There is no user “{options['username']}”.")
        types = tuple(dict.fromkeys(["post", *(options["post_types"] or [])]))
        import_options = ImportOptions(
            dry_run=options["dry_run"],
            publish=options["publish"],
            overwrite=options["overwrite"],
            media_dir=media_dir,
            fetch_media=options["fetch_media"],
            post_types=types,
            journal_id=options["journal"],
            user=user,
        )
        bar = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                bar = tqdm(total=total, unit="post", file=self.stderr._out, disable=None)
            bar.update(done - bar.n)

        try:
            report = wxr_import(export, options=import_options, progress=progress)
        except (ExportRefused, ImportFailed) as error:
            raise CommandError(str(error)) from None
        finally:
            if bar is not None:
                bar.close()
        self.stdout.write("\n".join(report.lines()))
