"""Series: an ordered run of articles, reordered by editors and published as a whole."""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.models import DraftStateMixin, Orderable, RevisionMixin
from wagtail.search import index

from articles.admin.panels import MemberStatusPanel, SeriesMembersPanel


def already_in_series_message(
    *,
    article_title: str,
    series_title: str,
    position: int,
    draft: bool = False,
    leaving: bool = False,
) -> str:
    """Why an article cannot join a series: which series holds it, and what to do."""
    where = "the unpublished draft of the series" if draft else "the series"
    message = (
        f"“{article_title}” is already part {position} of {where} “{series_title}”. "
        "An article can belong to one series only: remove it from that series first."
    )
    if leaving:
        message += (
            f" (The draft of “{series_title}” already takes it out: publish that series first.)"
        )
    return message


class SeriesForm(WagtailAdminModelForm):
    """Rejects a series that lists the same article twice, with a message naming it."""

    def clean(self):
        cleaned_data = super().clean()
        members = self.formsets.get("members")
        if members is None:
            return cleaned_data
        # The form is cleaned before its formsets; clean the members now to compare them.
        members.is_valid()
        seen = set()
        for form in members.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            # The formset's own uniqueness check strips a duplicate from cleaned_data, but
            # the instance still holds it.
            article = form.instance.article if form.instance.article_id else None
            if article is None:
                continue
            if article.pk in seen:
                form.add_error(
                    "article",
                    f"“{article.title}” is listed twice; an article appears once per series.",
                )
            seen.add(article.pk)
            if "article" not in form.errors:
                self._refuse_if_in_another_draft(form, article)
        return cleaned_data

    def _refuse_if_in_another_draft(self, form, article) -> None:
        # The rows are checked by SeriesMember.clean; an unpublished draft of another series
        # may list the article too, and would collide with this one when published.
        from articles.admin.membership import series_holding

        for holding in series_holding(article.pk, exclude_series_id=self.instance.pk):
            if holding.draft:
                form.add_error(
                    "article",
                    already_in_series_message(
                        article_title=article.title,
                        series_title=holding.series.title,
                        position=holding.position,
                        draft=True,
                    ),
                )
                return


class Series(DraftStateMixin, RevisionMixin, index.Indexed, ClusterableModel):
    """An ordered series; its member order is the reading order clients navigate."""

    title = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, unique=True)
    description = models.TextField(blank=True, max_length=2000)
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="series")

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("image"),
        SeriesMembersPanel(
            "members",
            heading="Articles, in reading order",
            label="Article",
            help_text=(
                "Drag the handle (or use the arrows) to reorder, then publish the series: "
                "readers navigate it in this order. Positions count only what readers can see."
            ),
        ),
    ]

    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    base_form_class = SeriesForm

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "series"

    def __str__(self):
        return self.title

    @property
    def revisions(self):
        return self._revisions


class SeriesMember(Orderable):
    """One article's place in a series; `sort_order` is the editor's order."""

    series = ParentalKey(Series, on_delete=models.CASCADE, related_name="members")
    article = models.ForeignKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="series_memberships"
    )

    panels = [PageChooserPanel("article", page_type="articles.ArticlePage"), MemberStatusPanel()]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["article"],
                name="series_member_article_in_one_series",
                violation_error_message="This article already belongs to a series.",
            )
        ]

    def __str__(self):
        return f"{self.series} #{(self.sort_order or 0) + 1}: {self.article}"

    def clean(self):
        super().clean()
        if not self.article_id:
            return
        other = (
            SeriesMember.objects.filter(article_id=self.article_id)
            .exclude(series_id=self.series_id)
            .select_related("series", "article")
            .first()
        )
        if other is not None:
            raise ValidationError(
                {
                    "article": already_in_series_message(
                        article_title=other.article.title,
                        series_title=other.series.title,
                        position=(other.sort_order or 0) + 1,
                        leaving=_draft_leaves_out(other.series, self.article_id),
                    )
                }
            )


def _draft_leaves_out(series: Series, article_id: int) -> bool:
    """Whether the unpublished draft of a live series no longer lists the article."""
    if not (series.live and series.has_unpublished_changes and series.latest_revision_id):
        return False
    members = series.latest_revision.content.get("members", [])
    return all(member.get("article") != article_id for member in members)
