"""Only live, public, current articles of the request's site are visible, on every endpoint.

Each hidden state gives one article a unique marker (in its title, slug, summary, body and a
tag), puts it in a series between two visible articles, files it under a shared topic, tag and
author, links to it from a visible article's body and publishes it between visible articles.
Then every endpoint is fetched and the marker must appear in no response body, while a visible
control article with its own marker does appear (so a crawl that sees nothing cannot pass).

Building those articles is most of the cost of these tests, so each class's data is built once
and shared (see `Datasets`): the ten hidden articles live side by side in one world (their
states do not touch one another: each restriction is on its own article, the other site is
shared), and every check is still made for each state, about that state's own article. Each
test runs in a savepoint of the dataset's transaction, so what a test writes is undone after it.
"""

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from articles.models import ArticleIndexPage, ArticlePage, Author, Series, Topic
from tests.api.conftest import ArticleMaker, error_of, get_json, rolled_back
from tests.factories import (
    ArticleIndexPageFactory,
    ArticlePageFactory,
    AuthorFactory,
    SeriesFactory,
    TopicFactory,
    byline,
    series_with_members,
)

pytestmark = pytest.mark.django_db

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


# Data built once per class, outside any test (the fixtures of tests/conftest.py and
# tests/api/conftest.py are per test, so their equivalents are here).


def new_journal() -> ArticleIndexPage:
    """As the `journal` fixture: the journal as the root page of the default site."""
    root = Page.get_first_root_node()
    index = ArticleIndexPageFactory(parent=root, title="Folio Health", slug="folio-health")
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": index, "site_name": "Folio"},
    )
    return index


def new_other_journal() -> ArticleIndexPage:
    """As the `other_journal` fixture: a second site, "other.example", with its own journal."""
    index = ArticleIndexPageFactory(
        parent=Page.get_first_root_node(), title="Other journal", slug="other-journal"
    )
    Site.objects.create(hostname=OTHER_HOST, port=80, root_page=index, site_name="Other")
    return index


class Datasets:
    """The one dataset of this module in the database, built when a class first needs it.

    Each test class names its dataset in `DATASET`. The dataset is built in an outer
    transaction that is rolled back when a class needs another one, or at the end of the
    module; each test runs in a savepoint inside it (pytest-django), so a test that writes
    leaves the dataset as it found it.
    """

    def __init__(self, django_db_blocker):
        self.blocker = django_db_blocker
        self.name: str | None = None
        self.data = None
        self.stack = ExitStack()

    def use(self, name: str):
        if name == self.name:
            return self.data
        self.discard()
        self.stack.enter_context(rolled_back(self.blocker))
        try:
            with self.blocker.unblock(), disable_reference_index_auto_update():
                self.data = BUILDERS[name]()
        except BaseException:
            self.discard()
            raise
        self.name = name
        return self.data

    def discard(self) -> None:
        self.stack.close()
        self.stack = ExitStack()
        self.name = self.data = None


@pytest.fixture(scope="module")
def datasets(django_db_setup, django_db_blocker):
    shared = Datasets(django_db_blocker)
    yield shared
    shared.discard()


@pytest.fixture(scope="class", autouse=True)
def dataset(request, datasets):
    """The data of the test's class (set up before the test's own savepoint is opened)."""
    name = getattr(request.cls, "DATASET", None)
    assert name in BUILDERS, f"{request.node.nodeid}: name the class's DATASET (in BUILDERS)"
    return datasets.use(name)


@pytest.fixture
def journal(dataset) -> ArticleIndexPage:
    """The dataset's journal (the default site's root), fresh from the database."""
    return ArticleIndexPage.objects.get(pk=dataset.journal.pk)


@pytest.fixture
def other_journal(dataset, settings) -> ArticleIndexPage:
    """A second site, "other.example", with its own journal under Wagtail's root page."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, OTHER_HOST]
    return ArticleIndexPage.objects.get(pk=dataset.other_journal.pk)


@pytest.fixture
def other_api(other_journal):
    """A client addressing the second site."""
    return Client(HTTP_HOST=OTHER_HOST)


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


# The datasets. Each holds its site's journal (fresh copies per test: the fixtures above).


@dataclass
class Sites:
    """The journal of the default site and a second site's journal, and nothing else."""

    journal: ArticleIndexPage
    other_journal: ArticleIndexPage


def two_sites() -> Sites:
    return Sites(new_journal(), new_other_journal())


@dataclass
class World:
    """Visible articles around one hidden article, all sharing a series, topic, tag and author."""

    marker: str
    hidden: ArticlePage
    link_text: str
    first: ArticlePage
    control: ArticlePage
    linker: ArticlePage
    series: Series
    topic: Topic
    author: Author


@dataclass
class HiddenStates(Sites):
    """One world holding an article in every hidden state, each with its own marker."""

    hidden: dict[str, ArticlePage]
    first: ArticlePage
    control: ArticlePage
    linker: ArticlePage
    series: Series
    topic: Topic
    author: Author
    crawls: dict[str, "Crawl"] = field(default_factory=dict)  # by marker, see `world_crawl`

    def world(self, state: str) -> World:
        return World(
            marker_of(state),
            self.hidden[state],
            hidden_link_text(state),
            self.first,
            self.control,
            self.linker,
            self.series,
            self.topic,
            self.author,
        )


def hidden_states() -> HiddenStates:
    sites = two_sites()
    make_article = ArticleMaker(sites.journal)
    author = AuthorFactory(name="Ada Writer", slug="ada-writer")
    topic = TopicFactory(name="Sleep", slug="sleep-topic")
    kit = Kit(sites.journal, sites.other_journal, make_article, author, topic)

    def visible(days: int, **fields) -> ArticlePage:
        tags = [SHARED_TAG, fields["slug"]]
        return make_article(days=days, authors=[author], topics=[topic], tags=tags, **fields)

    first = visible(FIRST_DAY, title="First visible article", slug="first-visible")
    hidden = {state: build(kit, marker_of(state)) for state, build in HIDDEN_STATES.items()}
    control = visible(CONTROL_DAY, **marked(CONTROL))
    series = series_with_members(
        first, *hidden.values(), control, title="Sleep series", slug="sleep-series"
    )
    links = ", ".join(page_link(hidden[state], hidden_link_text(state)) for state in hidden)
    body = f"<p>Read {links} and {page_link(control, CONTROL_LINK_TEXT)}.</p>"
    linker = visible(
        LINKER_DAY, title="Linking article", slug="linking-article", body=[("paragraph", body)]
    )
    return HiddenStates(
        sites.journal, sites.other_journal, hidden, first, control, linker, series, topic, author
    )


@dataclass
class JournalOnly:
    """A journal (no second site) and the articles filed in it."""

    journal: ArticleIndexPage
    articles: list[ArticlePage]


def restrictable_journal() -> JournalOnly:
    """Three articles in a series, topic, tag and author; each test restricts the journal."""
    journal = new_journal()
    make_article = ArticleMaker(journal)
    topic = TopicFactory(slug="sleep-topic")
    author = AuthorFactory(slug="ada-writer")
    articles = [
        make_article(authors=[author], topics=[topic], tags=[SHARED_TAG], **marked(marker))
        for marker in ("zqxmarkerone", "zqxmarkertwo", "zqxmarkerthree")
    ]
    series_with_members(*articles, slug="sleep-series")
    return JournalOnly(journal, articles)


def unannounced_series() -> JournalOnly:
    """Three articles in a series; each test takes the series out of view in its own way."""
    journal = new_journal()
    make_article = ArticleMaker(journal)
    articles = [make_article(title=f"Member {n}", slug=f"member-{n}") for n in range(3)]
    series_with_members(*articles, title="Unannounced zqxmarkerseries", slug="unannounced")
    return JournalOnly(journal, articles)


BUILDERS = {
    "two-sites": two_sites,
    "hidden-states": hidden_states,
    "restrictable-journal": restrictable_journal,
    "unannounced-series": unannounced_series,
}


@pytest.fixture(params=list(HIDDEN_STATES))
def world(request, dataset, other_journal) -> World:
    return dataset.world(request.param)


class Crawl:
    """Every response body of a crawl of the API, by request."""

    def __init__(self, client):
        self.client = client
        self.bodies: dict[str, str] = {}

    def get(self, path: str, **params) -> dict:
        response = self.client.get(path, params)
        key = f"{path}?{urlencode(params)}" if params else path
        assert response.status_code == 200, (key, response.status_code, response.content[:300])
        self.bodies[key] = response.content.decode()
        return response.json()

    def follow(self, path: str, **params) -> list[str]:
        """Walk a list through its `next` links; the slugs of every page, in order."""
        seen = []
        body = self.get(path, **params)
        while True:
            seen += slugs(body)
            if not body["next"]:
                return seen
            query = parse_qs(urlparse(body["next"]).query)
            body = self.get(path, **{name: values[0] for name, values in query.items()})
            assert len(seen) < 1000

    def containing(self, text: str) -> list[str]:
        return [key for key, body in self.bodies.items() if text in body]


def crawl_everything(client, *, search_terms=(), tags=(), ids=()) -> Crawl:
    """Fetch every endpoint and every detail and filter they lead to."""
    crawl = Crawl(client)
    articles = "/api/v1/articles/"
    listing = crawl.get(articles, limit=100)
    for ordering in ("published_at", "title", "-updated_at"):
        crawl.get(articles, limit=100, ordering=ordering)
    crawl.follow(articles, limit=2)
    crawl.get(articles, limit=100, published_after="2020-01-01")
    for term in search_terms:
        crawl.get(articles, limit=100, search=term)
    for tag in tags:
        crawl.get(articles, limit=100, tag=tag)
    if ids:
        crawl.get(articles, id=",".join(str(pk) for pk in ids))
    for item in listing["results"]:
        crawl.get(f"{articles}{item['slug']}/")
    for series in crawl.get("/api/v1/series/", limit=100)["results"]:
        crawl.get(f"/api/v1/series/{series['slug']}/")
        crawl.get(articles, limit=100, series=series["slug"])
        crawl.follow(articles, limit=1, series=series["slug"])
    for author in crawl.get("/api/v1/authors/", limit=100)["results"]:
        crawl.get(f"/api/v1/authors/{author['slug']}/")
        crawl.get(articles, limit=100, author=author["slug"])
    for topic in crawl.get("/api/v1/topics/", limit=100)["results"]:
        crawl.get(f"/api/v1/topics/{topic['slug']}/")
        crawl.get(articles, limit=100, topic=topic["slug"])
    return crawl


def crawl_world(client, world: World) -> Crawl:
    return crawl_everything(
        client,
        search_terms=(world.marker, CONTROL),
        tags=(SHARED_TAG, world.marker, CONTROL),
        ids=(world.hidden.pk, world.control.pk, world.first.pk),
    )


@pytest.fixture
def world_crawl(api, world, dataset) -> Crawl:
    """The crawl of the world of one hidden state, made by the first test that asks for it.

    A crawl only reads, and the dataset does not change between tests, so the tests checking
    the hidden marker and the control read the same crawl's responses.
    """
    if world.marker not in dataset.crawls:
        dataset.crawls[world.marker] = crawl_world(api, world)
    return dataset.crawls[world.marker]


class TestHiddenArticleAppearsNowhere:
    """The marker of a hidden article is in no response of any endpoint; the control's is."""

    DATASET = "hidden-states"

    def test_its_marker_is_in_no_response_body(self, world_crawl, world):
        assert world_crawl.containing(world.marker) == []

    def test_the_visible_control_is_found_by_the_same_crawl(self, world_crawl):
        found = world_crawl.containing(CONTROL)

        assert "/api/v1/articles/?limit=100" in found
        assert f"/api/v1/articles/?limit=100&search={CONTROL}" in found
        assert f"/api/v1/articles/?limit=100&tag={CONTROL}" in found
        assert "/api/v1/series/sleep-series/" in found
        assert f"/api/v1/articles/{CONTROL}/" in found
        assert "/api/v1/articles/linking-article/" in found  # its body links to the control

    def test_its_detail_is_not_found(self, api, world):
        error = error_of(api, f"/api/v1/articles/{world.hidden.slug}/", 404)

        assert error["code"] == "not_found"


class TestHiddenArticleInLists:
    DATASET = "hidden-states"

    def test_the_list_holds_only_the_visible_articles(self, api, world):
        listed = slugs(get_json(api, "/api/v1/articles/", limit=100))

        assert listed == ["linking-article", CONTROL, "first-visible"]

    def test_search_does_not_find_it(self, api, world):
        assert slugs(get_json(api, "/api/v1/articles/", search=world.marker)) == []
        assert slugs(get_json(api, "/api/v1/articles/", search=CONTROL)) == [CONTROL]

    def test_topic_tag_and_author_filters_leave_it_out(self, api, world):
        expected = {"first-visible", CONTROL, "linking-article"}

        assert set(slugs(get_json(api, "/api/v1/articles/", topic=world.topic.slug))) == expected
        assert set(slugs(get_json(api, "/api/v1/articles/", author=world.author.slug))) == expected
        assert set(slugs(get_json(api, "/api/v1/articles/", tag=SHARED_TAG))) == expected
        assert slugs(get_json(api, "/api/v1/articles/", tag=world.marker)) == []

    def test_the_id_filter_leaves_it_out(self, api, world):
        ids = f"{world.hidden.pk},{world.control.pk}"

        assert slugs(get_json(api, "/api/v1/articles/", id=ids)) == [CONTROL]
        assert slugs(get_json(api, "/api/v1/articles/", id=str(world.hidden.pk))) == []


class TestHiddenArticleInItsSeries:
    DATASET = "hidden-states"

    def test_series_detail_lists_only_the_visible_members_numbered_without_a_gap(self, api, world):
        series = get_json(api, "/api/v1/series/sleep-series/")

        assert [member["slug"] for member in series["articles"]] == ["first-visible", CONTROL]
        assert [member["series"]["position"] for member in series["articles"]] == [1, 2]
        assert {member["series"]["total"] for member in series["articles"]} == {2}
        assert series["article_count"] == 2

    def test_series_list_counts_only_the_visible_members(self, api, world):
        listed = get_json(api, "/api/v1/series/")["results"]

        assert [(s["slug"], s["article_count"]) for s in listed] == [("sleep-series", 2)]

    def test_summaries_give_positions_among_visible_members(self, api, world):
        listed = {
            item["slug"]: item["series"]
            for item in get_json(api, "/api/v1/articles/", limit=100)["results"]
        }
        series = {"slug": "sleep-series", "title": "Sleep series", "total": 2}

        assert listed["first-visible"] == {**series, "position": 1}
        assert listed[CONTROL] == {**series, "position": 2}
        assert listed["linking-article"] is None
        detail = get_json(api, f"/api/v1/articles/{CONTROL}/")
        assert detail["series"] == {**series, "position": 2}


class TestHiddenArticleInNavigation:
    DATASET = "hidden-states"

    def test_series_navigation_steps_over_it(self, api, world):
        first = get_json(api, "/api/v1/articles/first-visible/")["navigation"]["series"]
        control = get_json(api, f"/api/v1/articles/{CONTROL}/")["navigation"]["series"]

        assert first["previous"] is None
        assert first["next"]["slug"] == CONTROL
        assert control["previous"]["slug"] == "first-visible"
        assert control["next"] is None

    def test_publication_order_navigation_steps_over_it(self, api, world):
        first = get_json(api, "/api/v1/articles/first-visible/")["navigation"]
        control = get_json(api, f"/api/v1/articles/{CONTROL}/")["navigation"]

        assert first["next"]["slug"] == CONTROL
        assert control["previous"]["slug"] == "first-visible"
        assert control["next"]["slug"] == "linking-article"


class TestBodyLinkToHiddenArticle:
    DATASET = "hidden-states"

    def test_the_link_is_unwrapped_and_its_text_kept(self, api, world):
        detail = get_json(api, "/api/v1/articles/linking-article/")
        control_url = get_json(api, f"/api/v1/articles/{CONTROL}/")["url"]

        for html in (detail["body_html"], detail["body"][0]["value"]["html"]):
            assert world.link_text in html
            assert world.marker not in html
            assert f'href="{control_url}"' in html
            assert html.count("<a ") == 1


class TestMovingAnArticleToAnotherSite:
    DATASET = "two-sites"

    def test_a_visible_article_moved_to_the_other_journal_leaves_this_site(
        self, api, other_api, make_article, other_journal
    ):
        article = make_article(title="Travelling article", slug="travelling-article")
        stay = make_article(title="Staying article", slug="staying-article")
        assert slugs(get_json(api, "/api/v1/articles/")) == [stay.slug, article.slug]

        article.move(other_journal, pos="last-child")

        assert slugs(get_json(api, "/api/v1/articles/")) == [stay.slug]
        error_of(api, f"/api/v1/articles/{article.slug}/", 404)
        assert slugs(get_json(other_api, "/api/v1/articles/")) == [article.slug]
        get_json(other_api, f"/api/v1/articles/{article.slug}/")


class TestEachSiteSeesOnlyItsOwnArticles:
    DATASET = "two-sites"

    def test_the_other_site_sees_its_article_and_not_this_sites(
        self, api, other_api, make_article, other_journal
    ):
        ours = make_article(**marked(CONTROL))
        theirs = make_article(parent=other_journal, **marked("zqxmarkertheirs"))

        other_crawl = crawl_everything(other_api, search_terms=(CONTROL, "zqxmarkertheirs"))
        our_crawl = crawl_everything(api, search_terms=(CONTROL, "zqxmarkertheirs"))

        assert other_crawl.containing(CONTROL) == []
        assert "/api/v1/articles/?limit=100" in other_crawl.containing("zqxmarkertheirs")
        assert our_crawl.containing("zqxmarkertheirs") == []
        assert "/api/v1/articles/?limit=100" in our_crawl.containing(CONTROL)
        error_of(other_api, f"/api/v1/articles/{ours.slug}/", 404)
        error_of(api, f"/api/v1/articles/{theirs.slug}/", 404)

    def test_a_link_to_a_page_of_the_other_site_is_unwrapped(
        self, api, make_article, other_journal
    ):
        theirs = make_article(parent=other_journal, **marked("zqxmarkertheirs"))
        ours = make_article(
            title="Ours",
            slug="ours",
            body=[("paragraph", f"<p>See {page_link(theirs, 'elsewhere')}.</p>")],
        )

        html = get_json(api, f"/api/v1/articles/{ours.slug}/")["body_html"]

        assert "elsewhere" in html
        assert "zqxmarkertheirs" not in html
        assert "<a " not in html


def restrict(page: Page, restriction_type: str) -> None:
    restriction = PageViewRestriction.objects.create(
        page=page,
        restriction_type=restriction_type,
        password="x" if restriction_type == PageViewRestriction.PASSWORD else "",
    )
    if restriction_type == PageViewRestriction.GROUPS:
        restriction.groups.add(Group.objects.create(name="Members"))


@pytest.mark.parametrize(
    "restriction_type",
    [PageViewRestriction.LOGIN, PageViewRestriction.GROUPS, PageViewRestriction.PASSWORD],
)
class TestRestrictionOnTheJournalHidesEveryArticle:
    """A view restriction on an ancestor (the site's journal) hides every article below it."""

    DATASET = "restrictable-journal"

    @pytest.fixture
    def restricted(self, dataset, journal, restriction_type):
        restrict(journal, restriction_type)
        return dataset.articles

    def test_no_article_text_reaches_any_response(self, api, restricted):
        crawl = crawl_everything(
            api,
            search_terms=("zqxmarkerone", "zqxmarkertwo"),
            tags=(SHARED_TAG,),
            ids=[a.pk for a in restricted],
        )

        assert crawl.containing("zqxmarker") == []
        assert "/api/v1/series/sleep-series/" in crawl.bodies  # the crawl did reach the series

    def test_lists_are_empty_and_details_not_found(self, api, restricted):
        assert get_json(api, "/api/v1/articles/")["results"] == []
        assert get_json(api, "/api/v1/articles/", topic="sleep-topic")["results"] == []
        assert get_json(api, "/api/v1/articles/", author="ada-writer")["results"] == []
        assert get_json(api, "/api/v1/articles/", tag=SHARED_TAG)["results"] == []
        assert get_json(api, "/api/v1/articles/", search="zqxmarkerone")["results"] == []
        for article in restricted:
            error_of(api, f"/api/v1/articles/{article.slug}/", 404)

    def test_the_series_counts_and_lists_no_member(self, api, restricted):
        series = get_json(api, "/api/v1/series/sleep-series/")

        assert series["articles"] == []
        assert series["article_count"] == 0
        assert [s["article_count"] for s in get_json(api, "/api/v1/series/")["results"]] == [0]
        assert get_json(api, "/api/v1/articles/", series="sleep-series")["results"] == []

    def test_lifting_the_restriction_shows_them_again(self, api, journal, restricted):
        PageViewRestriction.objects.filter(page=journal).delete()

        assert len(get_json(api, "/api/v1/articles/")["results"]) == 3


def series_not_current(state: str) -> dict:
    now = timezone.now()
    return {
        # A draft: never published (Series.live is False).
        "draft": {"live": False},
        # Published, but its expiry has passed and the scheduler has not run yet.
        "expired": {"live": True, "expire_at": now - timedelta(hours=1)},
        # A live row whose go_live_at is still ahead (belt and braces, as for pages).
        "future-go-live": {"live": True, "go_live_at": now + timedelta(days=2)},
    }[state]


class TestSeriesThatIsNotCurrent:
    """A draft, expired or not yet gone-live series is invisible; its members are in none."""

    DATASET = "unannounced-series"

    @pytest.fixture(params=["draft", "expired", "future-go-live"])
    def members(self, request, dataset):
        Series.objects.filter(slug="unannounced").update(**series_not_current(request.param))
        return dataset.articles

    def test_its_detail_is_not_found(self, api, members):
        error = error_of(api, "/api/v1/series/unannounced/", 404)

        assert error["code"] == "not_found"

    def test_it_is_absent_from_the_series_list(self, api, members):
        SeriesFactory(title="Announced", slug="announced")

        assert [s["slug"] for s in get_json(api, "/api/v1/series/")["results"]] == ["announced"]

    def test_its_members_carry_no_series_in_list_and_detail(self, api, members):
        listed = get_json(api, "/api/v1/articles/")["results"]

        assert [item["series"] for item in listed] == [None, None, None]
        for article in members:
            detail = get_json(api, f"/api/v1/articles/{article.slug}/")
            assert detail["series"] is None
            assert detail["navigation"]["series"] is None

    def test_its_title_is_in_no_response(self, api, members):
        crawl = crawl_everything(api, search_terms=("zqxmarkerseries",))

        assert crawl.containing("zqxmarkerseries") == []
        assert "/api/v1/articles/member-0/" in crawl.bodies

    def test_filtering_by_its_slug_is_rejected_like_an_unknown_series(self, api, members):
        error = error_of(api, "/api/v1/articles/", 400, series="unannounced")

        assert error["code"] == "invalid_parameter"
        assert "series" in error["details"]
