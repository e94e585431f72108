"""What every read endpoint shares: the cached, conditional base view and the list envelope."""

from rest_framework.response import Response
from rest_framework.views import APIView

from api.content.filters import clean_parameters
from api.content.pagination import CursorPage
from api.delivery.caching import ConditionalCachedMixin


def list_response(results: list, page: CursorPage) -> Response:
    """The list envelope: a page's shaped results and the links to its neighbouring pages."""
    return Response({"results": results, "next": page.next, "previous": page.previous})


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
