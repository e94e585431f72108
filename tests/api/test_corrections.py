"""Corrections as public facts: recorded through the admin's Publish, shown newest first in the
detail and the feeds, reported by sync, and a substantive one sent to partners as a signed
`article.corrected` webhook; no admin path edits or deletes one."""

# ruff: noqa: F811  (the receiver, partner and endpoint fixtures come from webhook_support)

import hashlib
import hmac
import json

import pytest
from django.urls import NoReverseMatch, get_resolver, reverse
from wagtail.test.utils.form_data import inline_formset

from api.models import WebhookEvent
from api.partners.provisioning import api_key_issue, partner_create
from articles.corrections import correction_record
from articles.models import ArticleCorrection, ArticlePage
from tests.api.conftest import get_json
from tests.api.sync_support import changed_ids, sync_to_end, token_after_full_sync
from tests.api.webhook_support import endpoint, partner, receiver, run_due  # noqa: F401
from tests.articles.test_admin_forms import article_form_data
from tests.factories import AuthorFactory

pytestmark = pytest.mark.django_db

WRONG = "The article gave the adult dose of melatonin as 50 mg"
CHANGED = "It is 0.5 to 5 mg; the dosing paragraph now says so"


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def article(make_article):
    return make_article(slug="melatonin-doses", title="Melatonin doses")


def publish_with(client, article, *, action="action-publish", **correction):
    """The admin's edit form for `article`, posted with a correction's fields."""
    bylines = list(article.article_authors.all())
    fields = {f"correction_{name}": value for name, value in correction.items()}
    return client.post(
        reverse("wagtailadmin_pages:edit", args=(article.pk,)),
        article_form_data(
            title=article.title,
            slug=article.slug,
            authors=[b.author for b in bylines],
            # The byline as it stands (its rows' ids), so the form changes only the correction.
            article_authors=inline_formset(
                [{"id": b.pk, "author": b.author_id} for b in bylines],
                initial=len(bylines),
                min=1,
            ),
            **{action: "x"},
            **fields,
        ),
    )


def detail(client, article) -> dict:
    return get_json(client, f"/api/v1/articles/{article.slug}/")


class TestRecordingInTheAdmin:
    def test_publishing_with_a_correction_records_it_with_the_revision_and_editor(
        self, editor_client, editor, article
    ):
        response = publish_with(
            editor_client, article, kind="substantive", what_was_wrong=WRONG, what_changed=CHANGED
        )

        assert response.status_code == 302, response.context["form"].errors
        [correction] = ArticleCorrection.objects.all()
        article.refresh_from_db()
        assert correction.article_id == article.pk
        assert (correction.kind, correction.what_was_wrong, correction.what_changed) == (
            "substantive",
            WRONG,
            CHANGED,
        )
        assert correction.revision_id == article.live_revision_id
        assert correction.recorded_by == editor

    def test_the_edit_page_lists_recorded_corrections_read_only(self, editor_client, article):
        correction_record(article, kind="minor", what_was_wrong="A typo", what_changed="Fixed")

        page = editor_client.get(reverse("wagtailadmin_pages:edit", args=(article.pk,)))

        html = page.content.decode()
        assert 'data-folio-corrections="1"' in html
        assert "A typo. Fixed." in html
        assert 'name="correction_kind"' in html  # to record another, never to change this one

    def test_a_draft_save_with_a_correction_is_refused_and_records_nothing(
        self, editor_client, article
    ):
        response = publish_with(
            editor_client,
            article,
            action="action-save",
            kind="minor",
            what_was_wrong="A typo",
            what_changed="Fixed",
        )

        assert response.status_code == 200
        assert "recorded when you publish" in response.content.decode()
        assert not ArticleCorrection.objects.exists()

    def test_a_correction_needs_both_texts_and_a_kind(self, editor_client, article):
        no_text = publish_with(editor_client, article, kind="minor", what_was_wrong="A typo")
        no_kind = publish_with(
            editor_client, article, what_was_wrong="A typo", what_changed="Fixed"
        )

        assert no_text.status_code == no_kind.status_code == 200
        assert "correction_what_changed" in no_text.context["form"].errors
        assert "correction_kind" in no_kind.context["form"].errors
        assert not ArticleCorrection.objects.exists()

    def test_a_publish_without_a_correction_records_none(self, editor_client, article):
        assert publish_with(editor_client, article).status_code == 302
        assert not ArticleCorrection.objects.exists()

    def test_no_admin_path_edits_or_deletes_a_correction(self, editor_client, superuser, article):
        correction = correction_record(
            article, kind="minor", what_was_wrong="A typo", what_changed="Fixed"
        )
        for name in ("edit", "delete", "add"):
            with pytest.raises(NoReverseMatch):
                reverse(f"wagtailsnippets_articles_articlecorrection:{name}", args=(correction.pk,))
        routes = json.dumps([str(p) for p in get_resolver().reverse_dict])
        assert "articlecorrection" not in routes.lower()

        # Publishing again with other correction text adds a record; the first stands.
        editor_client.force_login(superuser)
        publish_with(
            editor_client, article, kind="minor", what_was_wrong="The fix", what_changed="Again"
        )
        first = ArticleCorrection.objects.get(pk=correction.pk)
        assert (first.what_was_wrong, first.what_changed) == ("A typo", "Fixed")
        assert ArticleCorrection.objects.count() == 2


class TestTheApi:
    def test_the_detail_carries_corrections_newest_first(self, api, article):
        assert detail(api, article)["corrections"] == []
        correction_record(article, kind="minor", what_was_wrong="A typo", what_changed="Fixed")
        correction_record(article, kind="substantive", what_was_wrong=WRONG, what_changed=CHANGED)

        corrections = detail(api, article)["corrections"]

        assert [c["kind"] for c in corrections] == ["substantive", "minor"]
        newest = corrections[0]
        assert newest["note"] == f"{WRONG}. {CHANGED}."
        assert (newest["what_was_wrong"], newest["what_changed"]) == (WRONG, CHANGED)
        assert newest["at"].endswith("Z")
        assert set(newest) == {"at", "kind", "note", "what_was_wrong", "what_changed"}

    def test_the_feed_entry_shows_them(self, api, article):
        correction_record(article, kind="substantive", what_was_wrong=WRONG, what_changed=CHANGED)
        partner = partner_create(name="Full text", full_text=True)
        key = api_key_issue(partner=partner, name="feeds")[1]

        anonymous = api.get("/feeds/articles.json").json()["items"]
        full = api.get("/feeds/articles.json", {"api_key": key}).json()["items"]
        rss = api.get("/feeds/articles.rss", {"api_key": key}).content.decode()

        [item] = [i for i in anonymous if i["_folio"]["id"] == article.pk]
        assert [c["kind"] for c in item["_folio"]["corrections"]] == ["substantive"]
        assert "content_html" not in item  # no body, and so no paragraph, without the right
        [item] = [i for i in full if i["_folio"]["id"] == article.pk]
        assert item["content_html"].endswith("</p>")
        assert '<p class="folio-corrections"><strong>Corrections</strong>' in item["content_html"]
        assert "0.5 to 5 mg" in item["content_html"]
        assert "Corrections" in rss and "0.5 to 5 mg" in rss

    def test_sync_reports_the_corrected_article_as_changed(self, api, article, make_article):
        make_article(slug="untouched")
        token = token_after_full_sync(api)

        correction_record(article, kind="minor", what_was_wrong="A typo", what_changed="Fixed")

        pages, _ = sync_to_end(api, token)
        assert changed_ids(pages) == [article.pk]


class TestTheWebhook:
    def test_a_substantive_correction_is_a_signed_article_corrected(
        self, editor_client, article, endpoint, receiver
    ):
        publish_with(
            editor_client, article, kind="substantive", what_was_wrong=WRONG, what_changed=CHANGED
        )

        [event] = WebhookEvent.objects.filter(type="article.corrected")
        assert event.article_id == article.pk
        assert event.data["slug"] == "melatonin-doses"
        assert event.data["correction"]["kind"] == "substantive"
        assert event.data["correction"]["note"] == f"{WRONG}. {CHANGED}."
        # Delivered signed, like every event.
        run_due()
        delivered = [r for r in receiver.wait_for(2) if r.json["type"] == "article.corrected"]
        [received] = delivered
        header = dict(part.split("=", 1) for part in received.headers["Folio-Signature"].split(","))
        expected = hmac.new(
            endpoint.plain_secret.encode(),
            f"{header['t']}.".encode() + received.body,
            hashlib.sha256,
        ).hexdigest()
        assert hmac.compare_digest(header["v1"], expected)
        assert received.headers["Folio-Event-Type"] == "article.corrected"

    def test_a_minor_correction_sends_none(self, article, endpoint):
        correction_record(article, kind="minor", what_was_wrong="A typo", what_changed="Fixed")
        assert not WebhookEvent.objects.filter(type="article.corrected").exists()

    def test_an_article_partners_cannot_see_sends_none(self, make_article, endpoint):
        private = make_article(slug="not-syndicated", syndication_allowed=False)
        correction_record(private, kind="substantive", what_was_wrong=WRONG, what_changed=CHANGED)
        assert not WebhookEvent.objects.filter(type="article.corrected").exists()


def test_corrections_cost_the_detail_no_query(api, article, django_assert_max_num_queries):
    from tests.api.test_query_budget import DETAIL_BUDGET

    for _ in range(3):
        correction_record(article, kind="minor", what_was_wrong="A typo", what_changed="Fixed")
    AuthorFactory()
    ArticlePage.objects.get(pk=article.pk)
    detail(api, article)  # warm
    with django_assert_max_num_queries(DETAIL_BUDGET):
        assert len(detail(api, article)["corrections"]) == 3
