"""The demo articles and series, with their images: bodies built from the demo texts, each page
made once."""

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.text import slugify
from wagtail.blocks import StreamValue
from wagtail.images.models import AbstractImage
from wagtail.models import Collection, PageViewRestriction, Revision

from articles.demo import content, images
from articles.demo.result import DemoLoadResult
from articles.models import (
    ArticleAuthor,
    ArticleIndexPage,
    ArticlePage,
    ArticleReference,
    Author,
    Series,
    SeriesMember,
    Topic,
)

PAGE_LINK = re.compile(r'linktype="page" id="@([a-z0-9-]+)"')


# Images


def _image_ensure(
    *,
    title: str,
    filename: str,
    draw: Callable[[], bytes],
    collection: Collection,
    result: DemoLoadResult,
) -> AbstractImage:
    image, created = images.demo_image_ensure(
        title=title, filename=filename, draw=draw, collection=collection
    )
    result.created["images"] += created
    return image


def _art_ensure(
    *, title: str, spec: dict, label: str, collection: Collection, result: DemoLoadResult
) -> AbstractImage:
    """An abstract illustration (hero, body or series image) drawn from a motif and colors."""
    return _image_ensure(
        title=title,
        filename=f"demo-{slugify(title)[:60]}.jpg",
        draw=lambda: images.hero_jpeg(
            title=title, colors=spec["colors"], motif=spec["motif"], label=label
        ),
        collection=collection,
        result=result,
    )


# Articles


def _resolve_page_links(html: str, *, pages: dict[str, ArticlePage]) -> str:
    def page_id(match: re.Match) -> str:
        slug = match.group(1)
        if slug not in pages:
            raise ValueError(
                f"Demo content links to “{slug}” before that article is created; "
                "list the link target earlier in content.ARTICLES."
            )
        return f'linktype="page" id="{pages[slug].pk}"'

    return PAGE_LINK.sub(page_id, html)


def _body_build(
    *,
    blocks: list[tuple[str, Any]],
    pages: dict[str, ArticlePage],
    collection: Collection,
    result: DemoLoadResult,
) -> StreamValue:
    """Turn the content module's (type, value) pairs into a cleaned StreamValue.

    The body goes through the StreamBlock's `clean`, as it would from the admin form, so
    the demo content is validated and headings get their frozen anchors.
    """
    raw = []
    for block_type, value in blocks:
        if block_type == "paragraph":
            value = _resolve_page_links(value, pages=pages)
        elif block_type == "callout":
            value = {**value, "body": _resolve_page_links(value["body"], pages=pages)}
        elif block_type == "image":
            spec = value["image"]
            image = _art_ensure(
                title=spec["title"], spec=spec, label="", collection=collection, result=result
            )
            value = {**value, "image": image.pk}
        raw.append({"type": block_type, "value": value})
    stream_field = ArticlePage._meta.get_field("body")
    return stream_field.stream_block.clean(stream_field.to_python(raw))


def _articles_ensure(
    *,
    journal: ArticleIndexPage,
    authors: dict[str, Author],
    topics: dict[str, Topic],
    collection: Collection,
    result: DemoLoadResult,
) -> dict[str, ArticlePage]:
    now = timezone.now()
    slugs = [spec["slug"] for spec in content.ARTICLES]
    pages = {page.slug: page for page in ArticlePage.objects.filter(slug__in=slugs)}
    for spec in content.ARTICLES:
        if spec["slug"] in pages:
            continue
        pages[spec["slug"]] = _article_create(
            spec=spec,
            journal=journal,
            authors=authors,
            topics=topics,
            pages=pages,
            collection=collection,
            now=now,
            result=result,
        )
        result.created["articles"] += 1
    return pages


def _article_create(
    *,
    spec: dict,
    journal: ArticleIndexPage,
    authors: dict[str, Author],
    topics: dict[str, Topic],
    pages: dict[str, ArticlePage],
    collection: Collection,
    now: datetime,
    result: DemoLoadResult,
) -> ArticlePage:
    status = spec["status"]
    hero = spec["hero"]
    hero_image = _art_ensure(
        title=f"Hero: {spec['title']}",
        spec=hero,
        label=topics[spec["topics"][0]].name,
        collection=collection,
        result=result,
    )
    if status == "scheduled":
        published_at = now + timedelta(days=spec["go_live_in_days"])
    else:
        published_at = now - timedelta(days=spec.get("published_days_ago", 0), hours=3)
    reviewer = authors[spec["reviewer"]] if spec.get("reviewer") else None
    reviewed_at = None
    if reviewer is not None:
        reviewed_at = min(published_at.date() - timedelta(days=3), timezone.localdate())
    syndication = spec.get("syndication", {})

    page = ArticlePage(
        title=spec["title"],
        slug=spec["slug"],
        subtitle=spec["subtitle"],
        summary=spec["summary"],
        seo_title=spec.get("seo_title", ""),
        search_description=spec.get("search_description", ""),
        hero_image=hero_image,
        hero_image_alt=hero["alt"],
        hero_image_caption=hero.get("caption", ""),
        hero_image_credit=hero.get("credit", content.GENERATED_IMAGE_CREDIT),
        body=_body_build(blocks=spec["body"], pages=pages, collection=collection, result=result),
        medical_reviewer=reviewer,
        medical_reviewed_at=reviewed_at,
        syndication_allowed=syndication.get("allowed", True),
        syndication_license=syndication.get("license", "partner-agreement"),
        syndication_attribution=syndication.get("attribution", content.DEFAULT_ATTRIBUTION),
        live=status in ("live", "login"),
        article_authors=[
            ArticleAuthor(author=authors[slug], sort_order=position)
            for position, slug in enumerate(spec["authors"])
        ],
        references=[
            ArticleReference(title=title, url=url, sort_order=position)
            for position, (title, url) in enumerate(spec["references"])
        ],
        topics=[topics[slug] for slug in spec["topics"]],
    )
    page.tags.add(*spec["tags"])
    journal.add_child(instance=page)
    if not page.live:
        page.full_clean()  # Wagtail only checks title and slug when saving a draft.

    if status == "draft":
        page.save_revision()
    elif status == "scheduled":
        page.go_live_at = published_at
        page.save_revision().publish()
    else:
        revision = page.save_revision()
        revision.publish()
        # Backdate the publication so the journal has a history to order by.
        Revision.objects.filter(pk=revision.pk).update(created_at=published_at)
        ArticlePage.objects.filter(pk=page.pk).update(
            first_published_at=published_at,
            last_published_at=published_at,
            latest_revision_created_at=published_at,
        )
        if status == "login":
            PageViewRestriction.objects.create(
                page=page, restriction_type=PageViewRestriction.LOGIN
            )
    page.refresh_from_db()
    return page


# Series


def _series_ensure(
    *, articles: dict[str, ArticlePage], collection: Collection, result: DemoLoadResult
) -> None:
    for spec in content.SERIES:
        if Series.objects.filter(slug=spec["slug"]).exists():
            continue
        image = _art_ensure(
            title=f"Series: {spec['title']}",
            spec=spec["image"],
            label="Series",
            collection=collection,
            result=result,
        )
        series = Series(
            title=spec["title"],
            slug=spec["slug"],
            description=spec["description"],
            image=image,
            live=False,
            members=[
                SeriesMember(article=articles[slug], sort_order=position)
                for position, slug in enumerate(spec["articles"])
            ],
        )
        series.save()
        series.save_revision().publish()
        result.created["series"] += 1
        result.created["series members"] += len(spec["articles"])
