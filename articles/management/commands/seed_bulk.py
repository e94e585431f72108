"""manage.py seed_bulk --articles N: N realistic published articles for benchmarks, in bulk."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from articles.bulk.seed import bulk_articles_seed


class ProgressLine:
    """A one-line progress bar on stderr: done/total, rate and time left."""

    def __init__(self, stream=None, width: int = 30):
        self.stream = stream or sys.stderr
        self.width = width
        self.started = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        elapsed = time.monotonic() - self.started
        rate = done / elapsed if elapsed > 0 else 0.0
        left = (total - done) / rate if rate else 0.0
        filled = int(self.width * done / total) if total else self.width
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(
            f"\r[{bar}] {done:,}/{total:,} articles  {rate:,.0f}/s  "
            f"{elapsed:,.0f}s elapsed, ~{left:,.0f}s left "
        )
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Publish N realistic articles (bodies, hero images, authors, topics, tags, series) "
        "under the journal, in bulk, for benchmarks. Adds only the missing ones; --reset "
        "deletes the bulk articles first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True, help="articles wanted")
        parser.add_argument(
            "--reset", action="store_true", help="delete the bulk articles and series first"
        )
        parser.add_argument("--seed", type=int, default=6, help="random seed (default 6)")
        parser.add_argument("--batch-size", type=int, default=1000, help="articles per transaction")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        if options["articles"] < 0:
            raise CommandError("--articles must be zero or more")
        started = time.monotonic()
        try:
            result = bulk_articles_seed(
                articles=options["articles"],
                reset=options["reset"],
                seed=options["seed"],
                batch_size=max(1, options["batch_size"]),
                progress=None if options["no_progress"] else ProgressLine(),
                log=lambda message: self.stdout.write(message),
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        phases = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in result.seconds.items())
        self.stdout.write(
            f"Bulk articles: {result.existing} existing, {result.created} created, "
            f"{result.series} series created, in {time.monotonic() - started:.1f}s ({phases})."
        )
