"""manage.py cdn_purge: purge surrogate keys (or everything) from every configured CDN target."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from api.delivery.cdn.keys import EVERYTHING
from api.delivery.cdn.purges import purges_queue, purges_send


class Command(BaseCommand):
    help = (
        "Queue a purge of the given surrogate keys (e.g. article-42 series-3), or of "
        "everything with --all, on every configured CDN target, and send it now unless "
        "--queue-only. After a CDN is first configured, or after it missed changes, "
        "`cdn_purge --all` empties it."
    )

    def add_arguments(self, parser):
        parser.add_argument("keys", nargs="*", help="surrogate keys to purge")
        parser.add_argument("--all", action="store_true", help="purge every Folio response")
        parser.add_argument(
            "--queue-only", action="store_true", help="leave sending to the task worker"
        )

    def handle(self, *args, keys: list[str], all: bool, queue_only: bool, **options):
        if not settings.CDN_BACKEND:
            raise CommandError("No CDN is configured (CDN_BACKEND is unset).")
        if all == bool(keys):
            raise CommandError("Give surrogate keys, or --all, not both.")
        wanted = [EVERYTHING] if all else keys
        bad = [
            key
            for key in wanted
            if not key.isascii() or not key.isprintable() or " " in key or "," in key
        ]
        if bad:
            raise CommandError(f"Not a surrogate key: {', '.join(map(repr, bad))}")
        rows = purges_queue(keys_to_purge=wanted, cause="manage.py cdn_purge")
        for row in rows:
            outcome = "queued" if queue_only else purges_send(target_name=row.target)
            self.stdout.write(f"{row.target}: {outcome}")
