"""Surrogate keys: the names a cacheable response gives everything its body shows.

A response is sent with `Surrogate-Key` (Varnish's xkey, Fastly) and `Cache-Tag` (Cloudflare)
naming each thing it shows, so that purging a key drops exactly the responses that show it,
whatever their query string, page, `fields=` or `Accept` variant:

| key | carried by |
|---|---|
| `folio` | every cacheable response (purging it empties the edge) |
| `article-<id>` | every response showing the article: detail, summary, link, feed entry |
| `nav-<id>` | the article's detail alone: its publication-order neighbours |
| `series-<id>` | the series' list entry and detail, and every summary placed in it |
| `author-<id>`, `topic-<id>`, `image-<id>`, `document-<id>`, `page-<id>` | what shows them |
| `articles` | every collection of articles: lists, search, series members, feeds |
| `sync` | every sync page |
| `series`, `authors`, `topics` | the series, author and topic lists |

Ids, never slugs: a renamed slug keeps its key. Collections carry their members' keys too, so
a change to one member reaches every list showing it; their own key is purged whenever any
article may have entered, left or moved in one (`api.delivery.cdn.planner`).
"""

from collections.abc import Iterable

EVERYTHING = "folio"
ARTICLE_COLLECTIONS = "articles"
SYNC = "sync"
SERIES_COLLECTION = "series"
AUTHOR_COLLECTION = "authors"
TOPIC_COLLECTION = "topics"


def article(pk: int) -> str:
    return f"article-{pk}"


def navigation(pk: int) -> str:
    return f"nav-{pk}"


def series(pk: int) -> str:
    return f"series-{pk}"


def author(pk: int) -> str:
    return f"author-{pk}"


def topic(pk: int) -> str:
    return f"topic-{pk}"


def image(pk: int) -> str:
    return f"image-{pk}"


def document(pk: int) -> str:
    return f"document-{pk}"


def page(pk: int) -> str:
    """A non-article page a body links to (an article's link carries `article-<id>`)."""
    return f"page-{pk}"


def images(pks: Iterable[int | None]) -> list[str]:
    return [image(pk) for pk in pks if pk]


def summary_keys(article_pk: int, attrs) -> list[str]:
    """The keys of one summary: the article, its bylines, topics, hero image and series."""
    keys = [article(article_pk)]
    keys += [author(pk) for pk in attrs.author_ids]
    keys += [topic(pk) for pk in attrs.topic_ids]
    if attrs.hero_image_id:
        keys.append(image(attrs.hero_image_id))
    if attrs.placement is not None:
        keys.append(series(attrs.placement.series_id))
    return keys


def instance_keys(article_page) -> list[str]:
    """The same for a loaded article whose bylines and topics are prefetched (feed entries)."""
    keys = [article(article_page.pk)]
    keys += [author(byline.author_id) for byline in article_page.article_authors.all()]
    keys += [topic(item.pk) for item in article_page.topics.all()]
    if article_page.hero_image_id:
        keys.append(image(article_page.hero_image_id))
    return keys


def header_values(keys: Iterable[str]) -> dict[str, str]:
    """`Surrogate-Key` (space-separated) and `Cache-Tag` (comma-separated), `folio` always."""
    value = " ".join(sorted({EVERYTHING, *keys}))
    return {"Surrogate-Key": value, "Cache-Tag": value.replace(" ", ",")}


def summaries_keys(articles, attrs) -> list[str]:
    """The keys of a page of summaries: each one's `summary_keys`."""
    return [key for article in articles for key in summary_keys(article.pk, attrs[article.pk])]
