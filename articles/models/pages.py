"""Page models: the journal index (a site's root) and the articles beneath it."""

import math

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_headless_preview.models import HeadlessPreviewMixin

from articles.admin.corrections import CorrectionsPanel
from articles.admin.forms import ArticlePageAdminForm
from articles.admin.readability import ReadingGradePanel
from articles.admin.retraction_note import RetractionPanel
from articles.blocks import ArticleBodyBlock
from articles.cadence import review_dates_apply
from articles.readability import reading_grade

WORDS_PER_MINUTE = 230
# What the review dates are computed from, and the dates (articles/cadence.py).
REVIEW_INPUTS = ("medical_reviewer", "medical_reviewed_at", "review_interval_months")
REVIEW_DATES = ("next_review_due", "review_due_soon_from")


def reading_time_for(words: int) -> int:
    """Minutes an adult needs for `words` words of prose, never less than one."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


class ArticleIndexPage(Page):
    """The journal: the root page of a site, under which all its articles live."""

    intro = models.TextField(blank=True, max_length=1000)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    search_fields = Page.search_fields

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["articles.ArticlePage"]

    class Meta:
        verbose_name = "journal"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from articles.selectors import without_retracted

        context["articles"] = (
            without_retracted(ArticlePage.objects.child_of(self).live().public())
            .order_by("-first_published_at")
            .defer_streamfields()[:50]
        )
        return context


class ArticleTag(TaggedItemBase):
    """Free-text tags on an article (django-taggit through model)."""

    content_object = ParentalKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticleAuthor(Orderable):
    """One name in an article's byline; `sort_order` is the byline order."""

    article = ParentalKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="article_authors"
    )
    author = models.ForeignKey("articles.Author", on_delete=models.PROTECT, related_name="bylines")

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["article", "author"],
                name="article_author_once_per_byline",
                violation_error_message="This author is already in the byline.",
            )
        ]

    def __str__(self):
        return str(self.author)


class ArticlePage(HeadlessPreviewMixin, Page):
    """A published piece of health journalism."""

    # Editors preview in the site's own template, or in the client app through the API.
    CLIENT_PREVIEW_MODE = "client"

    LICENSES = [
        ("partner-agreement", "Partner syndication agreement"),
        ("cc-by-4.0", "CC BY 4.0"),
        ("cc-by-nc-nd-4.0", "CC BY-NC-ND 4.0"),
        ("all-rights-reserved", "All rights reserved"),
    ]

    subtitle = models.CharField(max_length=255, blank=True)
    summary = models.TextField(
        max_length=600, help_text="One or two sentences shown in lists, feeds and previews."
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hero_image_alt = models.CharField(
        "alt text", max_length=250, blank=True, help_text="Required when there is a hero image."
    )
    hero_image_caption = models.CharField("caption", max_length=400, blank=True)
    hero_image_credit = models.CharField("credit", max_length=200, blank=True)
    body = StreamField(ArticleBodyBlock(), blank=True)
    topics = ParentalManyToManyField("articles.Topic", blank=True, related_name="articles")
    tags = ClusterTaggableManager(through=ArticleTag, blank=True)

    medical_reviewer = models.ForeignKey(
        "articles.Author",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviewed_articles",
        help_text="A clinician with credentials who checked the medical content.",
    )
    medical_reviewed_at = models.DateField("reviewed on", null=True, blank=True)

    syndication_allowed = models.BooleanField(
        "partners may republish",
        default=True,
        help_text="Untick to keep this article off partner sites and full-text partner feeds.",
    )
    syndication_license = models.CharField(
        "license", max_length=40, choices=LICENSES, default="partner-agreement"
    )
    syndication_attribution = models.CharField(
        "attribution",
        max_length=300,
        blank=True,
        help_text="Credit line partners must show, e.g. “First published by Folio Health”.",
    )
    canonical_url = models.URLField(
        "canonical URL override",
        max_length=1000,
        blank=True,
        help_text="Only when the article first appeared elsewhere; else our own URL is canonical.",
    )

    review_interval_months = models.PositiveSmallIntegerField(
        "review every (months)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Leave blank for the site's default (Settings → Health content).",
    )

    # Denormalised from the body on every save so lists never load bodies to compute it.
    reading_time_minutes = models.PositiveSmallIntegerField(default=1, editable=False)
    # Flesch-Kincaid grade of the body's prose, computed on save (articles/readability.py).
    reading_grade = models.DecimalField(
        max_digits=4, decimal_places=1, null=True, blank=True, editable=False
    )
    # The last medical review plus the review interval, computed on save and kept current
    # when the site's default changes, so "due for review" is an indexed range.
    next_review_due = models.DateField(null=True, blank=True, editable=False, db_index=True)
    # From this day the review is due soon: next_review_due less the site's due_soon_days,
    # kept beside it so a detail states the review's status without reading the site's policy.
    review_due_soon_from = models.DateField(null=True, blank=True, editable=False, db_index=True)

    content_panels = [
        # Shown only once retracted: editors see it before anything they might edit.
        RetractionPanel(heading="Retracted"),
        *Page.content_panels,
        FieldPanel("subtitle"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("hero_image"),
                FieldPanel("hero_image_alt"),
                FieldRowPanel([FieldPanel("hero_image_caption"), FieldPanel("hero_image_credit")]),
            ],
            heading="Hero image",
        ),
        FieldPanel("body"),
        InlinePanel("article_authors", heading="Byline", label="Author", min_num=1),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("tags"),
        # Not a model field: the form adds the article to the series' draft (articles/admin).
        FieldPanel("series", permission="articles.change_series"),
    ]
    review_panels = [
        MultiFieldPanel(
            [
                FieldPanel("medical_reviewer"),
                FieldPanel("medical_reviewed_at"),
                FieldPanel("review_interval_months"),
            ],
            heading="Medical review",
        ),
        InlinePanel("references", heading="References", label="Reference"),
        ReadingGradePanel(),
        # Not page fields: the form records a correction with the publish (articles/admin).
        MultiFieldPanel(
            [
                FieldPanel("correction_kind"),
                FieldPanel("correction_what_was_wrong"),
                FieldPanel("correction_what_changed"),
                CorrectionsPanel(),
            ],
            heading="Correction",
        ),
    ]
    syndication_panels = [
        FieldPanel("syndication_allowed"),
        FieldPanel("syndication_license"),
        FieldPanel("syndication_attribution"),
        FieldPanel("canonical_url"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Content"),
            ObjectList(review_panels, heading="Review and references"),
            ObjectList(syndication_panels, heading="Syndication"),
            ObjectList(Page.promote_panels, heading="Promote"),
            ObjectList(Page.settings_panels, heading="Settings", classname="settings"),
        ]
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("subtitle", boost=2),
        index.SearchField("summary", boost=1.5),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name", boost=1.5)]),
        index.RelatedFields(
            "article_authors", [index.RelatedFields("author", [index.SearchField("name")])]
        ),
        index.FilterField("first_published_at"),
        index.FilterField("last_published_at"),
    ]

    base_form_class = ArticlePageAdminForm

    parent_page_types = ["articles.ArticleIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "article"

    # Validation

    def slug_clash_message(self, slug: str) -> str | None:
        """Why `slug` cannot be this article's slug, or None: slugs are unique across articles."""
        if not slug:
            return None
        others = ArticlePage.objects.filter(slug=slug)
        if self.pk is not None:
            # An alias shares its original's slug by design.
            others = others.exclude(pk=self.pk).exclude(alias_of_id=self.pk)
        if self.alias_of_id is not None:
            others = others.exclude(pk=self.alias_of_id)
        clash = others.only("title").first()
        if clash is None:
            return None
        return (
            f"The slug “{slug}” is already used by the article “{clash.title}”. "
            "Article slugs are unique across the whole journal: choose another."
        )

    def minimal_clean(self):
        # Drafts skip full validation, but a draft must not take another article's slug.
        super().minimal_clean()
        if slug_error := self.slug_clash_message(self.slug):
            raise ValidationError({"slug": slug_error})

    def clean(self):
        super().clean()
        errors = {}
        if slug_error := self.slug_clash_message(self.slug):
            errors["slug"] = slug_error
        if self.hero_image_id and not self.hero_image_alt.strip():
            errors["hero_image_alt"] = "Describe the hero image for readers who cannot see it."
        if self.medical_reviewer_id:
            if not self.medical_reviewer.can_review:
                errors["medical_reviewer"] = (
                    f"{self.medical_reviewer.name} has no credentials on file; "
                    "only a credentialed clinician can be the medical reviewer."
                )
            if self.medical_reviewed_at is None:
                errors["medical_reviewed_at"] = "Give the date of the medical review."
        elif self.medical_reviewed_at is not None:
            errors["medical_reviewer"] = "Name the reviewer for this review date."
        if self.medical_reviewed_at and self.medical_reviewed_at > timezone.localdate():
            errors["medical_reviewed_at"] = "A review date cannot be in the future."
        if errors:
            raise ValidationError(errors)

    # Derived values

    def body_word_count(self) -> int:
        texts = self.body.stream_block.get_searchable_content(self.body) if self.body else []
        return sum(len(str(text).split()) for text in texts)

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            self.reading_time_minutes = reading_time_for(self.body_word_count())
            self.reading_grade = reading_grade(self.body)
        if update_fields is None or {*REVIEW_INPUTS} & set(update_fields):
            review_dates_apply(self)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *REVIEW_DATES}
        return super().save(*args, **kwargs)

    @property
    def status_string(self):
        # The admin explorer marks retracted pages (articles/admin/retraction.py); elsewhere
        # the edit page's note says it, without a query per listed page.
        if self.live and getattr(self, "folio_retracted", False):
            return "retracted"
        return super().status_string

    def get_context(self, request, *args, **kwargs):
        # The page keeps answering once retracted, with the notice in place of the body.
        from articles.retraction import retraction_of

        context = super().get_context(request, *args, **kwargs)
        context["retraction"] = retraction_of(self) if self.pk else None
        return context

    # Preview

    @property
    def preview_modes(self):
        return [("", "Article page"), (self.CLIENT_PREVIEW_MODE, "Client app (headless)")]

    def serve_preview(self, request, mode_name):
        if mode_name == self.CLIENT_PREVIEW_MODE:
            # A short-lived signed token for this draft, handed to the client app's URL.
            return HeadlessPreviewMixin.serve_preview(self, request, mode_name)
        return Page.serve_preview(self, request, mode_name)

    @property
    def ordered_authors(self):
        return [byline.author for byline in self.article_authors.all()]

    @property
    def series_membership(self):
        """This article's place in a published series, or None (at most one, by constraint)."""
        return self.series_memberships.filter(series__live=True).select_related("series").first()
