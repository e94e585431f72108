"""The article list (filters, search, orderings, fields) and the article detail."""

from rest_framework.response import Response

from api.content import schema
from api.content.addresses import absolute, page_url
from api.content.bodies import BodyContext, body_references, render_body
from api.content.filters import (
    ARTICLE_FILTERS,
    LIST_PARAMETERS,
    filter_articles,
    parse_choice,
    parse_fields,
    parse_limit,
)
from api.content.pagination import (
    Ordering,
    keyset_page,
    page_link,
    search_cursor,
    search_offset,
)
from api.content.search import matching_articles, ranked_article_ids
from api.content.serializers import (
    SUMMARY_FIELDS,
    article_detail,
    article_summary,
    sparse,
    with_rights,
)
from api.content.summaries import draft_summary_attrs, image_objects, references_of, summary_attrs
from api.content.views.base import ARTICLE_ORDERINGS, SERIES_ORDER, ReadOnlyView, search_terms
from api.content.visibility import visibility_for
from api.delivery.cdn import keys
from api.errors import InvalidParameter, NotFound
from api.partners.keys import partner_of
from api.partners.rights import full_text_allowed
from articles.models import Author, Topic
from articles.selectors import (
    article_by_slug,
    documents_by_id,
    neighbours_and_links,
    visible_articles,
    visible_series,
    with_series_position,
    with_summary_columns,
)


class ArticleListView(ReadOnlyView):
    """Published articles, newest first by default: filtered, searched, ordered and paged."""

    parameters = (*ARTICLE_FILTERS, "search", "ordering", "fields", *LIST_PARAMETERS)

    @schema.list_operation(
        "articles_list",
        schema.ArticleListSerializer,
        parameters=schema.ARTICLE_LIST_PARAMETERS,
        last_modified=None,
    )
    def get(self, request):
        params = self.params
        limit = parse_limit(params)
        fields = parse_fields(params.get("fields"), SUMMARY_FIELDS)
        visibility = visibility_for(request)
        articles = filter_articles(visible_articles(visibility), params, visibility=visibility)

        if "search" in params and "ordering" not in params:
            items, next_cursor, previous_cursor = self.search(articles, params, limit)
        else:
            ordering = self.ordering(params)
            search = None
            if "search" in params:
                # In the ordering asked for rather than by relevance, keyset-paginated.
                search = search_terms(params["search"])
                articles = matching_articles(articles, search) if search else articles.none()
            if ordering is SERIES_ORDER:
                articles = with_series_position(articles)
            page = keyset_page(
                with_summary_columns(articles),
                ordering,
                limit=limit,
                cursor=params.get("cursor"),
                search=search,
            )
            items, next_cursor, previous_cursor = page.items, page.next_cursor, page.previous_cursor

        if not items:
            self.reject_unknown_slugs(visibility, params)
        attrs = summary_attrs(visibility, items, series=fields is None or "series" in fields)
        self.last_modified = max((a.last_published_at for a in items), default=None)
        self.surrogate_keys = [keys.ARTICLE_COLLECTIONS]
        for article in items:
            self.surrogate_keys += keys.summary_keys(article.pk, attrs[article.pk])
        results = [
            sparse(
                article_summary(article, attrs[article.pk], site_url_path=visibility.site_url_path),
                fields,
            )
            for article in items
        ]
        partner_rights(request, results, items, visibility=visibility)
        return Response(
            {
                "results": results,
                "next": page_link(request, next_cursor),
                "previous": page_link(request, previous_cursor),
            }
        )

    @staticmethod
    def ordering(params) -> Ordering:
        if "series" in params and "ordering" not in params:
            return SERIES_ORDER
        name = parse_choice(
            "ordering", params.get("ordering"), tuple(ARTICLE_ORDERINGS), "-published_at"
        )
        return ARTICLE_ORDERINGS[name]

    @staticmethod
    def search(articles, params, limit):
        """A page of relevance-ordered results: ids from the search index, rows by our plan."""
        query = search_terms(params["search"])
        offset = search_offset(query, params.get("cursor"))
        if not query:
            return [], None, None
        ids = ranked_article_ids(articles, query, offset=offset, limit=limit + 1)
        rows = {a.pk: a for a in with_summary_columns(articles.filter(pk__in=ids[:limit]))}
        items = [rows[pk] for pk in ids[:limit] if pk in rows]
        next_cursor = search_cursor(query, offset + limit) if len(ids) > limit else None
        previous_cursor = search_cursor(query, max(0, offset - limit)) if offset > 0 else None
        return items, next_cursor, previous_cursor

    @staticmethod
    def reject_unknown_slugs(visibility, params) -> None:
        """A series, topic or author slug that names nothing is a typo worth a 400."""
        checks = {
            "series": visible_series(visibility),
            "topic": Topic.objects.all(),
            "author": Author.objects.all(),
        }
        for name, queryset in checks.items():
            if name in params and not queryset.filter(slug=params[name]).exists():
                raise InvalidParameter({name: [f"names no {name}: {params[name]!r}"]})


class ArticleDetailView(ReadOnlyView):
    """One article by its slug: body, medical review, references and series navigation."""

    @schema.detail_operation("articles_retrieve", schema.ArticleDetailSerializer)
    def get(self, request, slug: str):
        visibility = visibility_for(request)
        article = article_by_slug(visibility, slug)
        if article is None:
            raise NotFound(f"No published article has the slug {slug!r}.")

        self.last_modified = article.last_published_at
        full_text = full_text_allowed(partner_of(request), article)
        self.surrogate_keys = []
        detail = assemble_article_detail(
            visibility, article, with_body=full_text, shown_keys=self.surrogate_keys
        )
        if partner_of(request) is not None:
            detail["syndication"]["full_text"] = full_text
        return Response(detail)


def partner_rights(request, results: list[dict], articles, *, visibility) -> None:
    """Give each summary of a partner's response the article's rights (in place)."""
    partner = partner_of(request)
    if partner is None:
        return
    for summary, article in zip(results, articles, strict=True):
        with_rights(
            summary,
            article,
            site_url_path=visibility.site_url_path,
            full_text=full_text_allowed(partner, article),
        )


def assemble_article_detail(
    visibility,
    article,
    *,
    with_body: bool = True,
    draft: bool = False,
    shown_keys: list[str] | None = None,
) -> dict:
    """The detail of a loaded article: images, links, series and navigation in a few queries.

    Shared by the article endpoint and the preview endpoint (`draft`: an unsaved revision,
    whose bylines, topics and tags are read from the instance). Without `with_body` (a partner
    without the full-text right) the body is neither rendered nor sent: `body` is empty and
    `body_html` blank. `shown_keys` is extended with the surrogate keys of everything shown.
    """
    references = body_references(article.body if with_body else [])
    images = image_objects({article.hero_image_id, *references.image_ids})
    attrs = (
        draft_summary_attrs(visibility, article, images=images)
        if draft
        else summary_attrs(visibility, [article], images=images)[article.pk]
    )
    previous, following, linked = neighbours_and_links(visibility, article, references.page_ids)
    sources = (
        [{"title": r.title, "url": r.url} for r in article.references.all()]
        if draft
        else references_of([article.pk]).get(article.pk, [])
    )
    documents = documents_by_id(references.document_ids)
    if shown_keys is not None:
        shown_keys += detail_keys(
            article, attrs, neighbours=(previous, following), references=references
        )
    body, body_html = render_body(
        article.body if with_body else [],
        BodyContext(
            page_urls={
                pk: page_url(link.url_path, site_root_path=visibility.site_url_path)
                for pk, link in linked.items()
            },
            document_urls={pk: absolute(doc.url) for pk, doc in documents.items()},
            images=images,
        ),
    )
    return article_detail(
        article,
        attrs,
        site_url_path=visibility.site_url_path,
        body=body,
        body_html=body_html,
        previous=previous,
        following=following,
        references=sources,
    )


def detail_keys(article, attrs, *, neighbours, references) -> list[str]:
    """The surrogate keys of an article's detail: its summary's, and all it links and embeds."""
    placement = attrs.placement
    links = [*neighbours, *((placement.previous, placement.next) if placement else ())]
    return [
        *keys.summary_keys(article.pk, attrs),
        keys.navigation(article.pk),
        *(keys.article(link.id) for link in links if link),
        *(keys.page(pk) for pk in references.page_ids if pk),
        *keys.images(references.image_ids),
        *(keys.document(pk) for pk in references.document_ids if pk),
        *([keys.author(article.medical_reviewer_id)] if article.medical_reviewer_id else []),
    ]
