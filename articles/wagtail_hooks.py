"""Admin registration: the Journal menu with authors, topics and series."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

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
