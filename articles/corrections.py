"""Corrections as public facts: recorded once, with a publish, never edited or deleted.

A correction says what was wrong and what changed, and whether it was `minor` (spelling, a
figure that changes no advice) or `substantive` (advice, a risk, a dose, a conclusion). It is
recorded only by `correction_record`, which announces it with `article_corrected` so the
delivery side reports the article as changed and, for a substantive one, tells partners. A
mistaken correction is superseded by another: nothing in the admin edits or deletes one.
"""

from django.db import transaction

from articles.events import article_corrected
from articles.models.health import ArticleCorrection


def correction_note(what_was_wrong: str, what_changed: str) -> str:
    """The one sentence readers see: what was wrong, then what changed."""
    wrong, changed = what_was_wrong.strip().rstrip("."), what_changed.strip().rstrip(".")
    return f"{wrong}. {changed}."


def correction_record(
    article, *, kind: str, what_was_wrong: str, what_changed: str, revision=None, user=None
) -> ArticleCorrection:
    """Record a correction of the (published) article and announce it, in one transaction."""
    if kind not in dict(ArticleCorrection.KINDS):
        raise ValueError(f"unknown correction kind {kind!r}")
    with transaction.atomic():
        correction = ArticleCorrection.objects.create(
            article_id=article.pk,
            kind=kind,
            what_was_wrong=what_was_wrong.strip(),
            what_changed=what_changed.strip(),
            revision=revision,
            recorded_by=user,
        )
        article_corrected.send(
            sender=ArticleCorrection, correction=correction, article_id=article.pk
        )
    return correction
