"""The author list and an author's detail."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from api.content import schema
from api.content.filters import (
    LIST_PARAMETERS,
    parse_limit,
)
from api.content.pagination import (
    keyset_page,
)
from api.content.serializers import (
    author_shape,
)
from api.content.views.base import AUTHORS_BY_NAME, ReadOnlyView, list_response
from api.delivery.cdn import keys
from api.errors import NotFound
from articles.selectors import (
    authors,
)


class AuthorListView(ReadOnlyView):
    parameters = LIST_PARAMETERS

    @extend_schema(
        operation_id="authors_list",
        parameters=[*schema.LIST_PARAMETERS, *schema.response_headers(last_modified=False)],
        responses={
            200: schema.AuthorListSerializer,
            304: schema.NOT_MODIFIED,
            **schema.errors(*schema.LIST_ERRORS),
        },
    )
    def get(self, request):
        params = self.params
        page = keyset_page(
            authors(), AUTHORS_BY_NAME, limit=parse_limit(params), cursor=params.get("cursor")
        )
        self.surrogate_keys = [keys.AUTHOR_COLLECTION]
        for author in page.items:
            self.surrogate_keys += [keys.author(author.pk), *keys.images([author.photo_id])]
        return list_response(request, [author_shape(a) for a in page.items], page)


class AuthorDetailView(ReadOnlyView):
    @extend_schema(
        operation_id="authors_retrieve",
        parameters=schema.response_headers(last_modified=True),
        responses={
            200: schema.AuthorSerializer,
            304: schema.NOT_MODIFIED,
            **schema.errors(*schema.DETAIL_ERRORS),
        },
    )
    def get(self, request, slug: str):
        author = authors().filter(slug=slug).first()
        if author is None:
            raise NotFound(f"No author has the slug {slug!r}.")
        self.last_modified = author.updated_at
        self.surrogate_keys = [keys.author(author.pk), *keys.images([author.photo_id])]
        return Response(author_shape(author))
