"""What summaries need beside their article rows, loaded for a whole page by id in fixed queries.

Sentry's `get_attrs(item_list)`: bylines, topics, tags, hero images and series placements are
read as plain rows (`values_list`) for every article of a page at once and grouped by article,
so a page costs the same number of queries whatever its size and builds no model instance
beyond the articles themselves. Each image is shaped once per page, however many articles
share it. The serializers then only shape (`api.content.serializers.article_summary`).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from wagtail.images import get_image_model

from api.content.addresses import absolute
from api.content.images import image_object
from articles.citations import doi_url, pubmed_url
from articles.models import ArticleAuthor, ArticlePage, ArticleReference, ArticleTag
from articles.renditions import RENDITION_SPECS, RENDITIONS
from articles.selectors import Placement, Visibility, images_by_id, series_placements
from articles.selectors.statements import Statement


@dataclass(frozen=True)
class SummaryAttrs:
    """Everything of one article's summary that is not a column of the article itself."""

    authors: list[dict] = field(default_factory=list)
    topics: list[dict] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    hero_image: dict | None = None
    placement: Placement | None = None
    # What the surrogate keys name (api.delivery.cdn.keys); not part of the JSON.
    author_ids: tuple[int, ...] = ()
    topic_ids: tuple[int, ...] = ()
    hero_image_id: int | None = None


def _bylines(_, article_ids: list[int]):
    return (
        ArticleAuthor.objects.filter(article_id__in=article_ids)
        .order_by("article_id", "sort_order", "pk")
        .values_list(
            "article_id", "author__slug", "author__name", "author__credentials", "author_id"
        )
    )


def _topics(_, article_ids: list[int]):
    return (
        ArticlePage.topics.through.objects.filter(articlepage_id__in=article_ids)
        .order_by("topic__name", "topic_id")
        .values_list("articlepage_id", "topic__slug", "topic__name", "topic_id")
    )


def _tags(_, article_ids: list[int]):
    return (
        ArticleTag.objects.filter(content_object_id__in=article_ids)
        .order_by("tag__name", "tag_id")
        .values_list("content_object_id", "tag__name")
    )


def _references(_, article_ids: list[int]):
    return (
        ArticleReference.objects.filter(article_id__in=article_ids)
        .order_by("article_id", "sort_order", "pk")
        .values_list("article_id", "title", "url", "doi", "pmid")
    )


def _renditions(_, image_ids: list[int]):
    Rendition = get_image_model().get_rendition_model()
    return Rendition.objects.filter(
        image_id__in=image_ids, filter_spec__in=RENDITION_SPECS
    ).values_list(
        "image_id",
        "filter_spec",
        "file",
        "width",
        "height",
        "image__width",
        "image__height",
        "image__title",
        "image__description",
    )


_byline_rows = Statement(ArticleAuthor, _bylines)
_topic_rows = Statement(ArticlePage.topics.through, _topics)
_tag_rows = Statement(ArticleTag, _tags)
_reference_rows = Statement(ArticleReference, _references)
_rendition_rows = Statement(get_image_model().get_rendition_model(), _renditions)


def references_of(article_ids: Iterable[int]) -> dict[int, list[dict]]:
    """Each article's references in the editor's order (one query)."""
    ids = sorted(set(article_ids))
    if not ids:
        return {}
    return _grouped(_reference_rows.rows(article_ids=ids), lambda row: reference_shape(*row[1:]))


def reference_shape(title: str, url: str, doi: str, pmid: str) -> dict:
    """A reference as the API gives it: `url` the link to follow (the one given, else the
    DOI's, else PubMed's), and each identifier beside its resolver link."""
    doi_link = doi_url(doi) if doi else None
    pubmed_link = pubmed_url(pmid) if pmid else None
    return {
        "title": title,
        "url": url or doi_link or pubmed_link or "",
        "doi": doi or None,
        "doi_url": doi_link,
        "pmid": pmid or None,
        "pubmed_url": pubmed_link,
    }


def summary_attrs(
    visibility: Visibility,
    articles: Iterable[ArticlePage],
    *,
    series: bool = True,
    images: dict[int, dict] | None = None,
) -> dict[int, SummaryAttrs]:
    """Each article's bylines, topics, tags, hero image and (with `series`) series placement.

    Five queries at most (bylines, topics, tags, renditions, series), whatever the number of
    articles; a sixth and seventh only for images whose renditions the worker has not made yet.
    `images` are image objects the caller has already loaded (the detail's, with its body's).
    """
    articles = list(articles)
    ids = sorted({article.pk for article in articles})
    if not ids:
        return {}
    byline_rows = _grouped(_byline_rows.rows(article_ids=ids), lambda row: row)
    topic_rows = _grouped(_topic_rows.rows(article_ids=ids), lambda row: row)
    tags = _grouped(_tag_rows.rows(article_ids=ids), lambda row: row[1])
    if images is None:
        images = image_objects(article.hero_image_id for article in articles)
    placements = series_placements(visibility, ids) if series else {}
    return {
        article.pk: SummaryAttrs(
            authors=[
                {"slug": row[1], "name": row[2], "credentials": row[3]}
                for row in byline_rows.get(article.pk, ())
            ],
            topics=[{"slug": row[1], "name": row[2]} for row in topic_rows.get(article.pk, ())],
            tags=tags.get(article.pk, []),
            hero_image=_with_alt(images.get(article.hero_image_id), article.hero_image_alt),
            placement=placements.get(article.pk),
            author_ids=tuple(row[4] for row in byline_rows.get(article.pk, ())),
            topic_ids=tuple(row[3] for row in topic_rows.get(article.pk, ())),
            hero_image_id=article.hero_image_id,
        )
        for article in articles
    }


def draft_summary_attrs(
    visibility: Visibility, article: ArticlePage, *, images: dict[int, dict]
) -> SummaryAttrs:
    """The same for an article whose relations are held in memory: a draft being previewed.

    A revision's bylines, topics and tags live on the instance (modelcluster), not in the
    tables `summary_attrs` reads; its series placement is the live one.
    """
    bylines = sorted(article.article_authors.all(), key=lambda byline: byline.sort_order or 0)
    return SummaryAttrs(
        authors=[
            {"slug": b.author.slug, "name": b.author.name, "credentials": b.author.credentials}
            for b in bylines
        ],
        topics=[{"slug": t.slug, "name": t.name} for t in sorted(article.topics.all(), key=_name)],
        tags=sorted(item.tag.name for item in article.tagged_items.all()),
        hero_image=_with_alt(images.get(article.hero_image_id), article.hero_image_alt),
        placement=series_placements(visibility, [article.pk]).get(article.pk),
        author_ids=tuple(b.author_id for b in bylines),
        topic_ids=tuple(t.pk for t in article.topics.all()),
        hero_image_id=article.hero_image_id,
    )


def _name(topic) -> str:
    return topic.name


def image_objects(image_ids: Iterable[int | None]) -> dict[int, dict]:
    """The API image object of each image, from one query over the named renditions.

    The renditions are made by the worker at publish time; an image with one missing (or two
    of one spec, after a focal point change) is loaded whole and shaped by `image_object`,
    which lets Wagtail pick or make the right ones.
    """
    ids = {pk for pk in image_ids if pk}
    if not ids:
        return {}
    storage = get_image_model().get_rendition_model()._meta.get_field("file").storage
    rows = _rendition_rows.rows(image_ids=sorted(ids))
    by_image = _grouped(rows, lambda row: row)
    shaped = {}
    for pk, renditions in by_image.items():
        by_spec = {row[1]: row for row in renditions}
        if len(by_spec) != len(renditions) or len(by_spec) != len(RENDITION_SPECS):
            continue
        _, _, _, _, _, width, height, title, description = renditions[0]
        shaped[pk] = {
            "id": pk,
            "alt": description or title or "",
            "width": width,
            "height": height,
            "renditions": {
                name: {
                    "url": absolute(storage.url(by_spec[spec][2])),
                    "width": by_spec[spec][3],
                    "height": by_spec[spec][4],
                }
                for name, spec in RENDITIONS.items()
            },
        }
    missing = ids - shaped.keys()
    if missing:
        for pk, image in images_by_id(missing).items():
            shaped_image = image_object(image)
            if shaped_image is not None:
                shaped[pk] = shaped_image
    return shaped


def _with_alt(image: dict | None, alt: str) -> dict | None:
    """The article's own alt text, where it has one, over the image's default."""
    if image is None or not alt:
        return image
    return {**image, "alt": alt}


def _grouped(rows, shape) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(shape(row))
    return grouped
