"""manage.py retract: retract a published article by slug, as a named Editor, from a shell."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from articles.models import ArticlePage
from articles.retraction import RetractionRefused, article_retract


class Command(BaseCommand):
    help = (
        "Retract a published article (takedowns that arrive at any hour): it leaves every list, "
        "feed, series and sync page, partners are told to take it down, and its URL answers "
        "with a notice and the reason. Only an Editor (or an administrator) may."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the article's slug")
        parser.add_argument("--reason", required=True, help="why, as readers will see it")
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help="the Editor retracting it: their permission is checked, and the record names them",
        )

    def handle(self, *args, slug, reason, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user has the username {username!r}.")
        # Aliases share their original's slug: the original is the article.
        article = ArticlePage.objects.filter(slug=slug, alias_of__isnull=True).first()
        if article is None:
            raise CommandError(f"No article has the slug {slug!r}.")
        try:
            retraction = article_retract(article, reason=reason, user=user)
        except RetractionRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Retracted “{article.title}” ({slug}) at {retraction.at:%Y-%m-%d %H:%M:%S %Z} "
                f"as {username}: partners are told to take it down."
            )
        )
