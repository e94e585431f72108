"""Health-content records: the site's review and readability policy, corrections, retractions."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="pick")
class HealthContentSettings(BaseSiteSetting):
    """A site's policy for clinical content: how often reviews fall due, and how plain to write."""

    review_interval_months = models.PositiveSmallIntegerField(
        "review every (months)",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="How long a medical review stays current; an article may set its own.",
    )
    due_soon_days = models.PositiveSmallIntegerField(
        "due soon (days before)",
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="How many days before its due date a review counts as due soon.",
    )
    reading_grade_target = models.DecimalField(
        "target reading grade",
        max_digits=3,
        decimal_places=1,
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(18)],
        help_text="The Flesch-Kincaid grade articles should not exceed (8: most adults).",
    )

    class Meta:
        verbose_name = "health content"


class ArticleCorrection(models.Model):
    """A correction to a published article, recorded when it was published: a public fact.

    Append-only: the admin never edits or deletes one; a mistaken correction is superseded by
    another.
    """

    MINOR = "minor"
    SUBSTANTIVE = "substantive"
    KINDS = [(MINOR, "Minor"), (SUBSTANTIVE, "Substantive")]

    article = models.ForeignKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="corrections"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=12, choices=KINDS)
    what_was_wrong = models.TextField(max_length=2000)
    what_changed = models.TextField(max_length=2000)
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["article", "-at"], name="correction_article_at_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} correction of {self.at:%Y-%m-%d}"


class ArticleRetraction(models.Model):
    """An article withdrawn by an Editor: its URL keeps answering, with a notice and the reason.

    Kept beside the page rather than on it: page fields are copied from a revision on every
    publish, and a retraction must not be undone by publishing an older draft.
    """

    article = models.OneToOneField(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="retraction"
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(max_length=4000)
    retracted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return f"Retracted on {self.at:%Y-%m-%d}"


class ReviewReminder(models.Model):
    """A reminder sent to a reviewer about one review's state, so it is never sent twice."""

    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    STATES = [(DUE_SOON, "Due soon"), (OVERDUE, "Overdue")]

    article = models.ForeignKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="review_reminders"
    )
    reviewer = models.ForeignKey("articles.Author", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=STATES)
    # The review the reminder is about: a new review starts its reminders afresh.
    reviewed_at = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "state", "reviewed_at"], name="review_reminder_once_per_state"
            )
        ]

    def __str__(self):
        return f"{self.get_state_display()} reminder of {self.sent_at:%Y-%m-%d}"
