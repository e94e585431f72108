"""An Editor retracts an article in a real browser; a Writer is never offered the action.

The editor opens the article's "..." menu in the page header, confirms with a reason, and the
API, the public page and the edit page show the retraction at once.
"""

import json
from urllib.request import urlopen

import pytest
from playwright.sync_api import expect

from articles.models import ArticleRetraction
from tests.e2e.admin import AdminSession
from tests.factories import ArticlePageFactory, AuthorFactory, byline, publish

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REASON = "The trial it reported was withdrawn by its authors."


@pytest.fixture
def article(journal):
    page = ArticlePageFactory(
        parent=journal,
        title="Ketamine and mood",
        slug="ketamine-and-mood",
        body=[("paragraph", "<p>What the trial found.</p>")],
    )
    byline(page, AuthorFactory())
    return publish(page)


def api_get(server, path: str) -> bytes:
    with urlopen(server.url + path, timeout=10) as response:  # noqa: S310 - loopback http
        return response.read()


def test_an_editor_retracts_an_article_and_a_writer_cannot(
    server, browser_context, shots, article, editor, writer
):
    # The Writer's edit page has no Retract action.
    author = AdminSession(browser_context(), server.url)
    author.login("writer")
    page = author.goto(f"/admin/pages/{article.pk}/edit/")
    expect(page.locator("main")).to_contain_text("Ketamine and mood")
    expect(page.locator("[data-folio-retract]")).to_have_count(0)

    editing = AdminSession(browser_context(), server.url)
    editing.login("editor")
    page = editing.goto(f"/admin/pages/{article.pk}/edit/")
    # The page header's "..." menu, where Wagtail puts the page's own actions.
    page.locator("#w-slim-header-buttons .w-dropdown__toggle").first.click()
    page.get_by_role("link", name="Retract", exact=True).click()
    page.wait_for_url(f"**/admin/articles/{article.pk}/retract/")
    expect(page.locator("main")).to_contain_text("withdraws it for good")
    shots.take(page, "retract-confirm", docs="retract-confirm")

    page.get_by_label("Reason").fill(REASON)
    page.get_by_role("button", name="Yes, retract it").click()
    page.wait_for_url(f"**/admin/pages/{article.pk}/edit/")
    editing.expect_message("is retracted")
    note = page.locator(".folio-retraction-note")
    expect(note).to_contain_text("This article is retracted")
    expect(note).to_contain_text(REASON)
    shots.take(page, "retracted-edit-page", docs="retracted-edit-page")

    retraction = ArticleRetraction.objects.get(article=article)
    assert retraction.retracted_by == editor and retraction.reason == REASON
    detail = json.loads(api_get(server, "/api/v1/articles/ketamine-and-mood/"))
    assert detail["status"] == "retracted" and detail["retraction"]["reason"] == REASON
    assert b"ketamine-and-mood" not in api_get(server, "/api/v1/articles/")

    public = editing.goto(f"/{article.slug}/")
    expect(public.locator("article")).to_contain_text("This article has been retracted")
    expect(public.locator("article")).not_to_contain_text("What the trial found.")
