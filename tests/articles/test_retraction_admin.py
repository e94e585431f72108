"""Retracting from the admin and from `manage.py retract`: only Editors, the same effects; the
public page keeps its URL with the notice; the editor sees the retraction."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from api.models import ArticleChange, WebhookEvent
from articles.models import ArticleRetraction
from tests.factories import ArticlePageFactory, AuthorFactory, byline, publish

pytestmark = pytest.mark.django_db

BODY = "zqoriginalbodymarker"
REASON = "The study it reported was retracted by the journal."


@pytest.fixture
def article(journal):
    page = ArticlePageFactory(
        parent=journal,
        title="Ketamine and mood",
        slug="ketamine-and-mood",
        body=[("paragraph", f"<p>The {BODY} of it.</p>")],
    )
    byline(page, AuthorFactory())
    return publish(page)


def retract_url(article) -> str:
    return reverse("articles_retract", args=[article.pk])


def admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestTheAdminAction:
    def test_an_editor_sees_the_action_on_the_edit_page(self, article, editor):
        response = admin_client(editor).get(reverse("wagtailadmin_pages:edit", args=[article.pk]))

        assert response.status_code == 200
        assert retract_url(article) in response.content.decode()

    def test_an_editor_sees_it_in_the_page_listing(self, article, editor, journal):
        response = admin_client(editor).get(reverse("wagtailadmin_explore", args=[journal.pk]))

        assert response.status_code == 200
        assert retract_url(article) in response.content.decode()

    def test_a_writer_is_not_offered_it(self, article, writer, journal):
        client = admin_client(writer)
        edit = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
        listing = client.get(reverse("wagtailadmin_explore", args=[journal.pk]))

        assert edit.status_code == listing.status_code == 200
        assert retract_url(article) not in edit.content.decode()
        assert retract_url(article) not in listing.content.decode()

    def test_a_writer_who_posts_anyway_is_refused(self, article, writer):
        client = admin_client(writer)

        # Wagtail answers a permission refusal in its admin with a redirect home and a message.
        for response in (
            client.get(retract_url(article)),
            client.post(retract_url(article), {"reason": REASON}),
        ):
            assert response.status_code == 302 and response["Location"] == reverse(
                "wagtailadmin_home"
            )
        assert not ArticleRetraction.objects.exists()

    def test_an_editor_confirms_with_a_reason(self, article, editor):
        client = admin_client(editor)
        assert REASON not in client.get(retract_url(article)).content.decode()

        response = client.post(retract_url(article), {"reason": REASON})

        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[article.pk])
        retraction = ArticleRetraction.objects.get(article=article)
        assert retraction.reason == REASON and retraction.retracted_by == editor

    def test_the_reason_is_required(self, article, editor):
        response = admin_client(editor).post(retract_url(article), {"reason": "  "})

        assert response.status_code == 200
        assert not ArticleRetraction.objects.exists()

    def test_the_edit_page_shows_the_retraction_and_no_longer_offers_it(self, article, editor):
        client = admin_client(editor)
        edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])
        assert "folio-retraction-note" not in client.get(edit_url).content.decode()
        client.post(retract_url(article), {"reason": REASON})

        page = client.get(edit_url).content.decode()

        assert "folio-retraction-note" in page and REASON in page
        assert retract_url(article) not in page

    def test_the_page_listing_shows_it_retracted(self, article, editor, journal):
        client = admin_client(editor)
        listing_url = reverse("wagtailadmin_explore", args=[journal.pk])
        assert "retracted" not in client.get(listing_url).content.decode()
        client.post(retract_url(article), {"reason": REASON})

        listing = client.get(listing_url).content.decode()

        assert ">retracted<" in listing.replace("\n", "").replace(" ", "")
        # ... and no longer offers to retract it.
        assert retract_url(article) not in listing

    def test_a_second_confirmation_records_nothing_more(self, article, editor):
        client = admin_client(editor)
        client.post(retract_url(article), {"reason": REASON})

        response = client.post(retract_url(article), {"reason": "Again"})

        assert response.status_code == 200
        assert list(ArticleRetraction.objects.values_list("reason", flat=True)) == [REASON]

    def test_the_admin_retraction_has_the_domain_effects(self, article, editor, journal):
        admin_client(editor).post(retract_url(article), {"reason": REASON})

        assert ArticleChange.objects.filter(
            article_id=article.pk, kind=ArticleChange.Kind.DELETED
        ).exists()
        # Partners were told of it at publication, so they are told to take it down.
        assert WebhookEvent.objects.filter(article_id=article.pk, type="article.retracted").exists()


class TestTheCommand:
    def test_an_editor_retracts_from_the_command_line(self, article, editor, capsys):
        call_command("retract", article.slug, "--reason", REASON, "--as", editor.username)

        retraction = ArticleRetraction.objects.get(article=article)
        assert retraction.reason == REASON and retraction.retracted_by == editor
        assert "Retracted" in capsys.readouterr().out
        assert WebhookEvent.objects.filter(article_id=article.pk, type="article.retracted").exists()

    def test_a_writer_is_refused(self, article, writer):
        with pytest.raises(CommandError, match="only Editors"):
            call_command("retract", article.slug, "--reason", REASON, "--as", writer.username)

        assert not ArticleRetraction.objects.exists()
        assert not WebhookEvent.objects.filter(type="article.retracted").exists()

    def test_an_unknown_user_or_slug_is_refused(self, article, editor):
        with pytest.raises(CommandError, match="username"):
            call_command("retract", article.slug, "--reason", REASON, "--as", "nobody")
        with pytest.raises(CommandError, match="slug"):
            call_command("retract", "no-such-slug", "--reason", REASON, "--as", editor.username)

    def test_a_reason_is_required(self, article, editor):
        with pytest.raises(CommandError):
            call_command("retract", article.slug, "--as", editor.username)
        with pytest.raises(CommandError, match="reason"):
            call_command("retract", article.slug, "--reason", " ", "--as", editor.username)


class TestThePublicPage:
    def test_it_keeps_its_url_with_the_notice_in_place_of_the_body(self, article, editor):
        site = Client(HTTP_HOST="localhost")
        assert BODY in site.get(article.url).content.decode()
        call_command("retract", article.slug, "--reason", REASON, "--as", editor.username)

        response = site.get(article.url)

        assert response.status_code == 200
        page = response.content.decode()
        assert "This article has been retracted" in page and REASON in page
        assert BODY not in page

    def test_the_journal_page_no_longer_lists_it(self, article, editor, journal):
        site = Client(HTTP_HOST="localhost")
        assert article.title in site.get(journal.url).content.decode()
        call_command("retract", article.slug, "--reason", REASON, "--as", editor.username)

        assert article.title not in site.get(journal.url).content.decode()
