"""The admin forms for articles, series, authors and topics open and save real form data."""

import json

import pytest
import wagtail_factories
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from articles.blocks import CALLOUT_FEATURES, PARAGRAPH_FEATURES
from articles.models import ArticlePage, Author, Series, Topic
from tests.factories import (
    ArticleIndexPageFactory,
    ArticlePageFactory,
    AuthorFactory,
    ReviewerFactory,
    SeriesFactory,
    TopicFactory,
    series_with_members,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def snippet_url(model_name: str, action: str, *args) -> str:
    return reverse(f"wagtailsnippets_articles_{model_name}:{action}", args=args)


def article_form_data(*, title, slug, authors, topics=(), image=None, reviewer=None, **extra):
    """The POST data of the article editor, field by field, as the browser sends it."""
    body = [
        ("heading", {"text": "What the trials found", "level": "h2", "anchor": ""}),
        (
            "paragraph",
            rich_text(
                "<p>Two <b>randomised</b> trials reported benefit.</p>", features=PARAGRAPH_FEATURES
            ),
        ),
        ("quote", {"quote": "It is not a cure.", "attribution": "A psychiatrist"}),
        (
            "callout",
            {
                "kind": "risks",
                "title": "Risks and side effects",
                "body": rich_text(
                    "<p>Dissociation and raised blood pressure.</p>", features=CALLOUT_FEATURES
                ),
            },
        ),
        (
            "list",
            {
                "style": "unordered",
                "items": {
                    "count": "2",
                    "0": {"value": "Screening first", "deleted": "", "order": "0", "id": ""},
                    "1": {"value": "Monitoring after", "deleted": "", "order": "1", "id": ""},
                },
            },
        ),
        (
            "table",
            json.dumps(
                {
                    "data": [["Trial", "Patients"], ["A", "120"]],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_header_choice": "row",
                    "table_caption": "Trials",
                }
            ),
        ),
        (
            "references",
            {
                "heading": "References",
                "citations": {
                    "count": "1",
                    "0": {
                        "value": {
                            "authors": "Smith J",
                            "title": "A trial",
                            "source": "A journal",
                            "year": "2024",
                            "url": "https://example.org/trial",
                            "doi": "10.1000/xyz",
                        },
                        "deleted": "",
                        "order": "0",
                        "id": "",
                    },
                },
            },
        ),
    ]
    if image is not None:
        body.insert(
            2,
            (
                "image",
                {"image": image.pk, "alt": "A clinic room", "caption": "", "credit": "Folio"},
            ),
        )
    data = {
        "title": title,
        "slug": slug,
        "subtitle": "What the evidence says",
        "summary": "A careful look at a new treatment.",
        "hero_image": image.pk if image else "",
        "hero_image_alt": "A clinic room" if image else "",
        "hero_image_caption": "",
        "hero_image_credit": "",
        "body": streamfield(body),
        "article_authors": inline_formset([{"author": author.pk} for author in authors], min=1),
        "tags": "ketamine, depression",
        "medical_reviewer": reviewer.pk if reviewer else "",
        "medical_reviewed_at": "2026-10-01" if reviewer else "",
        "references": inline_formset(
            [{"title": "NICE guidance", "url": "https://example.org/nice"}]
        ),
        "syndication_allowed": "on",
        "syndication_license": "cc-by-4.0",
        "syndication_attribution": "First published by Folio Health",
        "canonical_url": "",
        "seo_title": "",
        "search_description": "",
        "comments": inline_formset([]),
        **extra,
    }
    form = nested_form_data(data)
    form["topics"] = [str(topic.pk) for topic in topics]
    return form


class TestArticleEditor:
    def test_the_add_form_opens(self, admin_client, journal):
        response = admin_client.get(
            reverse("wagtailadmin_pages:add", args=("articles", "articlepage", journal.pk))
        )
        assert response.status_code == 200
        assert b"Medical review" in response.content

    def test_creating_and_publishing_saves_every_part_of_the_article(self, admin_client, journal):
        author, second_author = AuthorFactory(), AuthorFactory()
        reviewer = ReviewerFactory()
        topic = TopicFactory()
        image = wagtail_factories.ImageFactory()

        response = admin_client.post(
            reverse("wagtailadmin_pages:add", args=("articles", "articlepage", journal.pk)),
            article_form_data(
                title="Ketamine for depression",
                slug="ketamine-for-depression",
                authors=[second_author, author],
                topics=[topic],
                image=image,
                reviewer=reviewer,
                **{"action-publish": "publish"},
            ),
        )

        assert response.status_code == 302, response.context["form"].errors
        article = ArticlePage.objects.get(slug="ketamine-for-depression")
        assert article.live
        assert [block.block_type for block in article.body] == [
            "heading",
            "paragraph",
            "image",
            "quote",
            "callout",
            "list",
            "table",
            "references",
        ]
        assert article.body[0].value["anchor"] == "what-the-trials-found"
        assert article.ordered_authors == [second_author, author]
        assert list(article.topics.all()) == [topic]
        assert sorted(article.tags.names()) == ["depression", "ketamine"]
        assert article.medical_reviewer == reviewer
        assert [(r.title, r.url) for r in article.references.all()] == [
            ("NICE guidance", "https://example.org/nice")
        ]
        assert article.syndication_license == "cc-by-4.0"
        assert article.hero_image == image

    def test_an_existing_article_opens_and_saves_a_draft(self, admin_client, journal):
        author = AuthorFactory()
        article = ArticlePageFactory(parent=journal, title="Original title", slug="original")
        edit_url = reverse("wagtailadmin_pages:edit", args=(article.pk,))

        assert admin_client.get(edit_url).status_code == 200
        response = admin_client.post(
            edit_url, article_form_data(title="Changed title", slug="original", authors=[author])
        )

        assert response.status_code == 302
        article.refresh_from_db()
        assert article.title == "Original title"  # a draft leaves the live version alone
        assert article.get_latest_revision_as_object().title == "Changed title"

    def test_a_slug_used_by_another_article_is_refused_with_a_clear_message(
        self, admin_client, journal
    ):
        other_journal = ArticleIndexPageFactory(parent=Page.get_first_root_node())
        ArticlePageFactory(parent=other_journal, title="Sleep and memory", slug="sleep")
        author = AuthorFactory()
        count = ArticlePage.objects.count()

        response = admin_client.post(
            reverse("wagtailadmin_pages:add", args=("articles", "articlepage", journal.pk)),
            article_form_data(title="Another", slug="sleep", authors=[author]),
        )

        assert response.status_code == 200
        assert "Sleep and memory" in str(response.context["form"].errors["slug"])
        assert ArticlePage.objects.count() == count


class TestSnippetEditors:
    def test_author_create_and_edit(self, admin_client):
        response = admin_client.post(
            snippet_url("author", "add"),
            {
                "name": "Dana Okafor",
                "slug": "dana-okafor",
                "credentials": "PsyD",
                "role": "Psychologist",
                "bio": "",
                "photo": "",
            },
        )
        assert response.status_code == 302
        author = Author.objects.get(slug="dana-okafor")

        assert admin_client.get(snippet_url("author", "edit", author.pk)).status_code == 200
        response = admin_client.post(
            snippet_url("author", "edit", author.pk),
            {
                "name": "Dana Okafor",
                "slug": "dana-okafor",
                "credentials": "PsyD, PhD",
                "role": "Psychologist",
                "bio": "Clinician.",
                "photo": "",
            },
        )
        assert response.status_code == 302
        author.refresh_from_db()
        assert author.credentials == "PsyD, PhD"
        assert author.revisions.count() == 2

    def test_topic_create_and_edit(self, admin_client):
        response = admin_client.post(
            snippet_url("topic", "add"), {"name": "Sleep", "slug": "sleep", "description": ""}
        )
        assert response.status_code == 302
        topic = Topic.objects.get(slug="sleep")
        assert admin_client.get(snippet_url("topic", "edit", topic.pk)).status_code == 200
        admin_client.post(
            snippet_url("topic", "edit", topic.pk),
            {"name": "Sleep", "slug": "sleep", "description": "Rest and recovery."},
        )
        topic.refresh_from_db()
        assert topic.description == "Rest and recovery."

    def test_series_created_and_published_with_members_in_the_submitted_order(
        self, admin_client, journal
    ):
        a, b, c = (ArticlePageFactory(parent=journal) for _ in range(3))
        data = nested_form_data(
            {
                "title": "New frontiers",
                "slug": "new-frontiers",
                "description": "",
                "image": "",
                "members": inline_formset(
                    [
                        {"article": c.pk, "ORDER": "1"},
                        {"article": a.pk, "ORDER": "0"},
                        {"article": b.pk, "ORDER": "2"},
                    ]
                ),
                "action-publish": "publish",
            }
        )
        assert admin_client.get(snippet_url("series", "add")).status_code == 200

        response = admin_client.post(snippet_url("series", "add"), data)

        assert response.status_code == 302
        series = Series.objects.get(slug="new-frontiers")
        assert series.live
        assert [m.article_id for m in series.members.all()] == [a.pk, c.pk, b.pk]

    def test_series_edit_form_reorders_by_drag_and_drop_order_fields(self, admin_client, journal):
        a, b = (ArticlePageFactory(parent=journal) for _ in range(2))
        series = series_with_members(a, b)
        members = list(series.members.all())
        edit_url = snippet_url("series", "edit", series.pk)
        assert admin_client.get(edit_url).status_code == 200

        data = nested_form_data(
            {
                "title": series.title,
                "slug": series.slug,
                "description": "",
                "image": "",
                "members": inline_formset(
                    [
                        # The admin's drag and drop renumbers ORDER from 1 in the new order.
                        {"id": members[0].pk, "article": a.pk, "ORDER": "2"},
                        {"id": members[1].pk, "article": b.pk, "ORDER": "1"},
                    ],
                    initial=2,
                ),
                "action-publish": "publish",
            }
        )
        response = admin_client.post(edit_url, data)

        assert response.status_code == 302
        assert [m.article_id for m in Series.objects.get(pk=series.pk).members.all()] == [
            b.pk,
            a.pk,
        ]

    def test_an_article_of_another_series_is_refused_with_its_series_named(
        self, admin_client, journal
    ):
        article = ArticlePageFactory(parent=journal, title="Ketamine and depression")
        series_with_members(article, title="New frontiers")

        response = admin_client.post(
            snippet_url("series", "add"),
            nested_form_data(
                {
                    "title": "Mood",
                    "slug": "mood",
                    "description": "",
                    "image": "",
                    "members": inline_formset([{"article": article.pk}]),
                }
            ),
        )

        assert response.status_code == 200
        assert "already part 1 of the series “New frontiers”" in response.content.decode()
        assert not Series.objects.filter(slug="mood").exists()

    def test_the_same_article_twice_in_one_series_is_refused(self, admin_client, journal):
        article = ArticlePageFactory(parent=journal, title="Sleep debt")

        response = admin_client.post(
            snippet_url("series", "add"),
            nested_form_data(
                {
                    "title": "Sleep",
                    "slug": "sleep-series",
                    "description": "",
                    "image": "",
                    "members": inline_formset([{"article": article.pk}, {"article": article.pk}]),
                }
            ),
        )

        assert response.status_code == 200
        assert "listed twice" in response.content.decode()
        assert not Series.objects.filter(slug="sleep-series").exists()

    def test_the_series_list_shows_live_and_draft_series(self, admin_client):
        SeriesFactory(title="Published one")
        SeriesFactory(title="Draft one", live=False)

        response = admin_client.get(snippet_url("series", "list"))

        assert response.status_code == 200
        assert "Published one" in response.content.decode()
        assert "Draft one" in response.content.decode()
