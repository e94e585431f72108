"""The article list (filters, search, orderings, fields) and the article detail."""

from rest_framework.response import Response

from api.content import schema
from api.content.addresses import absolute, page_url
from api.content.bodies import BodyContext, body_references, render_body, retraction_notice
from api.content.filters import (
    ARTICLE_DETAIL_PARAMETER_NAMES,
    ARTICLE_LIST_PARAMETER_NAMES,
    parse_article_include,
    parse_article_list,
)
from api.content.plans import article_list_page
from api.content.serializers import (
    SUMMARY_FIELDS,
    article_detail,
    article_summaries,
)
from api.content.structured_data import Publisher, structured_data
from api.content.summaries import (
    draft_summary_attrs,
    image_objects,
    reference_shape,
    references_of,
    summary_attrs,
)
from api.content.views.base import ReadOnlyView, list_response
from api.content.visibility import publisher_for, visibility_for
from api.delivery.cdn import keys
from api.errors import NotFound
from api.partners.keys import partner_of
from api.partners.rights import full_text_allowed, partner_full_text, retracted_body_allowed
from articles.cadence import review_dates_apply, utc_today
from articles.selectors import (
    article_by_slug,
    corrections_of,
    documents_by_id,
    neighbours_and_links,
)


class ArticleListView(ReadOnlyView):
    """Published articles, newest first by default: filtered, searched, ordered and paged."""

    parameters = ARTICLE_LIST_PARAMETER_NAMES

    @schema.list_operation(
        "articles_list",
        schema.ArticleListSerializer,
        parameters=schema.ARTICLE_LIST_PARAMETERS,
        last_modified=None,
    )
    def get(self, request):
        # Top to bottom: read the parameters, plan and page the query, load what the summaries
        # show in batch, shape them (rights included), and the envelope with its links.
        query = parse_article_list(self.params, summary_fields=SUMMARY_FIELDS)
        visibility = visibility_for(request)
        page = article_list_page(visibility, query, request)
        attrs = summary_attrs(
            visibility, page.items, series=query.fields is None or "series" in query.fields
        )
        self.last_modified = max((a.last_published_at for a in page.items), default=None)
        self.surrogate_keys = [keys.ARTICLE_COLLECTIONS, *keys.summaries_keys(page.items, attrs)]
        results = article_summaries(
            page.items,
            attrs,
            site_url_path=visibility.site_url_path,
            fields=query.fields,
            full_text=partner_full_text(partner_of(request), page.items),
        )
        return list_response(results, page)


class ArticleDetailView(ReadOnlyView):
    """One article by its slug: body, medical review, references and series navigation.

    A retracted article still answers, with `status: "retracted"`, its retraction and a notice
    in place of its body (the body itself only to a partner with the full-text right that asks
    for it with `include=retracted_body`).
    """

    parameters = ARTICLE_DETAIL_PARAMETER_NAMES

    @schema.detail_operation(
        "articles_retrieve",
        schema.ArticleDetailSerializer,
        parameters=schema.ARTICLE_DETAIL_PARAMETERS,
    )
    def get(self, request, slug: str):
        includes = parse_article_include(self.params)
        visibility = visibility_for(request)
        article = article_by_slug(visibility, slug)
        if article is None:
            raise NotFound(f"No published article has the slug {slug!r}.")

        partner = partner_of(request)
        full_text = full_text_allowed(partner, article)
        with_body = full_text
        self.last_modified = article.last_published_at
        if article.retracted_at is not None:
            with_body = "retracted_body" in includes and retracted_body_allowed(partner, article)
            # The retraction changed the detail after its last publication.
            self.last_modified = max(article.last_published_at, article.retracted_at)
        self.surrogate_keys = []
        detail = assemble_article_detail(
            visibility,
            article,
            publisher=publisher_for(request),
            with_body=with_body,
            shown_keys=self.surrogate_keys,
        )
        if partner is not None:
            detail["syndication"]["full_text"] = full_text
        return Response(detail)


def assemble_article_detail(
    visibility,
    article,
    *,
    publisher: Publisher,
    with_body: bool = True,
    draft: bool = False,
    shown_keys: list[str] | None = None,
) -> dict:
    """The detail of a loaded article: images, links, series and navigation in a few queries.

    Shared by the article endpoint and the preview endpoint (`draft`: an unsaved revision,
    whose bylines, topics and tags are read from the instance). Without `with_body` (a partner
    without the full-text right) the body is neither rendered nor sent: `body` is empty and
    `body_html` blank, or, for a retracted article (`retracted_at` set), the retraction notice.
    `shown_keys` is extended with the surrogate keys of everything shown.
    """
    if draft:
        review_dates_apply(article)  # a draft's review may have changed since it was saved
    references = body_references(article.body if with_body else [])
    images = image_objects({article.hero_image_id, *references.image_ids})
    attrs = (
        draft_summary_attrs(visibility, article, images=images)
        if draft
        else summary_attrs(visibility, [article], images=images)[article.pk]
    )
    previous, following, linked = neighbours_and_links(visibility, article, references.page_ids)
    sources = (
        [reference_shape(r.title, r.url, r.doi, r.pmid) for r in article.references.all()]
        if draft
        else references_of([article.pk]).get(article.pk, [])
    )
    documents = documents_by_id(references.document_ids)
    if shown_keys is not None:
        shown_keys += detail_keys(
            article, attrs, neighbours=(previous, following), references=references
        )
    retracted_at = getattr(article, "retracted_at", None)
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
    if retracted_at is not None and not with_body:
        body, body_html = retraction_notice(at=retracted_at, reason=article.retraction_reason)
    detail = article_detail(
        article,
        attrs,
        site_url_path=visibility.site_url_path,
        body=body,
        body_html=body_html,
        previous=previous,
        following=following,
        references=sources,
        today=utc_today(visibility.now),
        # The detail's row carries them (articles/selectors/corrections.py); a draft's are read.
        corrections=article.loaded_corrections
        if hasattr(article, "loaded_corrections")
        else corrections_of([article.pk]).get(article.pk, []),
    )
    detail["structured_data"] = structured_data(detail, publisher=publisher)
    return detail


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
