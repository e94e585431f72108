"""Absolute URLs for everything a response links to: pages, API resources and media files."""

from django.conf import settings
from django.urls import reverse


def absolute(url: str) -> str:
    """`url` made absolute against PUBLIC_BASE_URL (media on S3 is absolute already)."""
    if url.startswith(("http://", "https://")):
        return url
    return f"{settings.PUBLIC_BASE_URL}{url if url.startswith('/') else '/' + url}"


def page_url(url_path: str, *, site_root_path: str) -> str:
    """The public URL of a page, from its tree `url_path` and the root path of its site.

    Computed from stored paths rather than `Page.full_url` so that no site lookup or query
    happens per page, and so that every worker builds the same URL from PUBLIC_BASE_URL.
    """
    relative = (
        url_path[len(site_root_path) - 1 :] if url_path.startswith(site_root_path) else url_path
    )
    return absolute(relative)


def api_url(name: str, **kwargs) -> str:
    return absolute(reverse(f"api:{name}", kwargs=kwargs))


def article_api_url(slug: str) -> str:
    # Formatted rather than reversed: this runs for every article in every list.
    return f"{settings.PUBLIC_BASE_URL}/api/v1/articles/{slug}/"
