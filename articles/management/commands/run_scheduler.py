"""manage.py run_scheduler: publish_scheduled, then the round's periodic work for subscribers."""

import signal
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from articles.events import scheduler_round_due


class Command(BaseCommand):
    help = (
        "Publish and expire scheduled pages and snippets, re-enqueue webhook deliveries and edge "
        "purges whose task was lost, and prune the sync log past SYNC_RETENTION_DAYS, every "
        "--interval seconds until stopped. Equivalent to the cron line "
        "`* * * * * manage.py publish_scheduled` plus the sweeps and the pruning."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=60, help="seconds between runs")
        parser.add_argument("--once", action="store_true", help="run once and exit")

    def handle(self, *args, interval, once, **options):
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while not stopping:
            call_command("publish_scheduled", verbosity=options["verbosity"])
            # The subscribers' periodic work (in api/: webhook and purge sweeps and
            # sync log pruning).
            scheduler_round_due.send(sender=self.__class__)
            if once:
                break
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.5)
