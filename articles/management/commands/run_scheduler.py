"""manage.py run_scheduler: run Wagtail's publish_scheduled every minute, for hosts without cron."""

import signal
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Publish and expire scheduled pages and snippets every --interval seconds until stopped. "
        "Equivalent to the cron line `* * * * * manage.py publish_scheduled`."
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
            if once:
                break
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.5)
