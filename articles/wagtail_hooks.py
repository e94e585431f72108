"""Admin registration: the Journal menu with authors, topics and series; the editors' dashboard
panels (reviews due among them, with its start-review action); the series choice of the article
editor; corrections recorded with a publish; the Editors' "Retract" action."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from articles.admin import retraction
from articles.admin.corrections import correction_apply, correction_keep
from articles.admin.dashboard import dashboard_panels_for
from articles.admin.forms import series_choice_apply
from articles.admin.review_due import ReviewsDuePanel, review_due_urls
from articles.models import Author, Series, Topic


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = "Authors"
    list_display = ["name", "credentials", "role", "updated_at"]
    list_filter = []
    search_fields = ["name", "role"]
    ordering = ["name"]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = "Topics"
    list_display = ["name", "slug", "updated_at"]
    search_fields = ["name"]
    ordering = ["name"]


class SeriesViewSet(SnippetViewSet):
    model = Series
    icon = "list-ol"
    menu_label = "Series"
    list_display = ["title", "slug", "live", "updated_at"]
    search_fields = ["title"]
    ordering = ["title"]


class JournalViewSetGroup(SnippetViewSetGroup):
    items = (SeriesViewSet, AuthorViewSet, TopicViewSet)
    menu_icon = "doc-full-inverse"
    menu_label = "Journal"
    menu_name = "journal"
    menu_order = 150


register_snippet(JournalViewSetGroup)


@hooks.register("construct_homepage_panels")
def add_editorial_panels(request, panels):
    panels.extend(dashboard_panels_for(request))
    panels.append(ReviewsDuePanel(request))


@hooks.register("register_admin_urls")
def review_admin_urls():
    return review_due_urls()


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def apply_series_choice(request, page):
    # The page exists now (a new one has its id): move it into the series it was given.
    series_choice_apply(request, page)


@hooks.register("before_publish_page")
def keep_correction(request, page):
    correction_keep(request, page)


@hooks.register("after_publish_page")
def record_correction(request, page):
    correction_apply(request, page)


@hooks.register("register_admin_urls")
def retraction_urls():
    return retraction.admin_urls()


@hooks.register("register_page_header_buttons")
def retract_header_button(page, user, view_name, next_url=None):
    button = retraction.retract_button(page, user, priority=75, unless_retracted=True)
    if button is not None:
        yield button


@hooks.register("register_page_listing_more_buttons")
def retract_listing_button(page, user, next_url=None):
    button = retraction.retract_button(page, user, priority=45)
    if button is not None:
        yield button


@hooks.register("construct_explorer_page_queryset")
def mark_retracted_pages(parent_page, pages, request):
    return retraction.with_retracted_flag(pages)
