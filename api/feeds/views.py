"""The feed endpoints: partner keys, parameters, throttling, conditional GET, the shared cache."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.cache import patch_vary_headers
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from wagtail.models import Site

from api.content.addresses import absolute
from api.content.filters import clean_parameters
from api.content.visibility import visibility_for
from api.delivery.caching import (
    PRIVATE_CACHE_CONTROL,
    anonymous_cache_control,
    cache_store,
    etag_for,
    is_not_modified,
    last_modified_header,
    not_modified,
    request_cache_lookup,
    schedule_boundary,
)
from api.delivery.cdn import keys
from api.errors import ApiError, NotFound, error_body
from api.feeds.documents import render_feed
from api.feeds.entries import (
    ALL,
    SERIES,
    feed_document,
    item_count,
    newest_articles,
    rendered_bodies,
    scoped_articles,
)
from api.partners.keys import partner_key_for
from api.partners.rights import feed_bodies_allowed
from api.partners.throttling import request_throttle_wait, throttled_response

# Feed readers cannot send headers, so the key may come as ?api_key= (and nothing else may).
PARAMETERS = ("api_key",)
# The key may come in Authorization; the key in the query string makes its own URL.
VARY = ("Accept-Encoding", "Authorization")
FORMATS = ("rss", "atom", "json")


def error_response(error: ApiError) -> JsonResponse:
    response = JsonResponse(
        error_body(error.status_code, error.default_code, str(error.detail), error.details),
        status=error.status_code,
    )
    for name, value in error.headers.items():
        response[name] = value
    return response


class MethodNotAllowed(ApiError):
    status_code = 405
    default_code = "method_not_allowed"
    default_detail = "Feeds are read with GET (or HEAD)."
    headers = {"Allow": "GET, HEAD"}


@method_decorator(csrf_exempt, name="dispatch")  # a write method is a JSON 405, not a CSRF page
class FeedView(View):
    """One feed: every article (`scope` ALL), or one series' or topic's, in one `format`."""

    scope: str = ALL
    format: str = "rss"

    def dispatch(self, request, slug: str | None = None):
        if request.method not in ("GET", "HEAD"):
            return error_response(MethodNotAllowed())
        try:
            clean_parameters(request, PARAMETERS)
            # First: it decides what visibility_for shows (and the throttle that counts).
            api_key = partner_key_for(request, allow_query=True)
        except ApiError as error:
            return error_response(error)
        wait = request_throttle_wait(request)
        if wait is not None:
            return throttled_response(wait)

        anonymous = api_key is None
        cache_key = generation = None
        if anonymous and settings.API_RESPONSE_CACHE:
            cache_key, generation, cached = request_cache_lookup(request)
            if cached is not None:
                return cached

        try:
            response = self.render(
                request, slug, partner=api_key.partner if api_key is not None else None
            )
        except ApiError as error:
            return error_response(error)
        response["Cache-Control"] = (
            anonymous_cache_control(schedule_boundary(request))
            if anonymous
            else PRIVATE_CACHE_CONTROL
        )
        patch_vary_headers(response, VARY)
        if cache_key is not None and generation is not None:
            cache_store(cache_key, generation=generation, response=response)
        if is_not_modified(
            request, etag=response["ETag"], last_modified=response.get("Last-Modified")
        ):
            return not_modified(response.headers)
        return response

    def render(self, request, slug: str | None, *, partner) -> HttpResponse:
        full_text = feed_bodies_allowed(partner)
        visibility = visibility_for(request)
        found = scoped_articles(visibility, kind=self.scope, slug=slug)
        if found is None:
            kind = "series" if self.scope == SERIES else "topic"
            raise NotFound(f"No published {kind} has the slug {slug!r}.")
        articles, scope = found
        items = newest_articles(articles, limit=item_count(), with_bodies=full_text)
        site = Site.find_for_request(request)  # cached on the request by visibility_for
        document = feed_document(
            visibility=visibility,
            scope=scope,
            articles=items,
            bodies=rendered_bodies(visibility, items) if full_text else None,
            partner=partner,
            site_name=(site.site_name if site else "") or settings.WAGTAIL_SITE_NAME,
            # Never with the query string: a partner's key must not travel inside its feed.
            self_url=absolute(request.path),
        )
        content, content_type = render_feed(document, format=self.format, request=request)
        response = HttpResponse(content, content_type=content_type)
        response["ETag"] = etag_for(content)
        if document.entries or scope is not None:
            response["Last-Modified"] = last_modified_header(document.updated)
        shown = [keys.ARTICLE_COLLECTIONS]
        for article in items:
            shown += keys.instance_keys(article)
        if scope is not None:
            shown.append(keys.series(scope.pk) if scope.kind == SERIES else keys.topic(scope.pk))
        for name, value in keys.header_values(shown).items():
            response[name] = value
        return response
