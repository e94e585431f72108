"""The edit page's note on a retracted article: when, by whom and why, above everything else."""

from wagtail.admin.panels import Panel


class RetractionPanel(Panel):
    """Read-only, and shown only for a retracted article (one query by the article's id)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "articles/admin/retraction_note.html"

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            # Imported here: the page model imports this panel, and the domain imports models.
            from articles.retraction import retraction_of

            page = self.instance
            self.retraction = retraction_of(page) if page.pk else None

        def is_shown(self):
            return self.retraction is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["retraction"] = self.retraction
            return context
