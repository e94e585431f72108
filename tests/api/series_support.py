"""Series test support: a journal whose series order differs from every other order, built once.

The fixture makes the editor's series order differ from creation order, publication order,
title order and the order the member rows were written, and gives the rows gapped sort_order
values (as deleting a member leaves them), so only the editor's order can pass.

Publishing those articles is most of the cost of these tests, so the fixture's data is built
once for the module, in an outer transaction rolled back at its end; each test runs in a
savepoint inside it (pytest-django), so what a test changes (hiding, reordering, adding) is
undone after it, and each test gets fresh copies of the pages and series to work on.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from articles.models import ArticleIndexPage, ArticlePage, Series, SeriesMember
from tests.api.conftest import ArticleMaker, get_json, rolled_back
from tests.factories import ArticleIndexPageFactory, SeriesFactory, series_with_members

# name: publication day after EPOCH, in creation order (so also in id order).
MEMBER_DAYS = {"kale": 5, "broth": 1, "oats": 4, "figs": 2, "dates": 3}
EDITOR_ORDER = ["oats", "kale", "dates", "broth", "figs"]
# Gapped on purpose, and written in yet another order below.
SORT_ORDER = {"oats": 10, "kale": 20, "dates": 35, "broth": 36, "figs": 90}
ROW_CREATION_ORDER = ["figs", "kale", "broth", "oats", "dates"]
OUTSIDER_DAY = 6
# A second series, published after everything else, in reverse publication order.
DRINK_DAYS = {"tea": 7, "soup": 8}
DRINK_ORDER = ["soup", "tea"]
PUBLICATION_ORDER = ["broth", "figs", "dates", "oats", "kale", "loner", "tea", "soup"]

SERIES = {"slug": "eating-well", "title": "Eating well"}
LINK_KEYS = {"id", "slug", "title", "url", "api_url"}


@dataclass
class Journal:
    articles: dict[str, ArticlePage]
    series: Series
    drinks: Series


# The data is built once, outside any test (the fixtures of tests/conftest.py and
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


@dataclass
class Shared:
    journal: ArticleIndexPage
    data: Journal


def build_journal_with_series() -> Shared:
    journal = new_journal()
    make_article = ArticleMaker(journal)
    articles = {
        name: make_article(title=f"{name.title()} guide", slug=name, days=day)
        for name, day in MEMBER_DAYS.items()
    }
    series = SeriesFactory(**SERIES)
    for name in ROW_CREATION_ORDER:
        SeriesMember.objects.create(
            series=series, article=articles[name], sort_order=SORT_ORDER[name]
        )
    articles["loner"] = make_article(title="Loner guide", slug="loner", days=OUTSIDER_DAY)
    for name, day in DRINK_DAYS.items():
        articles[name] = make_article(title=f"{name.title()} guide", slug=name, days=day)
    drinks = series_with_members(
        *(articles[name] for name in DRINK_ORDER), title="Warm drinks", slug="warm-drinks"
    )
    return Shared(journal, Journal(articles, series, drinks))


@pytest.fixture(scope="module")
def shared(django_db_setup, django_db_blocker) -> Iterator[Shared]:
    """The module's data, built once before the first test's savepoint and rolled back after."""
    with rolled_back(django_db_blocker):
        with django_db_blocker.unblock(), disable_reference_index_auto_update():
            data = build_journal_with_series()
        yield data


@pytest.fixture
def journal(shared) -> ArticleIndexPage:
    """The shared journal (the default site's root), fresh from the database."""
    return ArticleIndexPage.objects.get(pk=shared.journal.pk)


@pytest.fixture
def journal_with_series(shared, journal) -> Journal:
    """Fresh copies of the shared articles and series, for a test to change as it likes."""
    built = shared.data
    fresh = ArticlePage.objects.in_bulk([article.pk for article in built.articles.values()])
    return Journal(
        {name: fresh[article.pk] for name, article in built.articles.items()},
        Series.objects.get(pk=built.series.pk),
        Series.objects.get(pk=built.drinks.pk),
    )


# Ways a member stops being visible.


def unpublish(article: ArticlePage) -> None:
    article.unpublish()


def expire(article: ArticlePage) -> None:
    ArticlePage.objects.filter(pk=article.pk).update(
        expire_at=timezone.now() - timedelta(minutes=5)
    )


def delay_go_live(article: ArticlePage) -> None:
    ArticlePage.objects.filter(pk=article.pk).update(go_live_at=timezone.now() + timedelta(days=3))


def restrict_to_logged_in(article: ArticlePage) -> None:
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)


def restrict_by_password(article: ArticlePage) -> None:
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )


def delete(article: ArticlePage) -> None:
    """Deleting an article deletes its member row, leaving a gap in the sort_order values."""
    article.delete()


HIDERS = {
    "unpublished": unpublish,
    "expired": expire,
    "future-go-live": delay_go_live,
    "login": restrict_to_logged_in,
    "password": restrict_by_password,
    "deleted": delete,
}


# Reading the API.


def detail(api, slug: str) -> dict:
    return get_json(api, f"/api/v1/articles/{slug}/")


def series_detail(api, slug: str = "eating-well") -> dict:
    return get_json(api, f"/api/v1/series/{slug}/")


def member_slugs(api, slug: str = "eating-well") -> list[str]:
    return [member["slug"] for member in series_detail(api, slug)["articles"]]


def list_series_fields(api) -> dict[str, dict | None]:
    results = get_json(api, "/api/v1/articles/", limit=100)["results"]
    return {item["slug"]: item["series"] for item in results}


def series_ref(position: int, total: int, series: dict = SERIES) -> dict:
    return {**series, "position": position, "total": total}


def walk(api, start: str, *steps: str) -> list[str]:
    """Slugs met following navigation[steps...] from `start` until the link is null."""
    seen = [start]
    while True:
        link = detail(api, seen[-1])["navigation"]
        for step in steps:
            link = link[step] if link is not None else None
        if link is None:
            return seen
        seen.append(link["slug"])
        assert len(seen) <= 50, "navigation loops"


def follow_pages(api, path: str, **params) -> list[dict]:
    """Every item of a list, following its `next` links."""
    items, body = [], get_json(api, path, **params)
    while True:
        items += body["results"]
        if not body["next"]:
            return items
        query = parse_qs(urlparse(body["next"]).query)
        body = get_json(api, path, **{name: values[0] for name, values in query.items()})
        assert len(items) <= 1000


def publish_order(series: Series, names: list[str], articles: dict[str, ArticlePage]) -> None:
    """Reorder the members as the admin does and publish the series revision."""
    members = {member.article_id: member for member in series.members.all()}
    ordered = [members[articles[name].pk] for name in names]
    for position, member in enumerate(ordered):
        member.sort_order = position
    series.members.set(ordered)
    series.save_revision().publish()
