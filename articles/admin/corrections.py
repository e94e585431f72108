"""The editor's corrections: recorded with a successful publish, listed read-only on the edit page.

The edit form (articles/admin/forms.py) carries the correction the editor typed on the page it
saved; Wagtail's publish then works from the revision, and reloads the page before its
`after_publish_page` hook. So `before_publish_page` keeps the correction on the request, with
the revision being published, and `after_publish_page` records it once the publish has gone
through (admin writes share one transaction, cms/middleware.py: a publish that fails later
takes the correction with it). There is no edit or delete view of a correction anywhere in the
admin: the panel only lists them.
"""

from wagtail.admin.panels import Panel

from articles.corrections import correction_note, correction_record


def correction_keep(request, page) -> None:
    """before_publish_page: hold the form's correction until the publish is done."""
    correction = getattr(page, "_folio_correction", None)
    if correction is not None:
        del page._folio_correction
        request._folio_correction = (page.pk, page.latest_revision_id, correction)


def correction_apply(request, page) -> None:
    """after_publish_page: record the held correction of this page, if its publish went live."""
    held = getattr(request, "_folio_correction", None)
    if held is None or held[0] != page.pk:
        return
    del request._folio_correction
    _page_id, revision_id, correction = held
    if not page.live or page.live_revision_id != revision_id:
        return  # scheduled or not published: the form refuses these, this is the backstop
    correction_record(page, revision=page.live_revision, user=request.user, **correction)


class CorrectionsPanel(Panel):
    """Read-only: the corrections recorded so far, newest first."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", "Recorded corrections")
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "articles/admin/corrections.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            corrections = list(page.corrections.select_related("recorded_by")) if page.pk else []
            context["corrections"] = [
                (c, correction_note(c.what_was_wrong, c.what_changed)) for c in corrections
            ]
            return context
