"""The topic list and a topic's detail."""

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
    topic_shape,
)
from api.content.views.base import TOPICS_BY_NAME, ReadOnlyView, list_response
from api.delivery.cdn import keys
from api.errors import NotFound
from articles.selectors import (
    topics,
)


class TopicListView(ReadOnlyView):
    parameters = LIST_PARAMETERS

    @extend_schema(
        operation_id="topics_list",
        parameters=[*schema.LIST_PARAMETERS, *schema.response_headers(last_modified=False)],
        responses={
            200: schema.TopicListSerializer,
            304: schema.NOT_MODIFIED,
            **schema.errors(*schema.LIST_ERRORS),
        },
    )
    def get(self, request):
        params = self.params
        page = keyset_page(
            topics(), TOPICS_BY_NAME, limit=parse_limit(params), cursor=params.get("cursor")
        )
        self.surrogate_keys = [keys.TOPIC_COLLECTION, *(keys.topic(t.pk) for t in page.items)]
        return list_response(request, [topic_shape(t) for t in page.items], page)


class TopicDetailView(ReadOnlyView):
    @extend_schema(
        operation_id="topics_retrieve",
        parameters=schema.response_headers(last_modified=True),
        responses={
            200: schema.TopicSerializer,
            304: schema.NOT_MODIFIED,
            **schema.errors(*schema.DETAIL_ERRORS),
        },
    )
    def get(self, request, slug: str):
        topic = topics().filter(slug=slug).first()
        if topic is None:
            raise NotFound(f"No topic has the slug {slug!r}.")
        self.last_modified = topic.updated_at
        self.surrogate_keys = [keys.topic(topic.pk)]
        return Response(topic_shape(topic))
