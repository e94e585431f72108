"""Visibility: each site sees only its own articles, also after one moves to another site."""

# ruff: noqa: F811  (its fixtures come from visibility_datasets)

import pytest

from tests.api.conftest import error_of, get_json
from tests.api.visibility_datasets import (  # noqa: F401
    crawl_everything,
    dataset,
    datasets,
    journal,
    other_api,
    other_journal,
)
from tests.api.visibility_world import CONTROL, marked, page_link, slugs

pytestmark = pytest.mark.django_db


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
