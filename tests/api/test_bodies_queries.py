"""Rendering an article body makes no database queries, checked with real saved content."""

import json

import pytest
import wagtail_factories

from api.content.bodies import BodyContext, body_references, render_body
from articles.models import ArticlePage
from tests.api.body_support import (
    CONTEXT,
    IMAGE,
    body,
    callout,
    every_block_type,
    heading,
    image,
    paragraph,
)
from tests.factories import ArticlePageFactory


@pytest.mark.django_db
class TestNoQueries:
    def test_rendering_a_body_loaded_from_json_makes_no_queries(self, django_assert_num_queries):
        stream = body(*every_block_type())

        with django_assert_num_queries(0):
            refs = body_references(stream)
            blocks, body_html = render_body(stream, CONTEXT)

        assert refs.image_ids == {5}
        assert len(blocks) == 9
        assert body_html

    def test_rendering_a_saved_article_makes_no_queries(self, journal, django_assert_num_queries):
        photo = wagtail_factories.ImageFactory()
        raw = [
            heading(),
            paragraph('<p><a linktype="page" id="3">a</a></p>'),
            image(image_id=photo.pk, alt="A photo"),
            callout(),
        ]
        saved = ArticlePageFactory(parent=journal, body=json.dumps(raw))
        article = ArticlePage.objects.get(pk=saved.pk)
        context = BodyContext(CONTEXT.page_urls, {}, {photo.pk: {**IMAGE, "id": photo.pk}})

        with django_assert_num_queries(0):
            refs = body_references(article.body)
            blocks, _ = render_body(article.body, context)

        assert refs.image_ids == {photo.pk}
        assert [b["type"] for b in blocks] == ["heading", "paragraph", "image", "callout"]
        assert blocks[2]["value"]["image"]["id"] == photo.pk

    def test_rendering_a_body_holding_image_instances_makes_no_queries(
        self, django_assert_num_queries
    ):
        photo = wagtail_factories.ImageFactory()
        page = ArticlePage(
            body=[("image", {"image": photo, "alt": "A photo", "caption": "", "credit": ""})]
        )
        context = BodyContext({}, {}, {photo.pk: {**IMAGE, "id": photo.pk}})

        with django_assert_num_queries(0):
            refs = body_references(page.body)
            blocks, _ = render_body(page.body, context)

        assert refs.image_ids == {photo.pk}
        assert blocks[0]["value"]["image"]["alt"] == "A photo"
