"""Old WordPress addresses: `/?p=<id>` redirected, and each post's redirects made on publish.

Wagtail's RedirectMiddleware answers only requests that would be a 404, but `/?p=123` (a
WordPress post's address under plain permalinks) is the journal's home page with a query:
this middleware looks such requests up among the redirects first.
"""

from django.http import HttpResponsePermanentRedirect
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from articles.models import ImportedItem

WORDPRESS_QUERY_PARAMETERS = ("p", "page_id")


class WordPressQueryRedirectMiddleware:
    """Redirects `/?p=<id>` and `/?page_id=<id>` where an import recorded the post."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/" and request.method in ("GET", "HEAD"):
            values = [request.GET.get(name, "") for name in WORDPRESS_QUERY_PARAMETERS]
            if any(value.isdigit() for value in values):
                path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
                redirect = get_redirect(request, path)
                if redirect is not None and redirect.link:
                    return HttpResponsePermanentRedirect(redirect.link)
        return self.get_response(request)


def redirects_ensure(
    *, item: ImportedItem, site: Site | None, own_path: str
) -> tuple[int, list[str]]:
    """The permanent redirects from `item`'s old paths to its (live) article at `own_path`.

    Returns how many were created and the paths another redirect already claims (left alone).
    An old path that is the article's own address needs none (and would loop once the article
    is unpublished).
    """
    created, conflicts = 0, []
    own = Redirect.normalise_path(own_path)
    for path in item.old_paths:
        if path == own:
            continue
        existing = Redirect.get_for_site(site).filter(old_path=path).first()
        if existing is not None:
            if existing.redirect_page_id != item.page_id:
                conflicts.append(path)
            continue
        Redirect.objects.create(
            old_path=path, site=site, is_permanent=True, redirect_page_id=item.page_id
        )
        created += 1
    return created, conflicts
