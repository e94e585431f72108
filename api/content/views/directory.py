"""The directories: authors and topics, each a list by name and a detail by slug.

Both are the same two endpoints over a different model, so each is a few class attributes on
`DirectoryListView` and `DirectoryDetailView`: the rows (a selector), the ordering its cursors
name, the shape, and the surrogate keys a row shows.
"""

from collections.abc import Callable

from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema_view
from rest_framework.response import Response

from api.content import schema
from api.content.filters import LIST_PARAMETERS, parse_limit
from api.content.orderings import AUTHORS_BY_NAME, TOPICS_BY_NAME
from api.content.pagination import Ordering, keyset_page
from api.content.serializers import author_shape, topic_shape
from api.content.views.base import ReadOnlyView, list_response
from api.delivery.cdn import keys
from api.errors import NotFound
from articles.selectors import authors, topics


class DirectoryListView(ReadOnlyView):
    """Every row of a directory, by name, keyset-paginated."""

    parameters = LIST_PARAMETERS
    rows: Callable[[], QuerySet]
    ordering: Ordering
    shape: Callable[[Model], dict]
    collection_key: str
    row_keys: Callable[[Model], list[str]]

    def get(self, request):
        params = self.params
        page = keyset_page(
            self.rows(),
            self.ordering,
            limit=parse_limit(params),
            cursor=params.get("cursor"),
            request=request,
        )
        self.surrogate_keys = [self.collection_key]
        for row in page.items:
            self.surrogate_keys += self.row_keys(row)
        return list_response([self.shape(row) for row in page.items], page)


class DirectoryDetailView(ReadOnlyView):
    """One row of a directory by its slug; 404 when none has it."""

    noun: str
    rows: Callable[[], QuerySet]
    shape: Callable[[Model], dict]
    row_keys: Callable[[Model], list[str]]

    def get(self, request, slug: str):
        row = self.rows().filter(slug=slug).first()
        if row is None:
            raise NotFound(f"No {self.noun} has the slug {slug!r}.")
        self.last_modified = row.updated_at
        self.surrogate_keys = self.row_keys(row)
        return Response(self.shape(row))


def _author_keys(author) -> list[str]:
    return [keys.author(author.pk), *keys.images([author.photo_id])]


def _topic_keys(topic) -> list[str]:
    return [keys.topic(topic.pk)]


@extend_schema_view(get=schema.list_operation("authors_list", schema.AuthorListSerializer))
class AuthorListView(DirectoryListView):
    """Authors and reviewers by name."""

    rows = staticmethod(authors)
    ordering = AUTHORS_BY_NAME
    shape = staticmethod(author_shape)
    collection_key = keys.AUTHOR_COLLECTION
    row_keys = staticmethod(_author_keys)


@extend_schema_view(get=schema.detail_operation("authors_retrieve", schema.AuthorSerializer))
class AuthorDetailView(DirectoryDetailView):
    """One author by their slug."""

    noun = "author"
    rows = staticmethod(authors)
    shape = staticmethod(author_shape)
    row_keys = staticmethod(_author_keys)


@extend_schema_view(get=schema.list_operation("topics_list", schema.TopicListSerializer))
class TopicListView(DirectoryListView):
    """Topics by name."""

    rows = staticmethod(topics)
    ordering = TOPICS_BY_NAME
    shape = staticmethod(topic_shape)
    collection_key = keys.TOPIC_COLLECTION
    row_keys = staticmethod(_topic_keys)


@extend_schema_view(get=schema.detail_operation("topics_retrieve", schema.TopicSerializer))
class TopicDetailView(DirectoryDetailView):
    """One topic by its slug."""

    noun = "topic"
    rows = staticmethod(topics)
    shape = staticmethod(topic_shape)
    row_keys = staticmethod(_topic_keys)
