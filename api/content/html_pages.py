"""The public article page's JSON-LD: the API's own `structured_data`, embedded in its head.

Registered as Wagtail's `before_serve_page` hook (api/wagtail_hooks.py), so the page template
(articles/templates/articles/article_page.html) only prints what it finds on the request and
the domain knows nothing of the API. The object is the detail endpoint's, built by the same
code from the same visibility rule: the page and the API can never disagree about it.
"""

import json

from django.utils.safestring import SafeString, mark_safe
from wagtail import hooks

from api.content.views.articles import assemble_article_detail
from api.content.visibility import publisher_for, visibility_for
from articles.models import ArticlePage
from articles.selectors import article_by_slug

# Inside <script>, `</script>` or `<!--` in a title would end or break the element: escaped as
# JSON string escapes, which a JSON-LD parser reads back as the same characters.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def structured_data_script_body(data: dict) -> SafeString:
    """`data` as JSON safe to place between `<script type="application/ld+json">` tags."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES))  # noqa: S308


@hooks.register("before_serve_page")
def embed_structured_data(page, request, serve_args, serve_kwargs):
    if not isinstance(page.specific_deferred, ArticlePage):
        return None
    visibility = visibility_for(request)
    article = article_by_slug(visibility, page.slug)
    if article is None or article.pk != page.pk:
        return None  # a page readers of the API cannot see (private, another site's) has none
    detail = assemble_article_detail(
        visibility, article, publisher=publisher_for(request), with_body=False
    )
    request.folio_structured_data = structured_data_script_body(detail["structured_data"])
    return None
