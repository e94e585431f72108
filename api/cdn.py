"""CDN integration: surrogate keys on responses, and URL purges through Wagtail's frontend cache.

Responses name what they contain in `Surrogate-Key` (Fastly and others) and `Cache-Tag`
(Cloudflare): `articles`, `article-<id>`, `series`, `series-<slug>`, `topic-<slug>`, ... so a
CDN that purges by key can drop exactly what an editorial change affects, whatever the query
string. For CDNs that purge by URL, `wagtail.contrib.frontend_cache` (off unless
WAGTAILFRONTENDCACHE is configured) is told the fixed API URLs an article's change affects.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django_tasks import task
from wagtail.signals import page_published, page_unpublished

from api.addresses import absolute, article_api_url

logger = logging.getLogger("folio.api.cdn")

FEED_KINDS = ("rss", "atom", "json")


def surrogate_key_headers(keys) -> dict[str, str]:
    value = " ".join(sorted(set(keys)))
    return {"Surrogate-Key": value, "Cache-Tag": value.replace(" ", ",")}


def article_keys(article, *, topic_slugs=(), series_slug: str | None = None) -> list[str]:
    keys = ["articles", f"article-{article.pk}", *(f"topic-{slug}" for slug in topic_slugs)]
    if series_slug:
        keys.append(f"series-{series_slug}")
    return keys


def affected_urls(article_slug: str, series_slugs: list[str]) -> list[str]:
    """The fixed API and feed URLs whose content an article's change alters."""
    urls = [
        article_api_url(article_slug),
        absolute("/api/v1/articles/"),
        absolute("/api/v1/series/"),
        absolute("/api/v1/sync/"),
        *(absolute(f"/api/v1/series/{slug}/") for slug in series_slugs),
        *(absolute(f"/feeds/articles.{kind}") for kind in FEED_KINDS),
        *(absolute(f"/feeds/series/{slug}.{kind}") for slug in series_slugs for kind in FEED_KINDS),
    ]
    return urls


@task()
def cdn_urls_purge(urls: list[str]) -> None:
    """Purge `urls` from every configured frontend cache (a no-op when none is configured)."""
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    purge_urls_from_cache(urls)


def _purge_article(instance) -> None:
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from articles.models import ArticlePage

    if not isinstance(instance, ArticlePage):
        return
    series = list(instance.series_memberships.values_list("series__slug", flat=True))
    urls = affected_urls(instance.slug, series)
    # After commit, from the worker: a slow CDN API must not hold up the editor's publish.
    transaction.on_commit(lambda: cdn_urls_purge.enqueue(urls))


@receiver(page_published, dispatch_uid="api-cdn-purge-published")
def purge_on_publish(sender, instance, **kwargs):
    _purge_article(instance)


@receiver(page_unpublished, dispatch_uid="api-cdn-purge-unpublished")
def purge_on_unpublish(sender, instance, **kwargs):
    _purge_article(instance)
