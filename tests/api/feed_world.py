"""The articles, series, topics and partners the feed tests read, built once per module."""

from dataclasses import dataclass, field
from datetime import timedelta

import wagtail_factories
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site

from api.partners.provisioning import api_key_issue, partner_create
from articles.models import ArticleIndexPage, ArticlePage, Author, Series, Topic
from articles.renditions import RENDITION_SPECS
from tests.api.conftest import EPOCH, ArticleMaker
from tests.factories import (
    ArticleIndexPageFactory,
    ArticlePageFactory,
    AuthorFactory,
    SeriesFactory,
    TopicFactory,
    byline,
    series_with_members,
)

# In an article partners may not republish: its title, slug, summary and body.
DISALLOWED = "zqxfeednotforpartners"
# Inside a <script> in a body: the sanitiser drops the element with its content.
SCRIPT_MARKER = "zqxfeedscript"
BODY_TEXT = "zqxfeedfulltextbody"
HIDDEN = {
    "draft": "zqxfeeddraft",
    "unpublished": "zqxfeedunpublished",
    "scheduled": "zqxfeedscheduled",
    "future": "zqxfeedfuture",
    "expired": "zqxfeedexpired",
    "restricted": "zqxfeedrestricted",
}
CANONICAL = "https://elsewhere.example/original-story"
BUDGET_MANY = 20


def marked(marker: str) -> dict:
    return {
        "title": f"Article {marker}",
        "slug": marker,
        "summary": f"Summary {marker}.",
        "body": [("paragraph", f"<p>Body {marker}.</p>")],
    }


def small_image():
    """A small image with every API rendition made now (tests later run on another MEDIA_ROOT)."""
    image = wagtail_factories.ImageFactory(file__width=64, file__height=36)
    image.get_renditions(*RENDITION_SPECS)
    return get_image_model().objects.get(pk=image.pk)


@dataclass
class Keys:
    full_text: str
    summaries_only: str
    full_text_partner_id: int = 0


@dataclass
class FeedWorld:
    journal: ArticleIndexPage
    alice: Author
    bob: Author
    sleep: Topic
    mood: Topic
    series: Series
    draft_series: Series
    first: ArticlePage
    second: ArticlePage
    disallowed: ArticlePage
    canonical: ArticlePage
    hidden: dict[str, ArticlePage]
    restricted_url_path: str
    budget_one: Topic
    budget_many: Topic
    keys: Keys
    published: list[ArticlePage] = field(default_factory=list)


def new_journal() -> ArticleIndexPage:
    """As the `journal` fixture: the journal as the root page of the default site."""
    root = Page.get_first_root_node()
    index = ArticleIndexPageFactory(parent=root, title="Folio Health", slug="folio-health")
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": index, "site_name": "Folio"},
    )
    return index


def hide(journal, make_article, state: str, marker: str, *, author, topic) -> ArticlePage:
    """An article in `state`, filed where the visible ones are (topic, author)."""
    if state in ("draft", "scheduled"):
        go_live = timezone.now() + timedelta(days=7) if state == "scheduled" else None
        article = ArticlePageFactory(
            parent=journal, live=False, go_live_at=go_live, **marked(marker)
        )
        byline(article, author)
        article.topics.set([topic])
        article.save()
        revision = article.save_revision()
        if state == "scheduled":
            revision.publish()  # waits for the scheduler: not live
        article.refresh_from_db()
        assert not article.live
        return article
    article = make_article(authors=[author], topics=[topic], days=40, **marked(marker))
    if state == "unpublished":
        article.unpublish()
    elif state == "future":
        ArticlePage.objects.filter(pk=article.pk).update(
            go_live_at=timezone.now() + timedelta(days=7)
        )
    elif state == "expired":
        ArticlePage.objects.filter(pk=article.pk).update(
            expire_at=timezone.now() - timedelta(hours=1)
        )
    elif state == "restricted":
        PageViewRestriction.objects.create(
            page=article, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    article.refresh_from_db()
    return article


def budget_article(journal, *, topic, linked, document, days):
    """An article with a hero image, a body image, a page link and a document link.

    Saved live with its dates set, without a revision: twenty-one publishes would cost more
    than everything else here, and the feeds read only the live row.
    """
    image = small_image()
    article = ArticlePageFactory(
        parent=journal,
        hero_image=image,
        hero_image_alt="A budget picture",
        body=[
            (
                "paragraph",
                f'<p>See <a linktype="page" id="{linked.pk}">this</a> and '
                f'<a linktype="document" id="{document.pk}">the leaflet</a>.</p>',
            ),
            ("image", {"image": image, "alt": "Inline", "caption": "", "credit": ""}),
        ],
    )
    byline(article, AuthorFactory())
    article.topics.set([topic])
    article.tags.add("budget")
    article.save()  # topics and tags are cluster relations: written on save
    when = EPOCH + timedelta(days=days)
    ArticlePage.objects.filter(pk=article.pk).update(
        live=True, first_published_at=when, last_published_at=when
    )
    return article


def build_world() -> FeedWorld:
    journal = new_journal()
    make_article = ArticleMaker(journal)
    alice = AuthorFactory(name="Alice Ng", slug="alice-ng")
    bob = AuthorFactory(name="Bob Ray", slug="bob-ray")
    sleep = TopicFactory(name="Sleep science", slug="sleep-science")
    mood = TopicFactory(name="Mental health", slug="mental-health")
    document = wagtail_factories.DocumentFactory(title="Leaflet")

    hidden = {
        state: hide(journal, make_article, state, marker, author=alice, topic=sleep)
        for state, marker in HIDDEN.items()
    }
    restricted = hidden["restricted"]

    second = make_article(days=2, authors=[bob], topics=[mood], tags=["mood"])
    hero = small_image()
    first = make_article(
        days=1,
        authors=[bob, alice],
        topics=[sleep, mood],
        tags=["rest", "nights"],
        hero_image=hero,
        hero_image_alt="Someone asleep",
        title="How sleep works",
        slug="how-sleep-works",
        summary="Why we sleep & what happens.",
        body=[
            (
                "paragraph",
                f'<p>{BODY_TEXT} Read <a linktype="page" id="{second.pk}">the next one</a>'
                f' or <a linktype="page" id="{restricted.pk}">the locked one</a>'
                f' and <a linktype="document" id="{document.pk}">the leaflet</a>.</p>'
                f"<script>alert('{SCRIPT_MARKER}')</script>"
                '<p><a href="javascript:alert(1)">bad link</a></p>',
            ),
            ("image", {"image": hero, "alt": "Inline sleep", "caption": "", "credit": ""}),
        ],
    )
    ArticlePage.objects.filter(pk=first.pk).update(
        last_published_at=first.first_published_at + timedelta(hours=5)
    )
    first.refresh_from_db()
    disallowed = make_article(
        days=3,
        authors=[alice],
        topics=[sleep],
        syndication_allowed=False,
        title=f"Article {DISALLOWED}",
        slug=DISALLOWED,
        summary=f"Summary {DISALLOWED}.",
        body=[("paragraph", f"<p>Body {DISALLOWED}.</p>")],
    )
    canonical = make_article(
        days=4,
        authors=[alice],
        tags=["syndicated"],
        canonical_url=CANONICAL,
        syndication_license="cc-by-4.0",
        syndication_attribution="First published by Elsewhere",
    )
    series = series_with_members(
        first, hidden["draft"], disallowed, hidden["expired"], second, title="Sleep series"
    )
    draft_series = SeriesFactory(title="Unpublished series", live=False)

    budget_one = TopicFactory(name="Budget one", slug="budget-one")
    budget_many = TopicFactory(name="Budget many", slug="budget-many")
    budget_article(journal, topic=budget_one, linked=second, document=document, days=50)
    for n in range(BUDGET_MANY):
        budget_article(journal, topic=budget_many, linked=second, document=document, days=60 + n)

    full = partner_create(name="Full text partner", full_text=True)
    summaries = partner_create(name="Summaries partner", full_text=False)
    keys = Keys(
        full_text=api_key_issue(partner=full, name="feeds")[1],
        summaries_only=api_key_issue(partner=summaries, name="feeds")[1],
        full_text_partner_id=full.pk,
    )
    return FeedWorld(
        journal=journal,
        alice=alice,
        bob=bob,
        sleep=sleep,
        mood=mood,
        series=series,
        draft_series=draft_series,
        first=first,
        second=second,
        disallowed=disallowed,
        canonical=canonical,
        hidden=hidden,
        restricted_url_path=restricted.url_path,
        budget_one=budget_one,
        budget_many=budget_many,
        keys=keys,
    )
