"""The editor's readability readout: the body's reading grade beside the site's target."""

from wagtail.admin.panels import Panel
from wagtail.models import Site


class ReadingGradePanel(Panel):
    """Read-only: the grade of the body as saved last, and how it compares with the target.

    Computed on save (a draft's save included), so the editor sees the grade of what they
    last saved; the panel says so.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", "Readability")
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "articles/admin/reading_grade.html"

        def get_context_data(self, parent_context=None):
            from articles.models import HealthContentSettings
            from articles.readability import reading_grade

            context = super().get_context_data(parent_context)
            page = self.instance
            site = (page.get_site() if page.pk else None) or Site.find_for_request(self.request)
            target = HealthContentSettings.for_site(site).reading_grade_target if site else None
            grade = reading_grade(page.body)
            context.update(
                grade=grade,
                target=target,
                above_target=grade is not None and target is not None and grade > target,
            )
            return context
