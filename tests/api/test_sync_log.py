"""Delta sync: the change log itself, and deletions that disclose no unseen article."""

# ruff: noqa: F811  (the other_journal fixture comes from sync_support)

import threading

import pytest
from django.db import connection, transaction

from api.delivery.change_log import article_changes_record
from api.models import ArticleChange
from tests.api.sync_support import other_journal  # noqa: F401
from tests.conftest import service_missing
from tests.factories import publish

pytestmark = pytest.mark.django_db

# The log itself


class TestTheLog:
    def test_an_article_keeps_its_history_after_it_is_deleted(self, make_article):
        article = make_article()
        article_id = article.pk

        article.delete()

        last = ArticleChange.objects.filter(article_id=article_id).latest("id")
        assert last.kind == ArticleChange.Kind.DELETED
        assert last.slug == article.slug

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_a_change_rolled_back_leaves_no_log_row(self, make_article):
        article = make_article()
        before = ArticleChange.objects.count()

        with pytest.raises(RuntimeError), transaction.atomic():
            publish(article)
            # Written in the editorial transaction, not after it...
            assert ArticleChange.objects.count() == before + 1
            raise RuntimeError("the editor's save fails")

        # ...so it goes when that transaction rolls back.
        assert ArticleChange.objects.count() == before
        article.refresh_from_db()
        publish(article)  # the control: the same change, committed, is logged
        assert ArticleChange.objects.count() == before + 1

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_a_move_outside_any_transaction_is_still_logged(self, make_article, other_journal):
        article = make_article()
        before = ArticleChange.objects.count()

        article.move(other_journal, pos="last-child")

        assert ArticleChange.objects.count() == before + 1
        assert ArticleChange.objects.latest("id").article_id == article.pk

    @pytest.mark.services
    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_log_ids_are_handed_out_in_commit_order(self, make_article):
        """A writer waits for an earlier writer's commit, so no reader can skip a lower id."""
        if connection.vendor != "postgresql":
            service_missing("PostgreSQL (DATABASE_URL)")
        first, second = make_article(), make_article()
        holding, release = threading.Event(), threading.Event()

        def earlier():
            try:
                with transaction.atomic():
                    article_changes_record(article_ids=[first.pk])
                    holding.set()
                    release.wait(10)
            finally:
                connection.close()

        def later():
            try:
                holding.wait(10)
                article_changes_record(article_ids=[second.pk])
            finally:
                connection.close()

        threads = [threading.Thread(target=earlier), threading.Thread(target=later)]
        for thread in threads:
            thread.start()
        assert holding.wait(10)
        threads[1].join(timeout=1)
        still_waiting = threads[1].is_alive()
        release.set()
        for thread in threads:
            thread.join(10)

        assert still_waiting
        first_row, second_row = ArticleChange.objects.order_by("-id")[:2][::-1]
        assert (first_row.article_id, second_row.article_id) == (first.pk, second.pk)


class TestDeletionsDiscloseNothing:
    """Regression: a `deleted` entry named articles the client could never have seen (a slug
    of a page that was only ever private, or never syndicated for partners)."""

    def delta_after(self, api, token, **headers):
        response = api.get("/api/v1/sync/", {"token": token}, **headers)
        assert response.status_code == 200, response.content[:300]
        return response.json()

    def test_a_page_private_from_the_start_never_appears_in_deleted(self, api, journal):
        from wagtail.models import PageViewRestriction

        from tests.factories import ArticlePageFactory, publish

        token = api.get("/api/v1/sync/").json()["next_token"]
        secret = ArticlePageFactory(parent=journal, slug="zqprivatefromthestart")
        PageViewRestriction.objects.create(page=secret, restriction_type="login")
        publish(secret)
        secret.delete()

        body = self.delta_after(api, token)
        assert b"zqprivatefromthestart" not in str(body).encode()
        assert body["deleted"] == []

    def test_a_page_once_public_is_reported_deleted(self, api, journal, make_article):
        token = api.get("/api/v1/sync/").json()["next_token"]
        article = make_article(slug="once-public")
        article_id = article.pk
        article.delete()

        body = self.delta_after(api, token)
        assert [entry["id"] for entry in body["deleted"]] == [article_id]

    def test_partners_are_not_told_of_articles_never_syndicated(self, api, journal, make_article):
        from api.partners.provisioning import api_key_issue, partner_create

        key = api_key_issue(partner=partner_create(name="Sync partner"), name="app")[1]
        auth = {"HTTP_AUTHORIZATION": f"Api-Key {key}"}
        public_token = api.get("/api/v1/sync/").json()["next_token"]
        partner_token = api.get("/api/v1/sync/", **auth).json()["next_token"]
        closed = make_article(slug="zqneversyndicated", syndication_allowed=False)
        opened = make_article(slug="syndicated-then-deleted")
        closed_id, opened_id = closed.pk, opened.pk
        closed.delete()
        opened.delete()

        partner_body = self.delta_after(api, partner_token, **auth)
        public_body = self.delta_after(api, public_token)
        assert [entry["id"] for entry in partner_body["deleted"]] == [opened_id]
        assert "zqneversyndicated" not in str(partner_body)
        assert {entry["id"] for entry in public_body["deleted"]} == {closed_id, opened_id}
