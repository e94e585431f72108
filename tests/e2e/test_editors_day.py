"""The editor's day in a real browser: write, review, order the series, publish, check the API,
unpublish, and preview a draft in the headless client.

Every step asserts what the admin or the API shows, and leaves a screenshot under
test-artifacts/e2e/ (the guide's images in docs/images/editors/ come from here).
"""

import json
import re

import pytest
import wagtail_factories
from playwright.sync_api import expect
from wagtail.models import Collection, WorkflowState

from articles.admin.membership import series_holding
from articles.editorial import EDITOR_SIGN_OFF_TASK, MEDICAL_REVIEW_TASK
from articles.models import ArticlePage, Series
from tests.e2e.admin import AdminSession, get_json
from tests.factories import ArticlePageFactory, ReviewerFactory, publish, series_with_members

# The server thread reads what the test commits; the migrations' rows (root page, locale) are
# restored afterwards for the tests that follow on this worker.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NEW_TITLE = "Melatonin for jet lag: what the trials show"
NEW_SLUG = "melatonin-for-jet-lag-what-the-trials-show"


@pytest.fixture
def newsroom(journal, writer, reviewer, editor):
    """A published series of two articles, an author for the byline, and an image to choose."""
    first = publish(
        ArticlePageFactory(parent=journal, title="Why we sleep less", slug="sleep-less")
    )
    last = publish(
        ArticlePageFactory(parent=journal, title="Naps that help", slug="naps-that-help")
    )
    series = series_with_members(first, last, title="Sleep, reconsidered", slug="sleep")
    author = ReviewerFactory(name="Dr Ama Mensah", slug="ama-mensah")
    image = wagtail_factories.ImageFactory(
        title="Night flight",
        collection=Collection.get_first_root_node(),
        file__width=1200,
        file__height=800,
    )
    return {"series": series, "first": first, "last": last, "author": author, "image": image}


def member_rows(page):
    return page.locator("#id_members-FORMS > [data-inline-panel-child]:not(.deleted)")


def member_titles(page) -> list[str]:
    rows = member_rows(page)
    return [
        rows.nth(i).locator(".chooser__title").inner_text().strip() for i in range(rows.count())
    ]


def test_an_article_goes_from_writer_to_reader_and_back(
    server, browser_context, shots, newsroom, journal
):
    base = server.url
    series: Series = newsroom["series"]

    # 1. A writer logs in and writes an article with five kinds of block.
    writer = AdminSession(browser_context(), base)
    page = writer.login("writer")
    shots.take(page, "writer-dashboard")

    page = writer.goto(f"/admin/pages/add/articles/articlepage/{journal.pk}/")
    writer.watching_edits()
    page.fill("#id_title", NEW_TITLE)
    page.fill("#id_summary", "Two trials, one careful answer about melatonin and jet lag.")
    heading = writer.add_block("body", "Heading")
    heading.locator("input[name$='-value-text']").fill("What the trials found")
    paragraph = writer.add_block("body", "Paragraph")
    writer.type_rich_text(paragraph, "Taken at the destination's bedtime, melatonin helped.")
    image = writer.add_block("body", "Image")
    writer.choose_in_modal(image.locator("[data-chooser-action-choose]").first, "Night flight")
    expect(image.locator(".chooser__title")).to_have_text("Night flight")
    image.locator("input[name$='-value-alt']").fill("A plane wing at night")
    quote = writer.add_block("body", "Quote")
    quote.locator("textarea[name$='-value-quote']").fill(
        "It shifts the clock, it is not a pill to sleep."
    )
    quote.locator("input[name$='-value-attribution']").fill("A sleep physician")
    callout = writer.add_block("body", "Callout")
    callout.locator("select[name$='-value-kind']").select_option("risks")
    writer.type_rich_text(callout, "Drowsiness the next morning; talk to a doctor if pregnant.")
    byline = page.locator("#inline_child_article_authors-0")
    writer.choose_in_modal(byline.locator("[data-chooser-action-choose]").first, "Dr Ama Mensah")
    page.select_option("#id_series", label="Sleep, reconsidered")

    writer.autosaved()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))  # autosave created it
    shots.take(
        page,
        "article-body",
        docs="article-body",
        locator=page.locator("#panel-child-content-body-section"),
    )
    shots.take(
        page,
        "article-series",
        docs="article-series-field",
        locator=page.locator("#panel-child-content-series-section"),
    )
    writer.footer_action("Submit to Editorial review")
    writer.expect_message("submitted for moderation")
    shots.take(page, "submitted")
    article = ArticlePage.objects.get(slug=NEW_SLUG)
    assert not article.live
    [holding] = series_holding(article.pk)  # last in a draft of the series, for an editor
    assert (holding.series.pk, holding.position, holding.draft) == (series.pk, 3, True)
    state = WorkflowState.objects.get(object_id=str(article.pk), status="in_progress")
    assert state.current_task_state.task.name == MEDICAL_REVIEW_TASK
    status, _, _ = get_json(f"{base}/api/v1/articles/{NEW_SLUG}/")
    assert status == 404  # a draft is nobody's business but the newsroom's

    # 2. The medical reviewer finds it on the dashboard and approves it.
    reviewer = AdminSession(browser_context(), base)
    page = reviewer.login("reviewer")
    waiting = page.locator("[data-folio-panel=awaiting-medical-review]")
    expect(waiting).to_contain_text(NEW_TITLE)
    shots.take(page, "reviewer-dashboard", docs="dashboard-medical-review")
    reviewer.approve_from_dashboard(NEW_TITLE)
    expect(page.locator("[data-folio-panel=awaiting-medical-review]")).to_have_count(0)
    shots.take(page, "approved")
    state.refresh_from_db()
    assert state.current_task_state.task.name == EDITOR_SIGN_OFF_TASK

    # 3. An editor puts it second in the series by drag and drop, publishes the series...
    editor = AdminSession(browser_context(), base)
    page = editor.login("editor")
    expect(page.locator("main")).not_to_contain_text("Awaiting medical review")
    page = editor.goto(f"/admin/snippets/articles/series/edit/{series.pk}/")
    assert member_titles(page) == ["Why we sleep less", "Naps that help", NEW_TITLE]
    rows = member_rows(page)
    expect(rows.nth(0).locator("[data-member-position]")).to_contain_text(
        "Readers see it as part 1 of 2"
    )
    expect(rows.nth(2).locator("[data-member-status]")).to_have_attribute(
        "data-member-status", "draft"
    )
    expect(rows.nth(2)).to_contain_text(f"In review: {EDITOR_SIGN_OFF_TASK}")
    shots.take(
        page,
        "series-before",
        docs="series-editor",
        locator=page.locator("#panel-articles_in_reading_order-section"),
    )

    editor.watching_edits()
    handle = rows.nth(2).locator("[data-inline-panel-child-drag]")
    target = rows.nth(1).locator("[data-inline-panel-child-drag]")
    drag(page, handle, target)
    assert member_titles(page) == ["Why we sleep less", NEW_TITLE, "Naps that help"]
    shots.take(
        page,
        "series-dragged",
        docs="series-dragged",
        locator=page.locator("#panel-articles_in_reading_order-section"),
    )
    editor.first_autosave()
    # The drag alone was saved as a draft of the series; readers still see the old order.
    draft = Series.objects.get(pk=series.pk).get_latest_revision_as_object()
    assert [m.article.title for m in sorted(draft.members.all(), key=lambda m: m.sort_order)] == [
        "Why we sleep less",
        NEW_TITLE,
        "Naps that help",
    ]
    _, _, data = get_json(f"{base}/api/v1/series/sleep/")
    assert [a["slug"] for a in data["articles"]] == ["sleep-less", "naps-that-help"]
    editor.footer_action("Publish")
    editor.expect_message("published")
    assert [m.article.title for m in Series.objects.get(pk=series.pk).members.all()] == [
        "Why we sleep less",
        NEW_TITLE,
        "Naps that help",
    ]

    # ... and signs the article off, which publishes it.
    editor.approve_from_dashboard(NEW_TITLE)
    article.refresh_from_db()
    assert article.live

    # 4. The API shows the new order, positions, navigation and body.
    status, _, data = get_json(f"{base}/api/v1/series/sleep/")
    assert status == 200
    assert [a["slug"] for a in data["articles"]] == ["sleep-less", NEW_SLUG, "naps-that-help"]
    assert [a["series"]["position"] for a in data["articles"]] == [1, 2, 3]
    status, _, detail = get_json(f"{base}/api/v1/articles/{NEW_SLUG}/")
    assert status == 200
    assert detail["series"] == {
        "slug": "sleep",
        "title": "Sleep, reconsidered",
        "position": 2,
        "total": 3,
    }
    assert detail["navigation"]["series"]["previous"]["slug"] == "sleep-less"
    assert detail["navigation"]["series"]["next"]["slug"] == "naps-that-help"
    # The outer pair follows publication order: it is the newest article.
    assert detail["navigation"]["previous"]["slug"] == "naps-that-help"
    assert detail["navigation"]["next"] is None
    assert [block["type"] for block in detail["body"]] == [
        "heading",
        "paragraph",
        "image",
        "quote",
        "callout",
    ]
    assert detail["body"][0]["value"]["text"] == "What the trials found"
    assert "destination" in detail["body"][1]["value"]["html"]
    assert detail["body"][3]["value"]["quote"].startswith("It shifts the clock")
    assert detail["body"][4]["value"]["kind"] == "risks"
    assert [a["name"] for a in detail["authors"]] == ["Dr Ama Mensah"]
    page.goto(f"{base}/api/v1/articles/{NEW_SLUG}/")
    shots.take(page, "api-detail")

    # 5. The editor unpublishes it: the API forgets it and the series closes ranks.
    page = editor.goto(f"/admin/pages/{article.pk}/edit/")
    editor.footer_action("Unpublish")
    page.get_by_role("button", name=re.compile("Yes, unpublish")).click()
    editor.expect_message("unpublished")
    shots.take(page, "unpublished")
    status, _, _ = get_json(f"{base}/api/v1/articles/{NEW_SLUG}/")
    assert status == 404
    _, _, data = get_json(f"{base}/api/v1/series/sleep/")
    assert [a["slug"] for a in data["articles"]] == ["sleep-less", "naps-that-help"]
    assert [a["series"]["position"] for a in data["articles"]] == [1, 2]

    # 6. The editor previews an unsaved change in the client app (headless preview).
    page = editor.goto(f"/admin/pages/{article.pk}/edit/")
    page.fill("#id_title", "Melatonin for jet lag (draft)")
    preview, preview_url = open_client_preview(page, draft_title="Melatonin for jet lag (draft)")
    assert preview["title"] == "Melatonin for jet lag (draft)"
    assert preview["series"] is None  # unpublished: not counted among the series' members
    assert [block["type"] for block in preview["body"]][:2] == ["heading", "paragraph"]
    shots.take(page, "headless-preview", docs="headless-preview")
    assert preview_url.startswith(
        f"{base}/api/v1/preview/?content_type=articles.articlepage&token="
    )
    status, headers, again = get_json(preview_url)  # the client app's own request
    assert status == 200
    assert headers["Cache-Control"] == "no-store"
    assert again["title"] == "Melatonin for jet lag (draft)"


def drag(page, handle, target) -> None:
    """Drag `handle` onto `target` with real mouse moves (SortableJS listens to native drag)."""
    handle.scroll_into_view_if_needed()
    start = handle.bounding_box()
    end = target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    steps = 12
    for step in range(1, steps + 1):
        y = start["y"] + (end["y"] - start["y"] - 10) * step / steps
        page.mouse.move(end["x"] + end["width"] / 2, y + start["height"] / 2)
        page.wait_for_timeout(30)
    page.mouse.up()
    page.wait_for_timeout(400)  # the drop animation


def open_client_preview(page, *, draft_title: str) -> tuple[dict, str]:
    """Open the preview panel in "Client app (headless)" mode: the JSON the client got, and
    the URL the admin gave it."""

    def frame_with(fragment: str, seconds: float):
        for _ in range(int(seconds * 10)):
            frame = next((f for f in page.frames if fragment in f.url), None)
            if frame is not None:
                return frame
            page.wait_for_timeout(100)
        return None

    page.get_by_role("button", name="Toggle preview").click()
    # The panel is ready once its default preview shows the unsaved title.
    default = frame_with("/preview/?mode=", 20)
    assert default is not None, [f.url for f in page.frames]
    expect(default.locator("h1")).to_have_text(draft_title)
    mode = page.locator("select[name=preview_mode]")
    for _ in range(3):
        mode.select_option(label="Client app (headless)")
        frame = frame_with("/api/v1/preview/", 8)
        if frame is not None:
            break
        mode.select_option(index=0)  # a change lost while the panel was refreshing: again
        page.wait_for_timeout(500)
    assert frame is not None, [f.url for f in page.frames]
    frame.wait_for_load_state()
    text = frame.locator("pre").first.inner_text() if frame.locator("pre").count() else ""
    return json.loads(text or frame.locator("body").inner_text()), frame.url
