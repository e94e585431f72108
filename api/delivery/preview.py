"""Headless preview: a draft, by short-lived signed token, in the article detail shape."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from wagtail_headless_preview.models import PagePreview

from api.content import schema
from api.content.views import ReadOnlyView, assemble_article_detail
from api.content.visibility import publisher_for, visibility_for
from api.delivery.caching import NO_STORE
from api.errors import ApiError, InvalidParameter, InvalidToken
from articles.models import ArticlePage
from articles.retraction import retraction_of

# The page types a client may preview, by the `content_type` value the admin hands out.
PREVIEWABLE = {ArticlePage.get_content_type_str(): ArticlePage}


class ExpiredToken(ApiError):
    status_code = 401
    default_code = "invalid_token"
    default_detail = "The preview token has expired; open the preview from the admin again."


def preview_page(*, content_type: str, token: str) -> ArticlePage:
    """The draft a preview token stands for, or an error saying why there is none."""
    model = PREVIEWABLE.get(content_type)
    if model is None:
        raise InvalidParameter(
            {"content_type": [f"must be one of: {', '.join(sorted(PREVIEWABLE))}"]}
        )
    try:
        model.get_preview_signer().unsign(token, max_age=settings.PREVIEW_TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise ExpiredToken() from None
    except signing.BadSignature:
        raise InvalidToken(
            "The preview token was not issued by this server.",
            details={"token": ["is not a preview token issued by this server"]},
        ) from None
    preview = PagePreview.objects.filter(
        content_type=ContentType.objects.get_for_model(model), token=token
    ).first()
    if preview is None:
        # Signed by us, but for another page type or already garbage-collected.
        raise InvalidToken(
            "No preview exists for this token and content type.",
            details={"token": ["names no preview of this content type"]},
        )
    page = preview.as_page()
    # A retraction outlives every revision: a retracted article's draft previews retracted.
    retraction = retraction_of(page) if page.pk else None
    if retraction is not None:
        page.retracted_at, page.retraction_reason = retraction.at, retraction.reason
    if page.first_published_at is None:
        # Never published: show it where it would go if published now.
        page.first_published_at = page.last_published_at = timezone.now()
    return page


class PreviewView(ReadOnlyView):
    """A draft article as it would be published, for a signed preview token from the admin."""

    parameters = ("content_type", "token")
    # Drafts are never stored by a browser, a proxy, a CDN or our own cache.
    cache_control = NO_STORE

    @extend_schema(
        operation_id="preview_retrieve",
        parameters=[
            OpenApiParameter(
                "content_type",
                {"type": "string", "enum": sorted(PREVIEWABLE)},
                required=True,
                description="The previewed page type, as handed out by the admin",
            ),
            OpenApiParameter(
                "token",
                schema.PREVIEW_TOKEN,
                required=True,
                description="Short-lived preview token, as handed out by the admin",
            ),
            # Never stored anywhere, so no surrogate keys; previews have no Last-Modified.
            *schema.response_headers(last_modified=False, surrogate_keys=False),
        ],
        responses={
            200: schema.ArticleDetailSerializer,
            **schema.errors(
                *schema.LIST_ERRORS,
                **{
                    "401": OpenApiResponse(
                        schema.ErrorSerializer,
                        description="`invalid_token`: an expired preview token; "
                        "`invalid_api_key`: an unusable partner key",
                    )
                },
            ),
        },
    )
    def get(self, request):
        params = self.params
        missing = [name for name in self.parameters if name not in params]
        if missing:
            raise InvalidParameter({name: ["is required"] for name in missing})
        page = preview_page(content_type=params["content_type"], token=params["token"])
        return Response(
            assemble_article_detail(
                visibility_for(request), page, publisher=publisher_for(request), draft=True
            )
        )
