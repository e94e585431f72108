"""What every read endpoint shares: the cached, conditional base view, list responses, orderings."""

import re

from rest_framework.response import Response
from rest_framework.views import APIView

from api.content.filters import (
    clean_parameters,
)
from api.content.pagination import (
    Ordering,
    page_link,
)
from api.delivery.caching import ConditionalCachedMixin

ARTICLE_ORDERINGS = {
    "-published_at": Ordering(
        "articles:-published_at",
        ("first_published_at", "pk"),
        descending=True,
        datetime_fields=frozenset({"first_published_at"}),
    ),
    "published_at": Ordering(
        "articles:published_at",
        ("first_published_at", "pk"),
        descending=False,
        datetime_fields=frozenset({"first_published_at"}),
    ),
    "title": Ordering("articles:title", ("title", "pk"), descending=False),
    "-updated_at": Ordering(
        "articles:-updated_at",
        ("last_published_at", "pk"),
        descending=True,
        datetime_fields=frozenset({"last_published_at"}),
    ),
}
# Cursor names are unique per list, so a cursor only ever continues the list that issued it.
SERIES_ORDER = Ordering("articles:series", ("series_position", "pk"), descending=False)
SERIES_BY_TITLE = Ordering("series:title", ("title", "pk"), descending=False)
AUTHORS_BY_NAME = Ordering("authors:name", ("name", "pk"), descending=False)
TOPICS_BY_NAME = Ordering("topics:name", ("name", "pk"), descending=False)


def search_terms(raw: str) -> str:
    """The words of a search, without the operators and quotes of any engine's query syntax.

    Clients search for words; passing `"` or `*` through would let a client write FTS syntax
    (and errors) into the database's query.
    """
    return " ".join(re.findall(r"\w+", raw))


def list_response(request, results: list, page) -> Response:
    return Response(
        {
            "results": results,
            "next": page_link(request, page.next_cursor),
            "previous": page_link(request, page.previous_cursor),
        }
    )


class ReadOnlyView(ConditionalCachedMixin, APIView):
    """A public GET endpoint that accepts exactly the query parameters it names.

    Responses get ETags and conditional GET, and anonymous ones the shared response cache
    (api/delivery/caching.py); a view sets `self.last_modified` when its resource has a
    modification time.
    """

    parameters: tuple[str, ...] = ()
    params: dict[str, str]

    def initial(self, request, *args, **kwargs):
        # A method the endpoint does not answer is a 405 whatever the query says (TRACE with a
        # bad parameter was a 400); DRF's dispatch raises it once `initial` has run.
        if request.method.lower() not in self.http_method_names or not hasattr(
            self, request.method.lower()
        ):
            self.params = {}
        else:
            # Before DRF's own handling, which would act on parameters such as ?format= itself.
            self.params = clean_parameters(request, self.parameters)
        super().initial(request, *args, **kwargs)
