"""Admin writes commit all or nothing: a publish and what is recorded about it go together."""

import pytest
from django.urls import reverse

from api.models import ArticleChange
from articles.models import ArticlePage
from tests.articles.test_admin_forms import article_form_data
from tests.factories import AuthorFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_failure_after_the_page_is_saved_leaves_nothing_behind(client, superuser, journal):
    client.force_login(superuser)
    client.raise_request_exception = False

    def fail_after_save(sender, instance, **kwargs):
        raise RuntimeError("a receiver failed after the publish wrote its rows")

    from wagtail.signals import page_published

    page_published.connect(fail_after_save, sender=ArticlePage, dispatch_uid="test-fail")
    try:
        response = client.post(
            reverse("wagtailadmin_pages:add", args=("articles", "articlepage", journal.pk)),
            article_form_data(
                title="Half published",
                slug="half-published",
                authors=[AuthorFactory()],
                **{"action-publish": "publish"},
            ),
        )
    finally:
        page_published.disconnect(dispatch_uid="test-fail", sender=ArticlePage)

    assert response.status_code == 500
    assert not ArticlePage.objects.filter(slug="half-published").exists()
    assert not ArticleChange.objects.filter(slug="half-published").exists()


def test_a_successful_publish_commits_the_page_and_its_change_log(client, superuser, journal):
    client.force_login(superuser)

    client.post(
        reverse("wagtailadmin_pages:add", args=("articles", "articlepage", journal.pk)),
        article_form_data(
            title="Fully published",
            slug="fully-published",
            authors=[AuthorFactory()],
            **{"action-publish": "publish"},
        ),
    )

    article = ArticlePage.objects.get(slug="fully-published")
    assert article.live
    assert ArticleChange.objects.filter(article_id=article.pk).exists()
