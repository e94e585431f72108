"""Headless preview: the admin hands the client a token; the API returns the draft, unstored."""

import re
import time
from html import unescape
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from api.delivery.preview import PREVIEWABLE
from articles.models import ArticlePage
from tests.api.conftest import error_of, get_json
from tests.articles.test_admin_forms import article_form_data
from tests.factories import AuthorFactory

pytestmark = pytest.mark.django_db


def client_preview_url(client, article, **changes) -> str:
    """Post the editor's unsaved form to the admin preview, open the client mode, return its URL."""
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=(article.pk,))
    data = article_form_data(
        title=changes.get("title", article.title),
        slug=article.slug,
        authors=changes.get("authors") or [AuthorFactory()],
    )
    assert client.post(preview_url, data).json()["is_valid"]
    response = client.get(preview_url, {"mode": ArticlePage.CLIENT_PREVIEW_MODE})
    assert response.status_code == 200
    match = re.search(r'<iframe src="([^"]+)"', response.content.decode())
    assert match, response.content[:500]
    return unescape(match.group(1))


def preview_params(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


class TestPreviewFlow:
    def test_the_client_gets_the_unsaved_draft_in_the_detail_shape(
        self, api, editor_client, make_article
    ):
        article = make_article(title="Published title", slug="previewed")

        url = client_preview_url(editor_client, article, title="Draft title, not saved")
        response = api.get("/api/v1/preview/", preview_params(url))

        assert response.status_code == 200
        data = response.json()
        assert data["title"] == "Draft title, not saved"
        assert data["slug"] == "previewed"
        assert {"body", "body_html", "navigation", "syndication"} <= set(data)
        assert response["Cache-Control"] == "no-store"
        # The public API still shows the published version.
        assert get_json(api, "/api/v1/articles/previewed/")["title"] == "Published title"

    def test_the_preview_shows_the_drafts_byline_not_the_published_one(
        self, api, editor_client, make_article
    ):
        article = make_article(slug="rebylined", authors=[AuthorFactory(name="Published Byline")])
        drafted = AuthorFactory(name="Draft Byline", credentials="MD")

        url = client_preview_url(editor_client, article, authors=[drafted])
        data = api.get("/api/v1/preview/", preview_params(url)).json()

        assert {"slug": drafted.slug, "name": "Draft Byline", "credentials": "MD"} in data[
            "authors"
        ]
        live = get_json(api, "/api/v1/articles/rebylined/")
        assert [a["name"] for a in live["authors"]] == ["Published Byline"]

    def test_the_admin_points_at_the_configured_client(self, editor_client, make_article):
        article = make_article(slug="pointed")

        url = client_preview_url(editor_client, article)

        assert url.startswith("http://127.0.0.1:8000/api/v1/preview/?")
        assert preview_params(url)["content_type"] == "articles.articlepage"

    def test_a_never_published_draft_can_be_previewed(self, api, editor_client, journal):
        from tests.factories import ArticlePageFactory

        draft = ArticlePageFactory(parent=journal, live=False, slug="brand-new")
        draft.save_revision()

        url = client_preview_url(editor_client, draft, title="First draft")
        data = get_json(api, "/api/v1/preview/", **preview_params(url))

        assert data["title"] == "First draft"
        assert data["published_at"]
        assert api.get("/api/v1/articles/brand-new/").status_code == 404


class TestPreviewTokens:
    def test_an_expired_token_is_401(self, api, editor_client, make_article, settings):
        settings.PREVIEW_TOKEN_MAX_AGE = 1
        url = client_preview_url(editor_client, make_article())
        time.sleep(2.1)

        error = error_of(api, "/api/v1/preview/", 401, **preview_params(url))
        assert error["code"] == "invalid_token"

    def test_a_forged_token_is_400(self, api, make_article):
        make_article()

        error = error_of(
            api, "/api/v1/preview/", 400, content_type="articles.articlepage", token="id=1:forged"
        )
        assert error["code"] == "invalid_token"

    def test_a_token_edited_to_name_another_page_is_refused(self, api, editor_client, make_article):
        first, second = make_article(), make_article()
        params = preview_params(client_preview_url(editor_client, first))
        value, signature = params["token"].split(":", 1)

        forged = params["token"].replace(f"id={first.pk}", f"id={second.pk}")

        assert forged != params["token"]
        error_of(api, "/api/v1/preview/", 400, content_type=params["content_type"], token=forged)
        assert value.startswith("id=") and signature

    def test_the_token_only_opens_its_own_page_type(self, api, editor_client, make_article):
        params = preview_params(client_preview_url(editor_client, make_article()))

        error = error_of(
            api, "/api/v1/preview/", 400, content_type="articles.series", token=params["token"]
        )
        assert "content_type" in error["details"]
        assert sorted(PREVIEWABLE) == ["articles.articlepage"]

    def test_both_parameters_are_required(self, api, make_article):
        make_article()

        error = error_of(api, "/api/v1/preview/", 400, content_type="articles.articlepage")
        assert "token" in error["details"]
