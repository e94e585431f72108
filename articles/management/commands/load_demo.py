"""manage.py load_demo: create the Folio Health demo journal, people and articles (idempotent)."""

from django.core.management.base import BaseCommand

from articles.demo.loader import demo_content_load


class Command(BaseCommand):
    help = (
        "Create demo content: the Folio Health journal as the default site's root, authors, "
        "topics, series, articles in every visibility state, a superuser and one user per "
        "editorial group. Safe to run again: existing content and passwords are left alone."
    )

    def handle(self, *args, **options):
        demo_content_load(stdout=self.stdout)
