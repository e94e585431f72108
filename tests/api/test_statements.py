"""Statements compiled once per worker return what the ORM returns, whatever values are bound."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from api.content import summaries
from articles import selectors
from articles.models import ArticlePage, ArticleReference
from articles.renditions import RENDITION_SPECS
from articles.selectors import article_by_slug, navigation, plans, visibility_of_site
from articles.selectors.statements import Statement
from tests.factories import AuthorFactory, ReviewerFactory, TopicFactory, series_with_members

pytestmark = pytest.mark.django_db

# Every statement the API runs, with the ORM builder it was compiled from.
STATEMENTS_BY_IDS = {
    "bylines": (summaries._byline_rows, "article_ids"),
    "topics": (summaries._topic_rows, "article_ids"),
    "tags": (summaries._tag_rows, "article_ids"),
    "references": (summaries._reference_rows, "article_ids"),
    "series members": (navigation._series_member_rows, "article_ids"),
    "page links": (navigation._page_link_rows, "page_ids"),
}


@pytest.fixture
def articles(make_article):
    topics = [TopicFactory(), TopicFactory()]
    made = [
        make_article(
            authors=[AuthorFactory(), AuthorFactory()],
            topics=topics[: 1 + n % 2],
            tags=[f"tag-{n}", "sleep"],
            image=n % 2 == 0,
        )
        for n in range(5)
    ]
    for article in made:
        ArticleReference.objects.create(
            article=article,
            title=f"Source of {article.slug}",
            url="https://example.org/",
            sort_order=0,
        )
        ArticleReference.objects.create(
            article=article, title="A second source", url="https://example.org/2", sort_order=1
        )
    series_with_members(*made[:3])
    return made


@pytest.fixture
def site(journal):
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def visibility(site):
    return visibility_of_site(site)


def orm_rows(statement: Statement, visibility, **values) -> list[tuple]:
    """What the statement's own queryset returns through the ORM, built for these values."""
    return list(statement.build(visibility, **values))


@pytest.mark.parametrize("name", sorted(STATEMENTS_BY_IDS))
def test_a_compiled_statement_returns_the_orms_rows_for_every_set_of_ids(
    name, articles, visibility
):
    statement, argument = STATEMENTS_BY_IDS[name]
    ids = [article.pk for article in articles]
    # Different lengths are different shapes; the same length with other ids reuses one.
    for chosen in ([ids[0]], [ids[1]], ids[:2], ids[2:4], ids, [ids[4], ids[0]]):
        chosen = sorted(chosen)
        expected = orm_rows(statement, visibility, **{argument: chosen})

        assert statement.rows(visibility, **{argument: chosen}) == expected
        assert expected  # every one of these articles has rows of each kind


def test_the_renditions_statement_returns_the_orms_rows(articles, visibility):
    images = [a.hero_image for a in articles if a.hero_image_id]
    for image in images:
        image.get_renditions(*RENDITION_SPECS)  # what the worker makes at publish time
    image_ids = sorted(image.pk for image in images)
    statement = summaries._rendition_rows
    for chosen in ([image_ids[0]], image_ids, [image_ids[-1]]):
        expected = orm_rows(statement, None, image_ids=chosen)

        assert statement.rows(image_ids=chosen) == expected
        assert len(expected) == len(chosen) * len(RENDITION_SPECS)


def test_an_empty_list_of_ids_runs_no_query(visibility):
    with CaptureQueriesContext(connection) as captured:
        rows = summaries._byline_rows.rows(article_ids=[])

    assert rows == []
    assert len(captured) == 0


def test_the_moment_is_bound_so_a_scheduled_article_appears_when_its_time_comes(
    make_article, visibility
):
    """One compiled statement serves every request: the moment is a value, not SQL text."""
    article = make_article()
    go_live = timezone.now() + timedelta(hours=1)
    Page.objects.filter(pk=article.pk).update(go_live_at=go_live)
    before = replace(visibility, now=go_live - timedelta(seconds=1))
    after = replace(visibility, now=go_live + timedelta(seconds=1))

    shapes = plans._article_rows._shapes()

    hidden = article_by_slug(before, article.slug)
    compiled = dict(shapes)
    shown = article_by_slug(after, article.slug)

    assert hidden is None
    assert shown is not None and shown.pk == article.pk
    # The second moment ran the statement compiled for the first: no new shape, and a
    # bindable one (None would mean the ORM built it each time).
    assert shapes == compiled
    assert all(entry is not None for entry in compiled.values())


def test_a_new_view_restriction_is_a_new_shape_and_hides_the_article(make_article, site):
    article = make_article()
    open_rule = visibility_of_site(site)
    assert article_by_slug(open_rule, article.slug) is not None

    PageViewRestriction.objects.create(page=article, restriction_type="login")
    restricted_rule = visibility_of_site(site)

    assert restricted_rule.restricted_tree_paths != open_rule.restricted_tree_paths
    assert article_by_slug(restricted_rule, article.slug) is None
    assert selectors.page_links(restricted_rule, [article.pk]) == {}
    assert selectors.series_placements(restricted_rule, [article.pk]) == {}


def test_the_detail_row_carries_the_reviewer_and_the_neighbours(make_article, visibility):
    """Regression: the reviewer was built from columns in the wrong order (slug as name)."""
    reviewer = ReviewerFactory(name="Dr Ada Reviewer", slug="ada-reviewer", credentials="MD")
    first = make_article(days=1)
    middle = make_article(days=2, medical_reviewer=reviewer, medical_reviewed_at=date(2026, 3, 1))
    last = make_article(days=3)

    loaded = article_by_slug(visibility, middle.slug)

    assert loaded.medical_reviewer.slug == "ada-reviewer"
    assert loaded.medical_reviewer.name == "Dr Ada Reviewer"
    assert loaded.medical_reviewer.credentials == "MD"
    assert (loaded.previous_id, loaded.next_id) == (first.pk, last.pk)
    assert list(loaded.body.raw_data) == list(ArticlePage.objects.get(pk=middle.pk).body.raw_data)


def test_a_value_that_changes_on_its_way_into_the_sql_falls_back_to_the_orm(make_article):
    """A prefix becomes `prefix%`: no parameter is the stand-in, so nothing may be bound."""
    first, second = make_article(), make_article()
    by_prefix = Statement(
        Page,
        lambda _, prefix: Page.objects.filter(slug__startswith=prefix).values_list("pk"),
    )

    assert by_prefix.rows(prefix=first.slug) == [(first.pk,)]
    assert by_prefix.rows(prefix=second.slug) == [(second.pk,)]
    assert by_prefix._shapes() == {("default", None, (("prefix", None),)): None}


def test_a_partners_rule_is_its_own_shape(make_article, visibility):
    allowed = make_article(syndication_allowed=True)
    withheld = make_article(syndication_allowed=False)
    partner_rule = replace(visibility, syndicated_only=True)
    ids = sorted([allowed.pk, withheld.pk])

    assert set(selectors.page_links(visibility, ids)) == {allowed.pk, withheld.pk}
    assert set(selectors.page_links(partner_rule, ids)) == {allowed.pk}
