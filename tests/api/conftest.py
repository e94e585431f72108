"""Fixtures for the API: a client on the journal's site and published articles with bylines."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
import wagtail_factories
from django.db import transaction
from django.test import Client
from wagtail.models import Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from articles.models import ArticlePage
from tests.factories import (
    ArticlePageFactory,
    AuthorFactory,
    TopicFactory,
    byline,
    publish,
    series_with_members,
)
from tests.purge_recorder import closed_url, recorder  # noqa: F401  (shared fixtures)

# Articles get distinct, increasing publication dates from here so orderings are meaningful.
EPOCH = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _no_reference_index():
    """Wagtail's usage index is not what these tests are about, and it is most of the cost
    of publishing; the API never reads it."""
    with disable_reference_index_auto_update():
        yield


@pytest.fixture
def api(journal):
    """A client addressing the journal's site (the default site, hostname localhost)."""
    return Client(HTTP_HOST="localhost")


def get_json(client, path, status=200, **params):
    response = client.get(path, params)
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def error_of(client, path, status, **params):
    """The error object of a failed request, after checking the contract's envelope."""
    body = get_json(client, path, status=status, **params)
    error = body["error"]
    assert error["status"] == status
    assert error["code"] and error["message"]
    assert isinstance(error["details"], dict)
    return error


class ArticleMaker:
    """Create and publish an article; `days` sets its first publication date after EPOCH."""

    def __init__(self, journal):
        self.journal = journal
        self.count = 0

    def __call__(
        self, *, parent=None, days=None, authors=None, topics=(), tags=(), image=False, **fields
    ):
        self.count += 1
        article = ArticlePageFactory(parent=parent or self.journal, **fields)
        byline(article, *(authors if authors is not None else [AuthorFactory()]))
        if topics:
            article.topics.set(topics)
        if tags:
            article.tags.add(*tags)
        if image:
            article.hero_image = wagtail_factories.ImageFactory(file__width=1600, file__height=900)
            article.hero_image_alt = "A described image"
        publish(article)
        when = EPOCH + timedelta(days=days if days is not None else self.count)
        ArticlePage.objects.filter(pk=article.pk).update(
            first_published_at=when, last_published_at=when
        )
        article.refresh_from_db()
        return article


@contextmanager
def rolled_back(django_db_blocker) -> Iterator[None]:
    """An outer transaction, always rolled back: what is written in it is gone afterwards.

    For data built once per module or class and shared, read-only, by its tests.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            # Wagtail caches the sites' root paths; the sites just rolled back are gone.
            Site.clear_site_root_paths_cache()


@pytest.fixture
def make_article(journal):
    return ArticleMaker(journal)


@pytest.fixture
def topic():
    return TopicFactory(name="Mental health", slug="mental-health")


@pytest.fixture
def series_world(make_article):
    """Two articles by `the-author`, the first on `the-topic`, both in `the-series`: something
    behind every cacheable endpoint."""
    author = AuthorFactory(slug="the-author")
    first = make_article(slug="first", authors=[author], topics=[TopicFactory(slug="the-topic")])
    second = make_article(slug="second", authors=[author])
    series_with_members(first, second, slug="the-series")
    return first, second
