"""The /api/v1/sync/ endpoint: its parameters, its response's shape and the view."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from api.content import schema
from api.content.filters import parse_limit
from api.content.pagination import MAX_LIMIT
from api.content.views import ReadOnlyView
from api.content.visibility import visibility_for
from api.delivery.cdn import keys
from api.delivery.sync import DEFAULT_SYNC_LIMIT, read_sync_token, sync_page
from api.partners.keys import partner_of

# The endpoint


class DeletedArticleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    deleted_at = serializers.DateTimeField(help_text="When it stopped being visible (logged)")


class SyncSerializer(serializers.Serializer):
    changed = schema.ArticleSummarySerializer(
        many=True, help_text="Visible articles to add or replace, as list summaries"
    )
    deleted = DeletedArticleSerializer(
        many=True, help_text="Articles to drop: unpublished, deleted, made private or expired"
    )
    next_token = serializers.CharField(
        help_text="Opaque; send it as `token` for the next page, or later for what changed since"
    )
    has_more = serializers.BooleanField(help_text="Follow `next_token` now while true")


SYNC_PARAMETERS = [
    OpenApiParameter(
        "token",
        schema.SYNC_TOKEN,
        description="Opaque `next_token` of an earlier response; omit it to start a full sync",
    ),
    OpenApiParameter(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_SYNC_LIMIT},
        description="1 to 100, default 100",
    ),
    *schema.response_headers(last_modified=False),
]


class SyncView(ReadOnlyView):
    """Full and delta sync of the visible articles, for clients that keep an offline copy."""

    parameters = ("token", "limit")
    # A delta for a token grows as editors publish: clients and CDNs may keep the body but must
    # revalidate it (a 304 is cheap) every time, never serve it from freshness alone.
    cache_control = "public, no-cache"
    surrogate_keys = (keys.SYNC,)

    @extend_schema(
        operation_id="sync_retrieve",
        description=(
            "Without `token`, starts a full sync from an empty store: every visible article in "
            "`changed`, page by page. With the `next_token` of a response, continues it, or "
            "fetches what changed since. Follow tokens until `has_more` is false, applying "
            "`changed` (add or replace by `id`) and `deleted` (drop by `id`), and keep the last "
            "token for the next sync. A token the server did not issue, or one from before the "
            "site's root page changed, is a 400 `invalid_token`; one from before what the "
            "change log still holds (older than its retention) is a 410 `sync_token_expired`: "
            "either way, start a full sync again and replace the stored articles with it."
        ),
        parameters=SYNC_PARAMETERS,
        responses={
            200: SyncSerializer,
            304: schema.NOT_MODIFIED,
            **schema.errors(*schema.LIST_ERRORS),
            410: OpenApiResponse(
                schema.ErrorSerializer,
                description="`sync_token_expired`: the token is older than the change log's "
                "retention; start again with a full sync (no token)",
            ),
        },
    )
    def get(self, request):
        params = self.params
        limit = parse_limit(params) if "limit" in params else DEFAULT_SYNC_LIMIT
        # The token is checked before any query; its site once the request's site is known.
        position = read_sync_token(params["token"]) if "token" in params else None
        return Response(
            sync_page(
                visibility_for(request), position=position, limit=limit, partner=partner_of(request)
            )
        )
