"""The article editor's form: the article's own validation plus its series."""

from django import forms

from articles.admin.membership import series_holding
from articles.forms import ArticlePageForm
from articles.models.series import Series, already_in_series_message


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

    def save(self, commit=True):
        page = super().save(commit=commit)
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
