"""manage.py seed_bulk: bulk articles are published, listed, searchable and in series order.

The command runs once per module (rolled back at the end) with a small image library; each test
reads what it made.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from wagtail.models import Page

from articles.bulk import library
from articles.models import ArticleIndexPage, ArticlePage, Series, SeriesMember

pytestmark = pytest.mark.django_db  # so pytest-django runs these before transactional tests

ARTICLES = 30


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """Thirty bulk articles, then a second run that must add none."""
    from django.conf import settings

    patch = pytest.MonkeyPatch()
    patch.setattr(library, "HERO_IMAGES", 2)
    patch.setattr(library, "PORTRAITS", 1)
    patch.setattr(settings, "MEDIA_ROOT", tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock(), transaction.atomic():
        first, second = StringIO(), StringIO()
        call_command("seed_bulk", articles=ARTICLES, no_progress=True, stdout=first)
        call_command("seed_bulk", articles=ARTICLES, no_progress=True, stdout=second)
        yield {"first": first.getvalue(), "second": second.getvalue()}
        transaction.set_rollback(True)
    patch.undo()


@pytest.fixture
def api(seeded, db):
    return Client()


def all_listed(api, url: str) -> list[dict]:
    results = []
    while url:
        response = api.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        results += body["results"]
        url = body["next"]
    return results


def test_creates_the_articles_once(seeded):
    assert f"0 existing, {ARTICLES} created" in seeded["first"]
    assert f"{ARTICLES} existing, 0 created" in seeded["second"]
    assert ArticlePage.objects.live().count() == ARTICLES


def test_articles_sit_in_a_valid_tree_under_the_journal(seeded, db):
    journal = ArticleIndexPage.objects.get()
    children = Page.objects.child_of(journal)
    assert children.count() == ARTICLES
    assert Page.objects.get(pk=journal.pk).numchild == ARTICLES
    assert len(set(children.values_list("path", flat=True))) == ARTICLES
    for article in ArticlePage.objects.all():
        assert article.url_path == f"{journal.url_path}{article.slug}/"
        # What save() would have stored, computed from the stored body.
        assert article.reading_time_minutes == max(1, -(-article.body_word_count() // 230))


def test_the_api_lists_every_article(api):
    listed = all_listed(api, "/api/v1/articles/?limit=7")
    assert len(listed) == ARTICLES
    assert {a["slug"] for a in listed} == set(ArticlePage.objects.values_list("slug", flat=True))
    first = listed[0]
    assert first["hero_image"]["renditions"]["card"]["width"] == 640
    assert first["authors"] and first["topics"] and first["tags"]


def test_the_detail_renders_the_body(api):
    article = ArticlePage.objects.order_by("pk").first()
    response = api.get(f"/api/v1/articles/{article.slug}/")
    assert response.status_code == 200
    detail = response.json()
    assert {block["type"] for block in detail["body"]} >= {"paragraph", "heading"}
    assert "<h2" in detail["body_html"]


def test_search_finds_articles_by_title_and_body_words(api):
    article = ArticlePage.objects.order_by("pk").first()
    found = all_listed(api, f"/api/v1/articles/?search={article.title}&limit=100")
    assert article.slug in {a["slug"] for a in found}
    # A sentence every body shares in some form: the body is indexed too.
    assert all_listed(api, "/api/v1/articles/?search=participants&limit=100")


def test_series_list_members_in_the_editors_order(api):
    assert Series.objects.exists()
    for series in Series.objects.all():
        expected = list(
            SeriesMember.objects.filter(series=series)
            .order_by("sort_order")
            .values_list("article__slug", flat=True)
        )
        detail = api.get(f"/api/v1/series/{series.slug}/").json()
        assert [a["slug"] for a in detail["articles"]] == expected
        assert [a["series"]["position"] for a in detail["articles"]] == list(
            range(1, len(expected) + 1)
        )
