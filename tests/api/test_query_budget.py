"""The query plan is constant: the same number of queries for 1 item as for 100."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import ArticlePage
from tests.api.conftest import get_json
from tests.factories import AuthorFactory, TopicFactory, series_with_members

pytestmark = pytest.mark.django_db

# Without the per-worker site rule (test settings switch it off): the site and the view
# restrictions are two of these; with it (production), they cost nothing.
LIST_BUDGET = 8
DETAIL_BUDGET = 10


def queries_for(client, path, **params) -> int:
    client.get(path, params)  # warm: the first request also fills Wagtail's own caches
    with CaptureQueriesContext(connection) as captured:
        get_json(client, path, **params)
    return len(captured)


@pytest.fixture
def rich_articles(make_article):
    """Articles that each have two authors, two topics, tags, a hero image and a series."""
    topics = [TopicFactory(), TopicFactory()]
    articles = [
        make_article(
            authors=[AuthorFactory(), AuthorFactory()],
            topics=topics,
            tags=["sleep", f"tag-{n}"],
            image=True,
        )
        for n in range(12)
    ]
    series_with_members(*articles[:6])
    series_with_members(*articles[6:])
    return articles


def test_article_list_costs_the_same_for_one_item_and_a_hundred(api, rich_articles):
    one = queries_for(api, "/api/v1/articles/", limit=1)
    hundred = queries_for(api, "/api/v1/articles/", limit=100)

    assert one == hundred
    assert hundred <= LIST_BUDGET


def test_every_list_item_really_carries_the_related_data(api, rich_articles):
    results = get_json(api, "/api/v1/articles/", limit=100)["results"]

    assert len(results) == 12
    for item in results:
        assert len(item["authors"]) == 2
        assert len(item["topics"]) == 2
        assert "sleep" in item["tags"]
        assert item["series"]["total"] == 6
        assert set(item["hero_image"]["renditions"]) >= {"thumbnail", "card", "hero"}


def test_filtered_and_reordered_lists_keep_a_constant_plan(api, rich_articles):
    series_slug = get_json(api, "/api/v1/series/")["results"][0]["slug"]
    for params in ({"series": series_slug}, {"ordering": "title"}, {"tag": "sleep"}):
        assert queries_for(api, "/api/v1/articles/", limit=1, **params) == queries_for(
            api, "/api/v1/articles/", limit=100, **params
        )


def test_article_detail_stays_within_budget(api, rich_articles):
    article = rich_articles[3]

    assert queries_for(api, f"/api/v1/articles/{article.slug}/") <= DETAIL_BUDGET


def test_series_detail_costs_the_same_for_two_members_and_twelve(api, make_article):
    small = series_with_members(*(make_article(image=True) for _ in range(2)))
    large = series_with_members(*(make_article(image=True) for _ in range(12)))

    assert queries_for(api, f"/api/v1/series/{small.slug}/") == queries_for(
        api, f"/api/v1/series/{large.slug}/"
    )


def test_author_and_topic_lists_are_constant(api, rich_articles):
    for path in ("/api/v1/authors/", "/api/v1/topics/", "/api/v1/series/"):
        assert queries_for(api, path, limit=1) == queries_for(api, path, limit=100)


def test_the_list_never_loads_article_bodies(api, rich_articles):
    with CaptureQueriesContext(connection) as captured:
        get_json(api, "/api/v1/articles/", limit=100)
    body_column = f'"{ArticlePage._meta.db_table}"."body"'
    assert not any(body_column in query["sql"] for query in captured.captured_queries)


def test_with_the_site_rule_kept_a_list_and_a_detail_cost_two_queries_less(
    api, rich_articles, settings
):
    article = rich_articles[3]
    looked_up = (
        queries_for(api, "/api/v1/articles/", limit=100),
        queries_for(api, f"/api/v1/articles/{article.slug}/"),
    )
    settings.API_SITE_RULE_MEMO = True

    kept = (
        queries_for(api, "/api/v1/articles/", limit=100),
        queries_for(api, f"/api/v1/articles/{article.slug}/"),
    )

    assert kept == (looked_up[0] - 2, looked_up[1] - 2)
    assert kept[0] <= LIST_BUDGET - 2
