"""Shaping loaded objects into the contract's JSON; nothing here runs a query.

Functions rather than DRF serializer classes: every value is already loaded by a selector's
query plan, so shaping is plain attribute access, several times faster than field-by-field
serializer machinery on a page of 100 articles. The OpenAPI document describes these shapes
(api/content/schema/) and the contract tests validate every response against it.
"""

from datetime import UTC, date, datetime

from api.content.addresses import article_api_url, page_url
from api.content.images import image_object
from api.content.summaries import SummaryAttrs
from articles.cadence import review_status
from articles.corrections import correction_note
from articles.selectors import ArticleLink, Correction, Placement

SUMMARY_FIELDS = (
    "id",
    "slug",
    "title",
    "subtitle",
    "summary",
    "url",
    "api_url",
    "published_at",
    "updated_at",
    "reading_time_minutes",
    "hero_image",
    "authors",
    "topics",
    "tags",
    "series",
)


def timestamp(value: datetime | date | None) -> str | None:
    """ISO 8601 in UTC with a Z, to the second."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    # A date (a review day) is given as the start of that day in UTC, like every timestamp.
    return f"{value.isoformat()}T00:00:00Z"


def author_ref(author) -> dict:
    return {"slug": author.slug, "name": author.name, "credentials": author.credentials}


def article_link(link: ArticleLink | None, *, site_url_path: str) -> dict | None:
    if link is None:
        return None
    return {
        "id": link.id,
        "slug": link.slug,
        "title": link.title,
        "url": page_url(link.url_path, site_root_path=site_url_path),
        "api_url": article_api_url(link.slug),
    }


def series_ref(placement: Placement | None) -> dict | None:
    if placement is None:
        return None
    return {
        "slug": placement.series_slug,
        "title": placement.series_title,
        "position": placement.position,
        "total": placement.total,
    }


def article_summary(article, attrs: SummaryAttrs, *, site_url_path: str) -> dict:
    """The summary shape of an article row and what `api.content.summaries` loaded beside it."""
    return {
        "id": article.pk,
        "slug": article.slug,
        "title": article.title,
        "subtitle": article.subtitle,
        "summary": article.summary,
        "url": page_url(article.url_path, site_root_path=site_url_path),
        "api_url": article_api_url(article.slug),
        "published_at": timestamp(article.first_published_at),
        "updated_at": timestamp(article.last_published_at),
        "reading_time_minutes": article.reading_time_minutes,
        "hero_image": attrs.hero_image,
        "authors": attrs.authors,
        "topics": attrs.topics,
        "tags": attrs.tags,
        "series": series_ref(attrs.placement),
    }


def syndication_shape(article, *, url: str) -> dict:
    """The republishing rights of an article; `url` is its public URL (the default canonical)."""
    return {
        "allowed": article.syndication_allowed,
        "canonical_url": article.canonical_url or url,
        "license": article.syndication_license,
        "attribution": article.syndication_attribution,
    }


def with_rights(summary: dict, article, *, site_url_path: str, full_text: bool) -> dict:
    """A summary as a partner receives it: with the rights, and whether bodies come with it."""
    url = page_url(article.url_path, site_root_path=site_url_path)
    summary["syndication"] = {**syndication_shape(article, url=url), "full_text": full_text}
    return summary


def article_summaries(
    articles,
    attrs: dict[int, SummaryAttrs],
    *,
    site_url_path: str,
    fields: tuple[str, ...] | None = None,
    full_text: dict[int, bool] | None = None,
) -> list[dict]:
    """The summaries of a page of articles, in its order: cut to `fields` when a client asked
    for a sparse fieldset, then, for a partner (`full_text` by article id), with the rights."""
    summaries = []
    for article in articles:
        summary = sparse(
            article_summary(article, attrs[article.pk], site_url_path=site_url_path), fields
        )
        if full_text is not None:
            with_rights(
                summary, article, site_url_path=site_url_path, full_text=full_text[article.pk]
            )
        summaries.append(summary)
    return summaries


def sparse(summary: dict, fields: tuple[str, ...] | None) -> dict:
    if fields is None:
        return summary
    return {name: summary[name] for name in fields}


def article_detail(
    article,
    attrs: SummaryAttrs,
    *,
    site_url_path: str,
    body: list[dict],
    body_html: str,
    previous: ArticleLink | None,
    following: ArticleLink | None,
    references: list[dict],
    today: date,
    corrections: list[Correction],
) -> dict:
    data = article_summary(article, attrs, site_url_path=site_url_path)
    placement = attrs.placement
    data.update(
        {
            "body": body,
            "body_html": body_html,
            "navigation": {
                "series": {
                    "previous": article_link(placement.previous, site_url_path=site_url_path),
                    "next": article_link(placement.next, site_url_path=site_url_path),
                }
                if placement
                else None,
                "previous": article_link(previous, site_url_path=site_url_path),
                "next": article_link(following, site_url_path=site_url_path),
            },
            "medical_review": medical_review(article, today=today),
            "references": references,
            "corrections": [correction_shape(c) for c in corrections],
            "reading_grade": float(article.reading_grade)
            if article.reading_grade is not None
            else None,
            "syndication": syndication_shape(article, url=data["url"]),
            "seo": {
                "title": article.seo_title or article.title,
                "description": article.search_description or article.summary,
            },
            **retraction_shape(article),
        }
    )
    return data


def medical_review(article, *, today: date) -> dict | None:
    """The review, when it falls due and where it stands on `today` (articles/cadence.py)."""
    reviewer = article.medical_reviewer
    if reviewer is None:
        return None
    return {
        "reviewer": author_ref(reviewer),
        "reviewed_at": timestamp(article.medical_reviewed_at),
        "next_review_due": timestamp(article.next_review_due),
        "status": review_status(article.next_review_due, article.review_due_soon_from, today),
    }


def correction_shape(correction: Correction) -> dict:
    """A correction as readers and partners see it: `note` is the sentence to print."""
    return {
        "at": timestamp(correction.at),
        "kind": correction.kind,
        "note": correction_note(correction.what_was_wrong, correction.what_changed),
        "what_was_wrong": correction.what_was_wrong,
        "what_changed": correction.what_changed,
    }


def retraction_shape(article) -> dict:
    """`status` and `retraction`, from the columns the detail's statement read beside the
    article (`retracted_at`, `retraction_reason`; a draft in preview has neither)."""
    retracted_at = getattr(article, "retracted_at", None)
    if retracted_at is None:
        return {"status": "published", "retraction": None}
    return {
        "status": "retracted",
        "retraction": {"at": timestamp(retracted_at), "reason": article.retraction_reason},
    }


def series_summary(series, *, article_count: int, image: dict | None) -> dict:
    return {
        "slug": series.slug,
        "title": series.title,
        "description": series.description,
        "image": image,
        "article_count": article_count,
        "updated_at": timestamp(series.last_published_at or series.updated_at),
    }


def author_shape(author) -> dict:
    return {
        "slug": author.slug,
        "name": author.name,
        "credentials": author.credentials,
        "role": author.role,
        "bio": author.bio,
        "photo": image_object(author.photo, alt=author.name),
    }


def topic_shape(topic) -> dict:
    return {"slug": topic.slug, "name": topic.name, "description": topic.description}
