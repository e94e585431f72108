"""Page helpers for the Wagtail admin, written the way an editor works: by labels and buttons."""

import json
import re
from urllib.request import urlopen

from playwright.sync_api import Page, expect

from tests.e2e.conftest import PASSWORD


class AdminSession:
    """One editor's browser tab on the admin."""

    def __init__(self, context, base_url: str):
        self.base_url = base_url
        self.page: Page = context.new_page()

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str) -> Page:
        self.page.goto(self.url(path))
        return self.page

    def login(self, username: str) -> Page:
        page = self.goto("/admin/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(self.url("/admin/"))
        expect(page.locator("main")).to_contain_text("Folio")
        return page

    def expect_message(self, text: str | re.Pattern) -> None:
        expect(self.page.locator(".messages")).to_contain_text(text)

    def watching_edits(self) -> None:
        """Wait until Wagtail watches the form for edits.

        Its unsaved-changes watcher takes the form as it is 2 s after the page loads as the
        baseline: a change made before then (a drag, say) is never autosaved nor warned about.
        """
        self.page.wait_for_function(
            """() => {
                const form = document.querySelector('form[data-controller~="w-unsaved"]');
                const watcher = form && window.wagtail.app.getControllerForElementAndIdentifier(
                    form, "w-unsaved");
                return Boolean(watcher && watcher.initialFormData);
            }"""
        )

    def autosaved(self) -> None:
        """Wait until Wagtail's autosave is idle after the last change (it saves 0.5 s after one).

        On a new page the first autosave creates the page and turns the form into its edit
        form; an action clicked before that would post the form a second time as a new page.
        """
        self.page.wait_for_timeout(800)
        expect(self.page.locator("#w-autosave-indicator")).not_to_have_attribute(
            "data-w-autosave-state-value", "saving"
        )

    def first_autosave(self) -> None:
        """Wait for the first autosave since the page was loaded to have succeeded."""
        expect(self.page.locator("#w-autosave-indicator")).to_have_attribute(
            "data-w-autosave-state-value", "saved"
        )

    def footer_action(self, name: str) -> None:
        """Click an action of the editor's footer menu (Publish, Submit, Unpublish, ...)."""
        footer = self.page.locator("footer nav.actions")
        button = footer.get_by_role("button", name=name, exact=True).or_(
            footer.get_by_role("link", name=name, exact=True)
        )
        if not button.first.is_visible():
            footer.locator(".w-dropdown__toggle").first.click()
        button.first.click()

    def approve_from_dashboard(self, title: str) -> None:
        """Approve the current task of `title` from the dashboard's "Awaiting your review"."""
        page = self.goto("/admin/")
        row = page.locator("#awaiting-review-section tr", has_text=title)
        row.get_by_role("button", name="Actions").click()
        # Wait for the action's POST itself: the row also vanishes for a moment while the page
        # merely reloads, which on a loaded machine let a lost click pass for an approval.
        with page.expect_response(
            lambda response: (
                "/workflow/action/" in response.url and response.request.method == "POST"
            )
        ) as posted:
            row.get_by_role("button", name="Approve", exact=True).click()
        assert posted.value.status < 400, f"approving answered {posted.value.status}"
        # The task is no longer awaiting this user.
        page = self.goto("/admin/")
        expect(page.locator("#awaiting-review-section tr", has_text=title)).to_have_count(0)

    # StreamField

    def add_block(self, field: str, kind: str):
        """Append a block of `kind` (its label in the picker) to StreamField `field`; returns it."""
        section = self.page.locator(f"#panel-child-content-{field}-section")
        before = section.locator("[data-streamfield-child]").count()
        section.locator("button[title='Insert a block']").last.click()
        self.page.get_by_role("option", name=kind, exact=True).click()
        block = section.locator("[data-streamfield-child]").nth(before)
        expect(block).to_be_visible()
        return block

    def type_rich_text(self, container, text: str) -> None:
        editor = container.locator(".public-DraftEditor-content").last
        editor.click()
        self.page.keyboard.type(text)

    def choose_in_modal(self, opener, name: str) -> None:
        """Open a chooser and pick the item called `name` in its modal."""
        opener.click()
        modal = self.page.locator(".modal-content")
        modal.get_by_role("link", name=name).first.click()
        expect(modal).to_be_hidden()


def get_json(url: str) -> tuple[int, dict, dict]:
    """An API request as a client makes it (no cookies): status, headers, body."""
    from urllib.error import HTTPError

    try:
        with urlopen(url, timeout=10) as response:  # noqa: S310 - loopback http
            return response.status, dict(response.headers), json.loads(response.read())
    except HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"{}")
