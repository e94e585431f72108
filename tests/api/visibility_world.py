"""The visibility leak suite's world: marked articles, and each hidden state an article can be in.

Each hidden state gives one article a unique marker (in its title, slug, summary, body and a
tag), puts it in a series between two visible articles, files it under a shared topic, tag and
author, links to it from a visible article's body and publishes it between visible articles.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from articles.models import ArticleIndexPage, ArticlePage, Author, Topic
from tests.factories import ArticlePageFactory, byline

CONTROL = "zqxmarkercontrol"
SHARED_TAG = "sleep"
HIDDEN_LINK_TEXT = "the piece behind this link"
CONTROL_LINK_TEXT = "the piece everyone may read"
OTHER_HOST = "other.example"

# Publication days after EPOCH: the hidden article (when it has a date) sits between the
# first visible article and the control, so publication-order navigation must skip it.
FIRST_DAY, HIDDEN_DAY, CONTROL_DAY, LINKER_DAY = 1, 5, 10, 15


def marked(marker: str) -> dict:
    """Fields that carry `marker` everywhere an article's own text can reach a response."""
    return {
        "title": f"Article {marker}",
        "slug": marker,
        "subtitle": f"Subtitle {marker}",
        "summary": f"Summary {marker}.",
        "body": [("paragraph", f"<p>Body text {marker} for readers.</p>")],
    }


def page_link(page: Page, text: str) -> str:
    return f'<a linktype="page" id="{page.pk}">{text}</a>'


def slugs(body: dict) -> list[str]:
    return [item["slug"] for item in body["results"]]


@dataclass
class Kit:
    """What a hidden state needs to build its article the same way as the visible ones."""

    journal: ArticleIndexPage
    other_journal: ArticleIndexPage
    make_article: Callable[..., ArticlePage]
    author: Author
    topic: Topic

    def published(self, marker: str, *, parent: Page | None = None) -> ArticlePage:
        return self.make_article(
            parent=parent,
            days=HIDDEN_DAY,
            authors=[self.author],
            topics=[self.topic],
            tags=[SHARED_TAG, marker],
            **marked(marker),
        )

    def draft(self, marker: str, **fields) -> ArticlePage:
        """An article saved as a draft revision only, never published."""
        article = ArticlePageFactory(parent=self.journal, live=False, **marked(marker), **fields)
        byline(article, self.author)
        article.topics.set([self.topic])
        article.tags.add(SHARED_TAG, marker)
        article.save()
        article.save_revision()
        article.refresh_from_db()
        assert not article.live and article.first_published_at is None
        return article


def never_published_draft(kit: Kit, marker: str) -> ArticlePage:
    return kit.draft(marker)


def unpublished(kit: Kit, marker: str) -> ArticlePage:
    article = kit.published(marker)
    article.unpublish()
    article.refresh_from_db()
    assert not article.live
    return article


def scheduled_for_the_future(kit: Kit, marker: str) -> ArticlePage:
    article = kit.draft(marker, go_live_at=timezone.now() + timedelta(days=7))
    article.save_revision().publish()
    article.refresh_from_db()
    assert not article.live  # waiting for the scheduler
    return article


def live_row_with_future_go_live(kit: Kit, marker: str) -> ArticlePage:
    """Belt and braces: even a live row is hidden until its go_live_at has passed."""
    article = kit.published(marker)
    ArticlePage.objects.filter(pk=article.pk).update(
        live=True, go_live_at=timezone.now() + timedelta(days=7)
    )
    return article


def expired(kit: Kit, marker: str) -> ArticlePage:
    """Still live: the scheduler that would unpublish it has not run yet."""
    article = kit.published(marker)
    ArticlePage.objects.filter(pk=article.pk).update(
        live=True, expire_at=timezone.now() - timedelta(hours=1)
    )
    return article


def login_restricted(kit: Kit, marker: str) -> ArticlePage:
    article = kit.published(marker)
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    return article


def group_restricted(kit: Kit, marker: str) -> ArticlePage:
    article = kit.published(marker)
    restriction = PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Subscribers"))
    return article


def password_restricted(kit: Kit, marker: str) -> ArticlePage:
    article = kit.published(marker)
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    return article


def on_another_site(kit: Kit, marker: str) -> ArticlePage:
    return kit.published(marker, parent=kit.other_journal)


def moved_to_another_site(kit: Kit, marker: str) -> ArticlePage:
    article = kit.published(marker)
    article.move(kit.other_journal, pos="last-child")
    article.refresh_from_db()
    assert article.get_parent().pk == kit.other_journal.pk
    return article


HIDDEN_STATES = {
    "draft": never_published_draft,
    "unpublished": unpublished,
    "scheduled": scheduled_for_the_future,
    "future-go-live": live_row_with_future_go_live,
    "expired": expired,
    "login": login_restricted,
    "group": group_restricted,
    "password": password_restricted,
    "other-site": on_another_site,
    "moved": moved_to_another_site,
}


def marker_of(state: str) -> str:
    return "zqxmarker" + state.replace("-", "")


def hidden_link_text(state: str) -> str:
    """The text of the linking article's link to the hidden article (no marker in it)."""
    return f"{HIDDEN_LINK_TEXT} ({state})"
