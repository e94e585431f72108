"""Bad input test support: a small real journal built once per module, and the error checks.

Each bad request is sent against a small real journal so that everything but the malformed
part would succeed.
"""

import json
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from wagtail.models import Page, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from articles.models import ArticleIndexPage, ArticlePage
from tests.api.conftest import EPOCH
from tests.factories import (
    ArticleIndexPageFactory,
    ArticlePageFactory,
    AuthorFactory,
    TopicFactory,
    byline,
    publish,
    series_with_members,
)

ARTICLES = "/api/v1/articles/"
SERIES = "/api/v1/series/"
AUTHORS = "/api/v1/authors/"
TOPICS = "/api/v1/topics/"
ARTICLE = "/api/v1/articles/sleep-and-memory/"
ONE_SERIES = "/api/v1/series/sleep-series/"
AUTHOR = "/api/v1/authors/ada-lovelace/"
TOPIC = "/api/v1/topics/mental-health/"
LISTS = (ARTICLES, SERIES, AUTHORS, TOPICS)
DETAILS = (ARTICLE, ONE_SERIES, AUTHOR, TOPIC)


def published_article(journal, day: int, *, authors, topics, tags, **fields) -> ArticlePage:
    """An article published `day` days after EPOCH, as the `make_article` fixture makes it."""
    article = ArticlePageFactory(parent=journal, **fields)
    byline(article, *authors)
    article.topics.set(topics)
    article.tags.add(*tags)
    publish(article)
    when = EPOCH + timedelta(days=day)
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=when, last_published_at=when
    )
    article.refresh_from_db()
    return article


def default_site_journal() -> ArticleIndexPage:
    """The journal as the root page of the default site, as the `journal` fixture makes it."""
    journal = ArticleIndexPageFactory(
        parent=Page.get_first_root_node(), title="Folio Health", slug="folio-health"
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": journal, "site_name": "Folio"},
    )
    return journal


def build_journal_content() -> list[ArticlePage]:
    """Three articles by Ada on mental health in two series; a draft series; spare names."""
    journal = default_site_journal()
    topic = TopicFactory(name="Mental health", slug="mental-health")
    ada = AuthorFactory(name="Ada Lovelace", slug="ada-lovelace")
    AuthorFactory(name="Grace Hopper", slug="grace-hopper")
    TopicFactory(name="Sleep", slug="sleep")
    articles = [
        published_article(journal, day, title=title, authors=[ada], topics=[topic], tags=["sleep"])
        for day, title in enumerate(("Sleep and memory", "Sleep and mood", "Night fears"), 1)
    ]
    series_with_members(*articles[:2], title="Sleep series", slug="sleep-series")
    series_with_members(articles[2], title="Anxiety series", slug="anxiety-series")
    series_with_members(title="Draft series", slug="draft-series", live=False)
    # The search index was updated as each article was saved (tasks run inline in tests).
    assert set(ArticlePage.objects.live().search("sleep")) == set(articles[:2])
    return articles


@pytest.fixture(scope="module")
def journal_content(django_db_setup, django_db_blocker):
    """The journal's content, built once for the module: every test here only reads (or is
    refused a write). It lives in an outer transaction rolled back after the module's last
    test; each test still runs in its own savepoint inside it, so whatever a test writes is
    undone before the next one."""
    with django_db_blocker.unblock(), transaction.atomic():
        # What the autouse `_no_reference_index` does for each test; that switch is not
        # re-entrant, so it is held for the building only, not across the tests.
        with disable_reference_index_auto_update():
            articles = build_journal_content()

        yield articles

        transaction.set_rollback(True)
    # Wagtail caches the sites' root paths; the journal just rolled back is gone.
    Site.clear_site_root_paths_cache()


@pytest.fixture
def client(journal_content):
    """An API client on the journal's site with CSRF checks on, as for any real client (which
    never has a token)."""
    return Client(enforce_csrf_checks=True, HTTP_HOST="localhost")


def issued_cursor(client, path: str, **params) -> str:
    """The cursor of the `next` link the server itself issues for `path` with `params`."""
    response = client.get(path, params)
    assert response.status_code == 200, response.content[:300]
    link = response.json()["next"]
    assert link, f"{path} {params} has no next page to take a cursor from"
    return parse_qs(urlsplit(link).query)["cursor"][0]


def q(**params) -> str:
    return urlencode(params)


ARTICLE_FILTER_VALUES = {
    "series": "sleep-series",
    "topic": "mental-health",
    "tag": "sleep",
    "author": "ada-lovelace",
    "published_after": "2026-01-01T00:00:00Z",
    "published_before": "2027-01-01T00:00:00Z",
    "updated_since": "2026-01-01T00:00:00Z",
    "search": "sleep",
    "ordering": "title",
    "fields": "id,title",
    "id": "1,2",
}


def assert_no_leak(response):
    assert b"Traceback" not in response.content
    assert b"<html" not in response.content.lower()


def assert_error(response, *, status: int, code: str, detail: str | None = None) -> dict:
    """The contract's error envelope, with `status` matching the HTTP status."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].split(";")[0] == "application/json"
    assert_no_leak(response)
    body = json.loads(response.content)
    assert list(body) == ["error"]
    error = body["error"]
    assert set(error) == {"status", "code", "message", "details"}
    assert error["status"] == status
    assert error["code"] == code
    assert isinstance(error["message"], str)
    assert error["message"]
    assert isinstance(error["details"], dict)
    for problems in error["details"].values():
        assert isinstance(problems, list)
        assert problems
        assert all(isinstance(problem, str) for problem in problems)
    if detail is not None:
        assert detail in error["details"], error
    return error
