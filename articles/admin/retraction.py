"""Retracting from the admin: the Editors' page action and its confirm view.

The action is offered to Editors and superusers only (`may_retract`), on a live article that is
not retracted yet; the view checks again, so a Writer who types its URL gets a 403. The work
itself is the domain's (articles/retraction.py), in the request's one transaction
(cms/middleware.py). The edit page's note is articles/admin/retraction_note.py.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail.admin.widgets import Button

from articles.models import ArticlePage, ArticleRetraction
from articles.retraction import (
    MAX_REASON_LENGTH,
    RetractionRefused,
    article_retract,
    may_retract,
    retraction_of,
)

URL_NAME = "articles_retract"


class RetractionForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Readers see it in place of the article, and partners receive it.",
    )


def retract_view(request, page_id: int):
    if not may_retract(request.user):
        raise PermissionDenied("Only Editors can retract articles.")
    article = get_object_or_404(ArticlePage, pk=page_id)
    edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    retraction = retraction_of(article)
    form = RetractionForm(request.POST or None)
    if request.method == "POST" and retraction is None and form.is_valid():
        try:
            article_retract(article, reason=form.cleaned_data["reason"], user=request.user)
        except RetractionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                f"“{article.title}” is retracted: it has left every list and feed, partners are "
                "told to take it down, and its page shows the notice.",
            )
            return redirect(edit_url)
    return TemplateResponse(
        request,
        "articles/admin/retract.html",
        {
            "page": article,
            "form": form,
            "retraction": retraction,
            "edit_url": edit_url,
            "header_title": f"Retract {article.title}",
            "page_title": "Retract",
            "page_subtitle": article.title,
            "header_icon": "warning",
        },
    )


def admin_urls() -> list:
    return [path("articles/<int:page_id>/retract/", retract_view, name=URL_NAME)]


def _offered(page, user) -> bool:
    # Listings ask for every row: the group check is remembered on the user for the request.
    if not hasattr(user, "_folio_may_retract"):
        user._folio_may_retract = may_retract(user)
    return user._folio_may_retract and page.live and issubclass(page.specific_class, ArticlePage)


def retract_button(page, user, *, priority: int, unless_retracted: bool = False):
    """The "Retract" action for an Editor on a live article, or None.

    Never for an article already retracted: the explorer's rows carry `folio_retracted` from
    its one statement (`with_retracted_flag`); elsewhere `unless_retracted` asks (one query:
    the page's own header). Without either, the confirm view says it is already retracted.
    """
    if not _offered(page, user):
        return None
    retracted = getattr(page, "folio_retracted", None)
    if retracted is None and unless_retracted:
        retracted = retraction_of(page) is not None
    if retracted:
        return None
    return Button(
        "Retract",
        reverse(URL_NAME, args=[page.pk]),
        icon_name="warning",
        attrs={"data-folio-retract": page.pk},
        priority=priority,
    )


def with_retracted_flag(pages):
    """The explorer's pages marked `folio_retracted`, for their status tag (in the listing's
    one statement, not a query per row)."""
    return pages.annotate(
        folio_retracted=Exists(ArticleRetraction.objects.filter(article_id=OuterRef("pk")))
    )
