"""What a feed holds: its scope, its articles loaded in a fixed number of queries, its entries."""

import mimetypes
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape

from django.conf import settings
from django.db.models import QuerySet

from api.content.addresses import absolute, article_api_url, page_url
from api.content.bodies import BodyContext, body_references, render_body
from api.content.images import image_object
from api.partners.rights import full_text_allowed
from articles.corrections import correction_note
from articles.models import ArticlePage
from articles.selectors import (
    Correction,
    Visibility,
    corrections_column,
    corrections_from_column,
    documents_by_id,
    images_by_id,
    page_links,
    topics,
    visible_articles,
    visible_series,
    with_summary_plan,
)

# The scopes of the contract's feed paths: every article, one series, one topic.
ALL = "articles"
SERIES = "series"
TOPICS = "topics"

DEFAULT_ITEM_COUNT = 50
# An empty feed has nothing newer to report; a fixed date keeps its body (and ETag) stable.
EMPTY_FEED_UPDATED = datetime(1970, 1, 1, tzinfo=UTC)
ENCLOSURE_RENDITION = "hero"


def item_count() -> int:
    return getattr(settings, "FEEDS_ITEM_COUNT", DEFAULT_ITEM_COUNT)


def article_id_uri(article_id: int) -> str:
    """An entry's id: the article's primary key never changes, whatever is edited or moved."""
    return f"urn:folio:article:{article_id}"


@dataclass(frozen=True)
class Category:
    term: str
    label: str
    scheme: str | None  # topics name their scheme (the API's topic list); tags are free text


@dataclass(frozen=True)
class Rights:
    """The article's syndication terms, as the API's `syndication` object gives them."""

    allowed: bool
    canonical_url: str
    license: str
    license_label: str
    attribution: str

    @property
    def statement(self) -> str:
        """The human-readable line for dc:rights and atom:rights."""
        return ". ".join(part for part in (self.license_label, self.attribution) if part)


@dataclass(frozen=True)
class Image:
    url: str
    mime_type: str
    width: int | None
    height: int | None


@dataclass(frozen=True)
class FeedEntry:
    id: str
    article_id: int
    slug: str
    title: str
    url: str  # the canonical URL: the article's override if set, else its public page
    api_url: str
    published: datetime
    updated: datetime
    authors: tuple[str, ...]
    categories: tuple[Category, ...]
    summary: str
    image: Image | None
    content_html: str | None  # the sanitised body, only for the full-text right
    rights: Rights
    corrections: tuple[Correction, ...] = ()  # newest first


@dataclass(frozen=True)
class FeedDocument:
    """One feed, independent of its format (RSS, Atom or JSON Feed)."""

    title: str
    description: str
    home_url: str
    self_url: str
    language: str
    author_name: str
    updated: datetime
    full_text: bool
    entries: tuple[FeedEntry, ...]


@dataclass(frozen=True)
class Scope:
    """A series or topic a feed is limited to."""

    kind: str
    pk: int
    slug: str
    title: str
    description: str
    modified: datetime | None


# Loading (the only part that queries)


def scoped_articles(
    visibility: Visibility, *, kind: str, slug: str | None
) -> tuple[QuerySet[ArticlePage], Scope | None] | None:
    """The visible articles of a feed and its series or topic; None when the slug names none.

    One query for a series or topic, none for the feed of every article.
    """
    articles = visible_articles(visibility)
    if kind == ALL:
        return articles, None
    if kind == SERIES:
        series = visible_series(visibility).filter(slug=slug).first()
        if series is None:
            return None
        scope = Scope(
            kind=SERIES,
            pk=series.pk,
            slug=series.slug,
            title=series.title,
            description=series.description,
            modified=series.last_published_at or series.updated_at,
        )
        return articles.filter(series_memberships__series=series), scope
    topic = topics().filter(slug=slug).first()
    if topic is None:
        return None
    scope = Scope(
        kind=TOPICS,
        pk=topic.pk,
        slug=topic.slug,
        title=topic.name,
        description=topic.description,
        modified=topic.updated_at,
    )
    return articles.filter(topics=topic), scope


def newest_articles(
    articles: QuerySet[ArticlePage], *, limit: int, with_bodies: bool
) -> list[ArticlePage]:
    """The newest `limit` articles by first publication, with what their entries show."""
    planned = with_summary_plan(articles)
    if with_bodies:
        # The summary plan defers bodies, which lists never show; full text needs them, in
        # this same query rather than one more per article.
        planned = planned.defer(None)
    # The corrections ride on each row (articles/selectors/corrections.py): no query more.
    planned = planned.annotate(correction_rows=corrections_column())
    return list(planned.order_by("-first_published_at", "-pk")[:limit])


def rendered_bodies(visibility: Visibility, articles: list[ArticlePage]) -> dict[int, str]:
    """Each article's body_html as the API renders it, in a fixed number of queries.

    What `assemble_article_detail` loads for one body (images, documents, linked pages) is
    loaded here once for every body of the feed, so the cost does not grow with the items.
    """
    references = [body_references(article.body) for article in articles]
    page_ids = {pk for refs in references for pk in refs.page_ids}
    document_ids = {pk for refs in references for pk in refs.document_ids}
    image_ids = {pk for refs in references for pk in refs.image_ids}
    linked = page_links(visibility, page_ids)
    context = BodyContext(
        page_urls={
            pk: page_url(link.url_path, site_root_path=visibility.site_url_path)
            for pk, link in linked.items()
        },
        document_urls={pk: absolute(doc.url) for pk, doc in documents_by_id(document_ids).items()},
        images={pk: image_object(image) for pk, image in images_by_id(image_ids).items()},
    )
    return {article.pk: render_body(article.body, context)[1] for article in articles}


# Shaping (no queries: everything was loaded above)


def _image(article) -> Image | None:
    shaped = image_object(article.hero_image, alt=article.hero_image_alt)
    rendition = (shaped or {}).get("renditions", {}).get(ENCLOSURE_RENDITION)
    if rendition is None:
        return None
    mime_type = mimetypes.guess_type(rendition["url"])[0] or "application/octet-stream"
    return Image(
        url=rendition["url"],
        mime_type=mime_type,
        width=rendition["width"],
        height=rendition["height"],
    )


def corrections_html(corrections) -> str:
    """The "Corrections" paragraph an entry's content ends with, newest first."""
    if not corrections:
        return ""
    lines = "<br>".join(
        f"{escape(f'{c.at:%d %B %Y}')} ({escape(c.kind)}): "
        f"{escape(correction_note(c.what_was_wrong, c.what_changed))}"
        for c in corrections
    )
    return f'<p class="folio-corrections"><strong>Corrections</strong><br>{lines}</p>'


def feed_entry(article, *, site_url_path: str, content_html: str | None) -> FeedEntry:
    corrections = tuple(corrections_from_column(getattr(article, "correction_rows", None)))
    if content_html is not None and corrections:
        content_html += corrections_html(corrections)
    public_url = page_url(article.url_path, site_root_path=site_url_path)
    canonical_url = article.canonical_url or public_url
    topic_scheme = f"{settings.PUBLIC_BASE_URL}/api/v1/topics/"
    categories = [
        Category(term=t.slug, label=t.name, scheme=topic_scheme) for t in article.topics.all()
    ]
    categories += [
        Category(term=item.tag.name, label=item.tag.name, scheme=None)
        for item in article.tagged_items.all()
    ]
    return FeedEntry(
        id=article_id_uri(article.pk),
        article_id=article.pk,
        slug=article.slug,
        title=article.title,
        url=canonical_url,
        api_url=article_api_url(article.slug),
        published=article.first_published_at,
        updated=article.last_published_at or article.first_published_at,
        authors=tuple(byline.author.name for byline in article.article_authors.all()),
        categories=tuple(categories),
        summary=article.summary,
        image=_image(article),
        content_html=content_html,
        rights=Rights(
            allowed=article.syndication_allowed,
            canonical_url=canonical_url,
            license=article.syndication_license,
            license_label=article.get_syndication_license_display(),
            attribution=article.syndication_attribution,
        ),
        corrections=corrections,
    )


def feed_document(
    *,
    visibility: Visibility,
    scope: Scope | None,
    articles: list[ArticlePage],
    bodies: dict[int, str] | None,
    partner,
    site_name: str,
    self_url: str,
) -> FeedDocument:
    """The feed of `articles` for `partner` (None: anonymous); `bodies` is None unless the
    partner has the full-text right."""
    entries = tuple(
        feed_entry(
            article,
            site_url_path=visibility.site_url_path,
            # Belt and braces: a partner's visibility already hides articles not allowed.
            content_html=bodies.get(article.pk)
            if bodies is not None and full_text_allowed(partner, article)
            else None,
        )
        for article in articles
    )
    moments = [entry.updated for entry in entries]
    if scope is not None and scope.modified is not None:
        moments.append(scope.modified)  # a renamed series or topic changes the feed too
    if scope is None:
        title, description = site_name, f"The latest articles from {site_name}."
    else:
        kind = "series" if scope.kind == SERIES else "topic"
        title = f"{site_name}: {scope.title}"
        description = scope.description or f"The latest articles in the {kind} {scope.title}."
    return FeedDocument(
        title=title,
        description=description,
        home_url=absolute("/"),
        self_url=self_url,
        language=settings.LANGUAGE_CODE,
        author_name=site_name,
        updated=max(moments, default=EMPTY_FEED_UPDATED),
        full_text=bodies is not None,
        entries=entries,
    )
