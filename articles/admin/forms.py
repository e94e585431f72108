"""The article editor's form: the article's own validation plus its series, and a correction
to record with the publish."""

from django import forms
from django.utils import timezone

from articles.admin.membership import series_holding
from articles.forms import ArticlePageForm
from articles.models.health import ArticleCorrection
from articles.models.series import Series, already_in_series_message

CORRECTION_FIELDS = ("correction_kind", "correction_what_was_wrong", "correction_what_changed")


class ArticleSeriesChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title if obj.live else f"{obj.title} (series not published)"


class ArticlePageAdminForm(ArticlePageForm):
    """Adds "Series": choosing one adds the article to it (last) as a draft change of the series;
    choosing none takes it out. Applied after the page is saved (see `series_choice_apply`)."""

    series = ArticleSeriesChoice(
        queryset=Series.objects.order_by("title"),
        required=False,
        empty_label="Not in a series",
        label="Series",
    )

    # Not page fields: a correction is its own record, written when the publish succeeds
    # (articles/admin/corrections.py), so a draft or a revision never carries one.
    correction_kind = forms.ChoiceField(
        choices=[("", "No correction"), *ArticleCorrection.KINDS],
        required=False,
        label="Correction",
        help_text="Publishing a fix of a published error? Say so: readers and partners see it. "
        "Minor: wording, a figure that changes no advice. Substantive: advice, a risk, a dose "
        "or a conclusion.",
    )
    correction_what_was_wrong = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        label="What was wrong",
    )
    correction_what_changed = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        label="What changed",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.series_holdings = []
        if "series" not in self.fields:
            return  # no permission to change series
        if self.instance.pk:
            self.series_holdings = series_holding(self.instance.pk)
        if self.series_holdings:
            holding = self.series_holdings[0]
            self.initial["series"] = holding.series.pk
            state = "in the unpublished draft of" if holding.draft else "of"
            self.fields["series"].help_text = (
                f"Part {holding.position} {state} “{holding.series.title}”. "
                "Choosing another series moves it there, last; an editor sets the order "
                "and publishes the series."
            )
        else:
            self.fields["series"].help_text = (
                "Adds the article at the end of the series, as a draft of the series: an "
                "editor sets the order and publishes the series."
            )

    def clean(self):
        cleaned_data = super().clean()
        self.correction_clean(cleaned_data)
        if len(self.series_holdings) > 1 and "series" in self.changed_data:
            # Drafts of two series list the article: say which, rather than guess.
            other = self.series_holdings[1]
            self.add_error(
                "series",
                already_in_series_message(
                    article_title=self.instance.title,
                    series_title=other.series.title,
                    position=other.position,
                ),
            )
        return cleaned_data

    def correction_clean(self, cleaned_data) -> None:
        if "correction_kind" not in self.fields:
            return
        kind = cleaned_data.get("correction_kind")
        texts = {
            name: (cleaned_data.get(name) or "").strip()
            for name in ("correction_what_was_wrong", "correction_what_changed")
        }
        if not kind:
            if any(texts.values()):
                self.add_error("correction_kind", "Choose minor or substantive, or clear the text.")
            return
        for name, text in texts.items():
            if not text:
                self.add_error(
                    name, "Say this for the readers: it is published with the correction."
                )
        if "action-publish" not in self.data:
            # Saved with a draft it would be lost, or published later as if it were true now.
            self.add_error("correction_kind", "A correction is recorded when you publish.")
        elif not self.instance.pk or not self.instance.first_published_at:
            self.add_error("correction_kind", "Only a published article can be corrected.")
        go_live_at = cleaned_data.get("go_live_at")
        if go_live_at and go_live_at > timezone.now():
            self.add_error(
                "correction_kind",
                "Publish the correction now, or record it when the fix goes live.",
            )

    def save(self, commit=True):
        page = super().save(commit=commit)
        kind = self.cleaned_data.get("correction_kind") if "correction_kind" in self.fields else ""
        if kind:
            # Recorded by the after_publish_page hook, once the publish has succeeded.
            page._folio_correction = {
                "kind": kind,
                "what_was_wrong": self.cleaned_data["correction_what_was_wrong"],
                "what_changed": self.cleaned_data["correction_what_changed"],
            }
        # Only when the editor sent the field and changed it: a form posted without it (a
        # script, an older client) leaves the membership alone.
        sent = "series" in self.fields and self.add_prefix("series") in self.data
        if sent and "series" in self.changed_data:
            page._folio_series_choice = (self.cleaned_data.get("series"),)
        return page


def series_choice_apply(request, page) -> None:
    """After the article is saved (any action): apply a changed series choice."""
    from articles.admin.membership import article_series_set

    choice = getattr(page, "_folio_series_choice", None)
    if choice is None or not page.pk:
        return
    del page._folio_series_choice
    article_series_set(article=page, series=choice[0], user=request.user)
