"""A retracted article's detail: it keeps answering, with its retraction and a notice in place
of the body; the original body only for a full-text partner that asks; the `include` check."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.partners.provisioning import api_key_issue, partner_create
from articles.models import ArticleRetraction
from articles.retraction import NotAnEditor, RetractionRefused, article_retract
from tests.api.conftest import error_of, get_json
from tests.api.test_preview import client_preview_url, preview_params
from tests.api.test_query_budget import DETAIL_BUDGET, queries_for
from tests.factories import publish

pytestmark = pytest.mark.django_db

BODY = "zqoriginalbodymarker"
REASON = "The trial it reported was withdrawn by its authors.\nIts data could not be verified."
DETAIL = "/api/v1/articles/the-article/"


@pytest.fixture
def article(make_article):
    return make_article(
        slug="the-article",
        body=[("paragraph", f"<p>The {BODY} of the article.</p>")],
    )


@pytest.fixture
def retracted(article, editor):
    article_retract(article, reason=REASON, user=editor)
    return article


def key_for(*, full_text: bool) -> str:
    partner = partner_create(name=f"Partner full={full_text}", full_text=full_text)
    return api_key_issue(partner=partner, name="web")[1]


def as_partner(api, path, key, status=200, **params):
    response = api.get(path, params, HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert response.status_code == status, (response.status_code, response.content[:300])
    return response.json()


def is_notice(detail) -> bool:
    [block] = detail["body"]
    return (
        block["type"] == "callout"
        and block["id"] == "retraction-notice"
        and block["value"]["kind"] == "warning"
        and "withdrawn by its authors" in block["value"]["html"]
        and "withdrawn by its authors" in detail["body_html"]
        and BODY not in detail["body_html"]
    )


class TestTheShape:
    def test_an_article_that_stands_is_published_without_a_retraction(self, api, article):
        detail = get_json(api, DETAIL)

        assert detail["status"] == "published"
        assert detail["retraction"] is None
        assert BODY in detail["body_html"]

    def test_a_retracted_article_keeps_its_url_with_its_retraction(self, api, retracted):
        detail = get_json(api, DETAIL)
        record = ArticleRetraction.objects.get(article=retracted)

        assert detail["status"] == "retracted"
        assert detail["retraction"] == {
            "at": record.at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "reason": REASON,
        }
        assert detail["id"] == retracted.pk and detail["slug"] == "the-article"

    def test_the_notice_takes_the_place_of_the_body(self, api, retracted):
        detail = get_json(api, DETAIL)

        assert is_notice(detail)
        assert BODY not in str(detail["body"])
        # Each line of the reason is a paragraph of the notice, escaped.
        assert "<p>Its data could not be verified.</p>" in detail["body_html"]

    def test_the_notice_is_escaped(self, api, article, editor):
        article_retract(article, reason="<script>alert(1)</script> & more", user=editor)

        detail = get_json(api, DETAIL)

        assert "<script>" not in detail["body_html"]
        assert "<script>" not in detail["body"][0]["value"]["html"]
        assert detail["retraction"]["reason"] == "<script>alert(1)</script> & more"

    def test_last_modified_moves_to_the_retraction(self, api, article, editor):
        before = api.get(DETAIL)["Last-Modified"]
        article_retract(article, reason=REASON, user=editor)

        assert api.get(DETAIL)["Last-Modified"] != before

    def test_publishing_again_does_not_undo_it(self, api, retracted):
        retracted.title = "A new title"
        publish(retracted)

        detail = get_json(api, DETAIL)
        assert detail["status"] == "retracted"
        assert detail["title"] == "A new title"
        assert is_notice(detail)

    def test_a_draft_of_it_previews_as_retracted(self, api, client, retracted, editor):
        client.force_login(editor)
        url = client_preview_url(client, retracted, title="A draft title")

        preview = get_json(api, "/api/v1/preview/", **preview_params(url))
        assert preview["title"] == "A draft title"
        assert preview["status"] == "retracted"
        assert preview["retraction"]["reason"] == REASON

    def test_a_draft_of_a_standing_article_previews_as_published(
        self, api, client, article, editor
    ):
        client.force_login(editor)
        url = client_preview_url(client, article, title="A draft title")

        preview = get_json(api, "/api/v1/preview/", **preview_params(url))
        assert preview["status"] == "published" and preview["retraction"] is None

    def test_unpublished_after_retraction_it_is_gone(self, api, retracted):
        retracted.unpublish()

        error_of(api, DETAIL, 404)


class TestTheOriginalBody:
    def test_a_full_text_partner_that_asks_gets_the_body(self, api, retracted):
        detail = as_partner(api, DETAIL, key_for(full_text=True), include="retracted_body")

        assert detail["status"] == "retracted"
        assert BODY in detail["body_html"]
        assert detail["syndication"]["full_text"] is True

    def test_a_full_text_partner_that_does_not_ask_gets_the_notice(self, api, retracted):
        assert is_notice(as_partner(api, DETAIL, key_for(full_text=True)))

    def test_a_partner_without_the_right_gets_the_notice_even_when_asking(self, api, retracted):
        detail = as_partner(api, DETAIL, key_for(full_text=False), include="retracted_body")

        assert is_notice(detail)
        assert detail["syndication"]["full_text"] is False

    def test_an_anonymous_reader_gets_the_notice_even_when_asking(self, api, retracted):
        assert is_notice(get_json(api, DETAIL, include="retracted_body"))

    def test_not_for_an_article_partners_may_not_see(self, api, make_article, editor):
        closed = make_article(
            slug="closed", body=[("paragraph", f"<p>{BODY}</p>")], syndication_allowed=False
        )
        article_retract(closed, reason=REASON, user=editor)

        key = key_for(full_text=True)
        as_partner(api, "/api/v1/articles/closed/", key, status=404, include="retracted_body")

    def test_include_changes_nothing_for_an_article_that_stands(self, api, article):
        key = key_for(full_text=True)

        assert as_partner(api, DETAIL, key, include="retracted_body") == as_partner(
            api, DETAIL, key
        )


class TestTheIncludeParameter:
    @pytest.mark.parametrize("value", ["body", "retracted_body,body", "RETRACTED_BODY", " "])
    def test_any_other_value_is_invalid(self, api, retracted, value):
        error = error_of(api, DETAIL, 400, include=value)

        assert error["code"] == "invalid_parameter"
        assert "include" in error["details"]

    def test_it_is_checked_before_the_article_is_looked_up(self, api, journal):
        error = error_of(api, "/api/v1/articles/no-such-article/", 400, include="nope")

        assert error["code"] == "invalid_parameter"

    def test_given_twice_it_is_invalid(self, api, retracted):
        response = api.get(f"{DETAIL}?include=retracted_body&include=retracted_body")

        assert response.status_code == 400
        assert response.json()["error"]["code"] == "invalid_parameter"

    def test_other_parameters_are_still_unknown(self, api, retracted):
        assert error_of(api, DETAIL, 400, limit="1")["code"] == "unknown_parameter"


class TestQueries:
    def test_a_retracted_detail_costs_what_a_standing_one_does(self, api, make_article, editor):
        # Each between two visible articles, so that both have links to load.
        make_article(slug="before")
        standing = make_article(slug="standing", body=[("paragraph", "<p>Text.</p>")])
        gone = make_article(slug="gone", body=[("paragraph", "<p>Text.</p>")])
        make_article(slug="after")
        article_retract(gone, reason=REASON, user=editor)

        standing_cost = queries_for(api, f"/api/v1/articles/{standing.slug}/")
        assert queries_for(api, f"/api/v1/articles/{gone.slug}/") <= standing_cost
        assert standing_cost <= DETAIL_BUDGET

    def test_the_retraction_is_read_in_the_detail_statement(self, api, retracted):
        api.get(DETAIL)  # warm Wagtail's caches
        with CaptureQueriesContext(connection) as queries:
            get_json(api, DETAIL)

        # Joined into the detail's statement (other reads only exclude retracted articles,
        # with NOT EXISTS in their own statements); never a query of its own.
        joined = [
            q["sql"] for q in queries if 'LEFT OUTER JOIN "articles_articleretraction"' in q["sql"]
        ]
        own = [
            q["sql"]
            for q in queries
            if 'FROM "articles_articleretraction"' in q["sql"].split("WHERE")[0]
        ]
        assert len(joined) == 1 and not own


class TestWhoMayRetract:
    def test_a_writer_is_refused_and_nothing_is_recorded(self, api, article, writer):
        with pytest.raises(NotAnEditor, match="only Editors"):
            article_retract(article, reason=REASON, user=writer)

        assert not ArticleRetraction.objects.exists()
        assert get_json(api, DETAIL)["status"] == "published"

    def test_a_medical_reviewer_is_refused(self, article, reviewer):
        with pytest.raises(NotAnEditor):
            article_retract(article, reason=REASON, user=reviewer)

    def test_an_editor_and_a_superuser_may(self, make_article, editor, superuser):
        article_retract(make_article(slug="one"), reason=REASON, user=editor)
        article_retract(make_article(slug="two"), reason=REASON, user=superuser)

        assert ArticleRetraction.objects.count() == 2
        assert ArticleRetraction.objects.filter(retracted_by=editor).exists()

    def test_an_inactive_editor_is_refused(self, article, editor):
        editor.is_active = False
        editor.save()

        with pytest.raises(NotAnEditor):
            article_retract(article, reason=REASON, user=editor)

    @pytest.mark.parametrize("reason", ["", "   ", "x" * 4001])
    def test_a_reason_is_required_and_bounded(self, article, editor, reason):
        with pytest.raises(RetractionRefused):
            article_retract(article, reason=reason, user=editor)

    def test_an_unpublished_article_cannot_be_retracted(self, article, editor):
        article.unpublish()

        with pytest.raises(RetractionRefused, match="not published"):
            article_retract(article, reason=REASON, user=editor)

    def test_a_retraction_is_recorded_once(self, retracted, editor):
        with pytest.raises(RetractionRefused, match="already retracted"):
            article_retract(retracted, reason="Again", user=editor)

        assert ArticleRetraction.objects.count() == 1
