"""OpenAPI test support: real content built once per module, the document and its validator.

Every response shape checked comes from a real request against real content, validated with
openapi-core against the document the server itself publishes.
"""

import json
from datetime import date, timedelta

import pytest
import wagtail_factories
from django.db import transaction
from django.test import Client, override_settings
from openapi_core import OpenAPI
from wagtail.models import Page, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from articles.models import ArticleIndexPage, ArticlePage
from tests.api.conftest import EPOCH
from tests.factories import (
    ArticleIndexPageFactory,
    ArticlePageFactory,
    AuthorFactory,
    ReviewerFactory,
    TopicFactory,
    byline,
    publish,
    series_with_members,
)

SCHEMA_PATH = "/api/v1/schema/"
CONTRACT_PATHS = (
    "/api/v1/articles/",
    "/api/v1/articles/{slug}/",
    "/api/v1/series/",
    "/api/v1/series/{slug}/",
    "/api/v1/authors/",
    "/api/v1/authors/{slug}/",
    "/api/v1/topics/",
    "/api/v1/topics/{slug}/",
)
LIST_PATHS = tuple(path for path in CONTRACT_PATHS if "{slug}" not in path)
DETAIL_PATHS = tuple(path for path in CONTRACT_PATHS if "{slug}" in path)


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


def published_article(journal, day: int, *, authors, topics=(), tags=(), image=False):
    """An article published `day` days after EPOCH, as the `make_article` fixture makes it."""
    article = ArticlePageFactory(parent=journal)
    byline(article, *authors)
    if topics:
        article.topics.set(topics)
    if tags:
        article.tags.add(*tags)
    if image:
        article.hero_image = wagtail_factories.ImageFactory(file__width=1600, file__height=900)
        article.hero_image_alt = "A described image"
    publish(article)
    when = EPOCH + timedelta(days=day)
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=when, last_published_at=when
    )
    article.refresh_from_db()
    return article


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    """Where the module's images are stored: they outlive a test, so not in its `tmp_path`."""
    return tmp_path_factory.mktemp("openapi-media")


@pytest.fixture(autouse=True)
def _media_root(settings, media_root):
    """Every test reads the module's images (conftest's `_media_root` gives each test its own
    empty directory, where the originals of the images built once per module are missing)."""
    settings.MEDIA_ROOT = media_root


@pytest.fixture(scope="module")
def content(django_db_setup, django_db_blocker, media_root):
    """The journal and its content, built once for the module: every test here only reads.

    It lives in an outer transaction rolled back after the module's last test; each test
    still runs in its own savepoint inside it, so whatever a test writes is undone before the
    next one.
    """
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root),
        transaction.atomic(),
    ):
        # What the autouse `_no_reference_index` does for each test; that switch is not
        # re-entrant, so it is held for the building only, not across the tests.
        with disable_reference_index_auto_update():
            content = build_content(default_site_journal())

        yield content

        transaction.set_rollback(True)
    # Wagtail caches the sites' root paths; the journal just rolled back is gone.
    Site.clear_site_root_paths_cache()


@pytest.fixture
def api(content):
    """A client addressing the journal's site (the default site, hostname localhost)."""
    return Client(HTTP_HOST="localhost")


@pytest.fixture(scope="module")
def schema(content, django_db_blocker):
    """The document the server publishes, fetched once for the module: the tests only read it."""
    with django_db_blocker.unblock():
        response = Client(HTTP_HOST="localhost").get(SCHEMA_PATH, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


@pytest.fixture(scope="module")
def openapi(schema):
    """The document's validator, made once: building it checks the whole document (seconds)."""
    return OpenAPI.from_dict(schema)


def build_content(journal) -> dict:
    """A small journal: a series of three, a topic, tags, hero images and a full-body article."""
    topic = TopicFactory(name="Mental health", slug="mental-health")
    writer = AuthorFactory(name="Ada Lovelace", slug="ada-lovelace", credentials="PhD")
    members = [
        published_article(
            journal, day, authors=[writer], topics=[topic], tags=["sleep"], image=True
        )
        for day in (1, 2, 3)
    ]
    plain = published_article(journal, 4, authors=[writer])  # no image, series or topics
    series = series_with_members(*members, title="Sleep series", slug="sleep-series")
    series.image = wagtail_factories.ImageFactory()
    series.save()
    writer.photo = wagtail_factories.ImageFactory()
    writer.save()

    body_image = wagtail_factories.ImageFactory()
    blocks = [
        ("heading", {"text": "T", "level": "h2", "anchor": ""}),
        ("paragraph", f'<p>See <a linktype="page" id="{plain.pk}">this</a></p>'),
        ("image", {"image": body_image.pk, "alt": "x", "caption": "c", "credit": "k"}),
        ("quote", {"quote": "q", "attribution": "a"}),
        ("callout", {"kind": "risks", "title": "t", "body": "<p>b</p>"}),
        ("list", {"style": "ordered", "items": ["a", "b"]}),
        (
            "table",
            {
                "data": [["h1", "h2"], ["a", "b"]],
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "table_header_choice": "row",
                "table_caption": "cap",
            },
        ),
        (
            "references",
            {
                "heading": "References",
                "citations": [
                    {
                        "authors": "A",
                        "title": "T",
                        "source": "S",
                        "year": 2024,
                        "url": "https://example.org",
                        "doi": "10.1/x",
                    }
                ],
            },
        ),
    ]
    full = ArticlePageFactory(
        parent=journal,
        title="Everything at once",
        slug="everything-at-once",
        subtitle="Every block type",
        hero_image=wagtail_factories.ImageFactory(),
        hero_image_alt="A hero",
        medical_reviewer=ReviewerFactory(),
        medical_reviewed_at=date(2026, 1, 15),
        body=json.dumps([{"type": kind, "value": value} for kind, value in blocks]),
    )
    byline(full, writer)
    full.topics.set([topic])
    full.tags.add("sleep")
    publish(full)
    # The search index was updated as each article was saved (tasks run inline in tests).
    assert list(ArticlePage.objects.live().search("Everything")) == [full]
    return {
        "members": members,
        "plain": plain,
        "full": full,
        "series": series,
        "writer": writer,
        "topic": topic,
    }
