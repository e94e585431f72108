"""Series editor panels: member rows that say what readers see of each article."""

from django.forms.formsets import DELETION_FIELD_NAME
from wagtail.admin.panels import InlinePanel, Panel


class SeriesMembersPanel(InlinePanel):
    """The ordered members (drag handles from Wagtail's InlinePanel), each with its readout.

    The readouts of all rows are computed together, in a fixed number of queries, and handed
    to each row's `MemberStatusPanel` on its form.
    """

    class BoundPanel(InlinePanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            if self.form is None:
                return
            from articles.admin.status import series_readout

            forms_in_order = [
                child.form
                for child in self.children
                if not getattr(child.form, "cleaned_data", {}).get(DELETION_FIELD_NAME)
            ]
            article_ids = [form.instance.article_id for form in forms_in_order]
            readouts = series_readout(article_ids=article_ids, series_id=self.instance.pk)
            series_live = bool(self.instance.pk and self.instance.live)
            for form in forms_in_order:
                form.folio_readout = readouts.get(form.instance.article_id)
                form.folio_series_live = series_live


class MemberStatusPanel(Panel):
    """Read-only: the member's state and its position as published and after publishing."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", "Status")
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "articles/admin/series_member_status.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["readout"] = getattr(self.form, "folio_readout", None)
            context["series_live"] = getattr(self.form, "folio_series_live", False)
            return context
