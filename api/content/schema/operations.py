"""The OpenAPI operation of a read endpoint: a list or a detail, with its headers and errors."""

from drf_spectacular.utils import extend_schema

from api.content.schema.parameters import LIST_PARAMETERS
from api.content.schema.responses import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    NOT_MODIFIED,
    errors,
    response_headers,
)


def list_operation(
    operation_id: str, serializer, *, parameters=LIST_PARAMETERS, last_modified=False
):
    """A paginated list: its query parameters, 200 with `serializer`, 304 and the list errors.

    `last_modified`: whether a 200 always (True), never (False) or sometimes (None) carries it.
    """
    return extend_schema(
        operation_id=operation_id,
        parameters=[*parameters, *response_headers(last_modified=last_modified)],
        responses={200: serializer, 304: NOT_MODIFIED, **errors(*LIST_ERRORS)},
    )


def detail_operation(operation_id: str, serializer, *, parameters=()):
    """One resource by its slug: 200 with `serializer` (always with Last-Modified), 304, 404."""
    return extend_schema(
        operation_id=operation_id,
        parameters=[*parameters, *response_headers(last_modified=True)],
        responses={200: serializer, 304: NOT_MODIFIED, **errors(*DETAIL_ERRORS)},
    )
