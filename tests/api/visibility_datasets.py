"""The visibility leak suite's datasets, built once per test class, and its crawl of the API.

Every endpoint is fetched and a hidden article's marker must appear in no response body, while
a visible control article with its own marker does appear (so a crawl that sees nothing cannot
pass).

Building those articles is most of the cost of these tests, so each class's data is built once
and shared (see `Datasets`): the ten hidden articles live side by side in one world (their
states do not touch one another: each restriction is on its own article, the other site is
shared), and every check is still made for each state, about that state's own article. Each
test runs in a savepoint of the dataset's transaction, so what a test writes is undone after it.
"""

from contextlib import ExitStack
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from django.test import Client
from wagtail.models import Page, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from articles.models import ArticleIndexPage, ArticlePage, Author, Series, Topic
from tests.api.conftest import ArticleMaker, rolled_back
from tests.api.visibility_world import (
    CONTROL,
    CONTROL_DAY,
    CONTROL_LINK_TEXT,
    FIRST_DAY,
    HIDDEN_STATES,
    LINKER_DAY,
    OTHER_HOST,
    SHARED_TAG,
    Kit,
    hidden_link_text,
    marked,
    marker_of,
    page_link,
    slugs,
)
from tests.factories import (
    ArticleIndexPageFactory,
    AuthorFactory,
    TopicFactory,
    series_with_members,
)

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
