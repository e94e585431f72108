"""Query plans for articles: the columns a page of summaries reads, the detail's statement."""

from collections.abc import Iterable

from django.db import router
from django.db.models import (
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.lookups import StartsWith
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction

from articles.models import (
    ArticleAuthor,
    ArticlePage,
    ArticleTag,
    Author,
    Topic,
)
from articles.renditions import RENDITION_SPECS
from articles.selectors.corrections import corrections_column, corrections_from_column
from articles.selectors.statements import Statement
from articles.selectors.visibility import Visibility, addressable_articles, visible_articles

# Query plans


def _byline_prefetch() -> Prefetch:
    return Prefetch(
        "article_authors",
        queryset=ArticleAuthor.objects.select_related("author")
        .only("article_id", "sort_order", "author__slug", "author__name", "author__credentials")
        .order_by("sort_order", "pk"),
    )


def _summary_prefetches() -> list:
    return [
        _byline_prefetch(),
        Prefetch("topics", queryset=Topic.objects.only("pk", "slug", "name").order_by("name")),
        Prefetch(
            "tagged_items",
            queryset=ArticleTag.objects.select_related("tag").order_by("tag__name"),
        ),
    ]


def renditions_of(image_path: str) -> Prefetch:
    """Prefetch the API's named renditions of the image at `image_path` (one query)."""
    Rendition = get_image_model().get_rendition_model()
    return Prefetch(
        f"{image_path}__renditions",
        queryset=Rendition.objects.filter(filter_spec__in=RENDITION_SPECS),
    )


# The article columns a summary (and a partner's rights) reads: a page of summaries carries no
# body, SEO or workflow columns. What it needs beside them, api/content/summaries.py loads by id.
SUMMARY_COLUMNS = (
    "id",
    "slug",
    "title",
    "url_path",
    "first_published_at",
    "last_published_at",
    "subtitle",
    "summary",
    "reading_time_minutes",
    "hero_image_id",
    "hero_image_alt",
    "syndication_allowed",
    "syndication_license",
    "syndication_attribution",
    "canonical_url",
)


def with_summary_columns(articles: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """The article rows of a page of summaries (the API's lists, series, sync)."""
    return articles.only(*SUMMARY_COLUMNS)


def with_summary_plan(articles: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """Summaries as model instances with their relations prefetched (the feeds' entries)."""
    return (
        articles.defer_streamfields()
        .select_related("hero_image")
        .prefetch_related(*_summary_prefetches(), renditions_of("hero_image"))
    )


def _article_row(visibility: Visibility, slug: str) -> QuerySet:
    # The article may be retracted (its URL still answers); its neighbours never are.
    articles = visible_articles(visibility)
    return (
        addressable_articles(visibility)
        .annotate(
            previous_id=Subquery(
                _previous_of(articles, OuterRef("first_published_at"), OuterRef("pk"))
            ),
            next_id=Subquery(_next_of(articles, OuterRef("first_published_at"), OuterRef("pk"))),
            # The corrections ride on the row: the detail shows them without a query.
            correction_rows=corrections_column(),
        )
        .filter(slug=slug)
        .values_list(
            *_DETAIL_COLUMNS,
            *_REVIEWER_COLUMNS,
            *_RETRACTION_COLUMNS,
            "previous_id",
            "next_id",
            "correction_rows",
        )[:1]
    )


_DETAIL_COLUMNS = tuple(field.attname for field in ArticlePage._meta.concrete_fields)
_REVIEWER_COLUMNS = (
    "medical_reviewer__slug",
    "medical_reviewer__name",
    "medical_reviewer__credentials",
)
# A LEFT JOIN on the one-to-one retraction: null for every article that stands.
_RETRACTION_COLUMNS = ("retraction__at", "retraction__reason")
_article_rows = Statement(ArticlePage, _article_row)


def article_by_slug(visibility: Visibility, slug: str) -> ArticlePage | None:
    """The article of a detail with its reviewer, its retraction (`retracted_at` and
    `retraction_reason`, None unless retracted) and its publication-order neighbours' ids.

    One statement, compiled once per worker (articles/selectors/statements.py); the rest
    (bylines, images, series, links) is loaded by id after it (api/content/summaries.py).
    """
    rows = _article_rows.rows(visibility, slug=slug)
    if not rows:
        return None
    row = rows[0]
    columns = len(_DETAIL_COLUMNS)
    alias = router.db_for_read(ArticlePage)
    article = ArticlePage.from_db(alias, _DETAIL_COLUMNS, row[:columns])
    (
        reviewer_slug,
        reviewer_name,
        reviewer_credentials,
        article.retracted_at,
        article.retraction_reason,
        previous_id,
        next_id,
        corrections,
    ) = row[columns:]
    if article.medical_reviewer_id is not None:
        loaded = {
            "id": article.medical_reviewer_id,
            "slug": reviewer_slug,
            "name": reviewer_name,
            "credentials": reviewer_credentials,
        }
        # from_db takes the values in the model's field order.
        names = [f.attname for f in Author._meta.concrete_fields if f.attname in loaded]
        article.medical_reviewer = Author.from_db(alias, names, [loaded[n] for n in names])
    article.previous_id, article.next_id = previous_id, next_id
    article.loaded_corrections = corrections_from_column(corrections)
    return article


def _previous_of(articles: QuerySet[ArticlePage], moment, pk) -> QuerySet:
    """The id of the article published just before (`moment`, `pk`): one index probe.

    The bound `first_published_at <= moment` is what the index on `first_published_at` seeks
    to; the tie-break on the id only filters the few rows published at the same moment. (An
    `(a < t) OR (a = t AND id < x)` bound makes PostgreSQL walk the whole site.)
    """
    return (
        articles.filter(first_published_at__lte=moment)
        .filter(Q(first_published_at__lt=moment) | Q(pk__lt=pk))
        .order_by("-first_published_at", "-pk")
        .values("pk")[:1]
    )


def _next_of(articles: QuerySet[ArticlePage], moment, pk) -> QuerySet:
    return (
        articles.filter(first_published_at__gte=moment)
        .filter(Q(first_published_at__gt=moment) | Q(pk__gt=pk))
        .order_by("first_published_at", "pk")
        .values("pk")[:1]
    )


def documents_by_id(document_ids: Iterable[int]) -> dict[int, object]:
    ids = {i for i in document_ids if i}
    if not ids:
        return {}
    # A document in a collection under a view restriction is private: its link is unwrapped.
    restricted = CollectionViewRestriction.objects.filter(
        StartsWith(
            ExpressionWrapper(OuterRef("collection__path"), output_field=CharField()),
            F("collection__path"),
        )
    ).values("pk")
    documents = get_document_model().objects.filter(pk__in=ids).exclude(Exists(restricted))
    return {doc.pk: doc for doc in documents}


def images_by_id(image_ids: Iterable[int]) -> dict[int, object]:
    """Images with their API renditions, two queries however many."""
    ids = {i for i in image_ids if i}
    if not ids:
        return {}
    images = get_image_model().objects.filter(pk__in=ids).prefetch_renditions(*RENDITION_SPECS)
    return {image.pk: image for image in images}


# Authors and topics


def authors() -> QuerySet[Author]:
    return Author.objects.select_related("photo").prefetch_related(renditions_of("photo"))


def topics() -> QuerySet[Topic]:
    return Topic.objects.all()
