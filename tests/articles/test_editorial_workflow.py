"""The editorial workflow: writers submit, a medical reviewer and then an editor approve."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import GroupPagePermission, Workflow

from articles.editorial import (
    EDITOR_SIGN_OFF_TASK,
    EDITORS,
    MEDICAL_REVIEW_TASK,
    MEDICAL_REVIEWERS,
    WORKFLOW_NAME,
    WRITERS,
)
from articles.models import ArticlePage
from tests.articles.test_admin_forms import article_form_data
from tests.factories import ArticleIndexPageFactory, AuthorFactory

pytestmark = pytest.mark.django_db


def add_url(journal) -> str:
    return reverse("wagtailadmin_pages:add", args=("articles", "articlepage", journal.pk))


def workflow_action(client, article, action: str):
    task_state = article.current_workflow_task_state
    return client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(article.pk, action, task_state.pk)),
        {"comment": f"{action} from the test"},
    )


def submitted_article(client, journal, **extra) -> ArticlePage:
    response = client.post(
        add_url(journal),
        article_form_data(
            title="Ketamine-assisted therapy",
            slug="ketamine-assisted-therapy",
            authors=[AuthorFactory()],
            **{"action-submit": "submit", **extra},
        ),
    )
    assert response.status_code == 302, (
        getattr(response, "context", {}) and response.context["form"].errors
    )
    return ArticlePage.objects.get(slug="ketamine-assisted-therapy")


class TestSetup:
    def test_groups_and_the_two_step_workflow_exist_for_every_journal(self, journal):
        workflow = Workflow.objects.get(name=WORKFLOW_NAME)

        assert [task.name for task in workflow.tasks] == [MEDICAL_REVIEW_TASK, EDITOR_SIGN_OFF_TASK]
        assert journal.get_workflow() == workflow
        assert {g.name for g in Group.objects.all()} >= {WRITERS, MEDICAL_REVIEWERS, EDITORS}

    def test_running_the_setup_again_creates_nothing_new(self, journal):
        counts = (
            Group.objects.count(),
            GroupPagePermission.objects.count(),
            Workflow.objects.count(),
        )

        call_command("setup_editorial", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("setup_editorial", stdout=open("/dev/null", "w"))  # noqa: SIM115

        assert (
            Group.objects.count(),
            GroupPagePermission.objects.count(),
            Workflow.objects.count(),
        ) == counts

    def test_a_journal_created_later_gets_the_workflow_too(self, journal):
        from wagtail.models import Page

        second = ArticleIndexPageFactory(parent=Page.get_first_root_node())

        assert second.get_workflow().name == WORKFLOW_NAME
        assert GroupPagePermission.objects.filter(page=second, group__name=EDITORS).exists()


class TestWriters:
    def test_a_writer_asking_to_publish_only_saves_a_draft(self, client, writer, journal):
        client.force_login(writer)

        response = client.post(
            add_url(journal),
            article_form_data(
                title="Writer's piece",
                slug="writers-piece",
                authors=[AuthorFactory()],
                **{"action-publish": "publish"},
            ),
        )

        assert response.status_code == 302
        article = ArticlePage.objects.get(slug="writers-piece")
        assert not article.live
        assert article.first_published_at is None

    def test_a_writer_cannot_publish_an_existing_draft_either(self, client, writer, journal):
        client.force_login(writer)
        article = submitted_article(client, journal)

        response = client.post(
            reverse("wagtailadmin_pages:edit", args=(article.pk,)),
            article_form_data(
                title=article.title,
                slug=article.slug,
                authors=[AuthorFactory()],
                **{"action-publish": "publish"},
            ),
        )

        # In moderation the page is locked for its writer: the form comes back, nothing goes live.
        assert response.status_code == 200
        article.refresh_from_db()
        assert not article.live
        assert article.live_revision is None

    def test_a_submission_waits_for_a_medical_reviewer(self, client, writer, journal):
        client.force_login(writer)

        article = submitted_article(client, journal)

        assert not article.live
        assert article.workflow_in_progress
        assert article.current_workflow_task.name == MEDICAL_REVIEW_TASK


class TestReview:
    def test_reviewer_then_editor_approval_publishes(
        self, client, writer, reviewer, editor, journal
    ):
        client.force_login(writer)
        article = submitted_article(client, journal)

        client.force_login(reviewer)
        assert workflow_action(client, article, "approve").status_code == 302
        article.refresh_from_db()
        assert not article.live
        assert article.current_workflow_task.name == EDITOR_SIGN_OFF_TASK

        client.force_login(editor)
        assert workflow_action(client, article, "approve").status_code == 302
        article.refresh_from_db()
        assert article.live
        assert not article.workflow_in_progress

    def test_an_editor_cannot_stand_in_for_the_medical_reviewer(
        self, client, writer, editor, journal
    ):
        client.force_login(writer)
        article = submitted_article(client, journal)

        client.force_login(editor)
        response = workflow_action(client, article, "approve")

        # Wagtail answers a denied action by sending the user back to the dashboard.
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home")
        article.refresh_from_db()
        assert article.current_workflow_task.name == MEDICAL_REVIEW_TASK

    def test_a_writer_cannot_approve_their_own_submission(self, client, writer, journal):
        client.force_login(writer)
        article = submitted_article(client, journal)

        response = workflow_action(client, article, "approve")

        assert response.url == reverse("wagtailadmin_home")
        article.refresh_from_db()
        assert article.current_workflow_task.name == MEDICAL_REVIEW_TASK

    def test_a_reviewer_rejection_sends_it_back_unpublished(
        self, client, writer, reviewer, journal
    ):
        client.force_login(writer)
        article = submitted_article(client, journal)

        client.force_login(reviewer)
        workflow_action(client, article, "reject")

        article.refresh_from_db()
        assert not article.live
        assert article.current_workflow_state.status == "needs_changes"

    def test_editors_may_publish_directly(self, client, editor, journal):
        client.force_login(editor)

        client.post(
            add_url(journal),
            article_form_data(
                title="Editor's piece",
                slug="editors-piece",
                authors=[AuthorFactory()],
                **{"action-publish": "publish"},
            ),
        )

        assert ArticlePage.objects.get(slug="editors-piece").live
