"""The demo content service: creates the Folio Health journal and everything in it, idempotently."""

import re
import secrets
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.blocks import StreamValue
from wagtail.images.models import AbstractImage
from wagtail.models import Collection, Page, PageViewRestriction, Revision, Site

from articles.demo import content, images
from articles.editorial import editorial_setup_ensure
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

WELCOME_PAGE_TITLE = "Welcome to your new Wagtail site!"
PAGE_LINK = re.compile(r'linktype="page" id="@([a-z0-9-]+)"')


class Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


@dataclass
class DemoLoadResult:
    """What one run created, and the one-time passwords of the users it created."""

    created: Counter = field(default_factory=Counter)
    passwords: dict[str, str] = field(default_factory=dict)

    @property
    def nothing_created(self) -> bool:
        return not +self.created


def demo_content_load(*, stdout: Writer) -> DemoLoadResult:
    """Create the demo journal, people, images, articles and series; skip whatever exists.

    Objects are found again by their natural keys (usernames, slugs, image titles), so a
    second run creates nothing and leaves existing passwords alone. Passwords of users
    created by this run are printed once, after the transaction has committed.
    """
    result = DemoLoadResult()
    with transaction.atomic():
        editorial_setup_ensure()
        _users_ensure(result=result)
        collection, created = images.demo_collection_ensure()
        result.created["collections"] += created
        authors = _authors_ensure(collection=collection, result=result)
        topics = _topics_ensure(result=result)
        journal = _journal_ensure(result=result)
        _site_ensure(journal=journal, result=result)
        articles = _articles_ensure(
            journal=journal, authors=authors, topics=topics, collection=collection, result=result
        )
        _series_ensure(articles=articles, collection=collection, result=result)

    for label, password in result.passwords.items():
        stdout.write(f"{label} created with password: {password}\n")
    if result.nothing_created:
        stdout.write("Demo content already exists; nothing was created.\n")
    else:
        summary = ", ".join(f"{count} {name}" for name, count in sorted(result.created.items()))
        stdout.write(f"Demo content created: {summary}.\n")
    stdout.write(f"Site root: {journal.title} at {settings.PUBLIC_BASE_URL}{journal.url}\n")
    return result


# People


def _users_ensure(*, result: DemoLoadResult) -> None:
    user_model = get_user_model()
    if not user_model.objects.filter(username=content.SUPERUSER["username"]).exists():
        password = secrets.token_urlsafe(16)
        user_model.objects.create_superuser(
            username=content.SUPERUSER["username"],
            email=content.SUPERUSER["email"],
            password=password,
        )
        result.created["users"] += 1
        result.passwords[f"Superuser {content.SUPERUSER['username']}"] = password
    for spec in content.EDITORIAL_USERS:
        if user_model.objects.filter(username=spec["username"]).exists():
            continue
        password = secrets.token_urlsafe(16)
        user = user_model.objects.create_user(
            username=spec["username"],
            email=spec["email"],
            password=password,
            first_name=spec["first_name"],
            last_name=spec["last_name"],
        )
        user.groups.add(Group.objects.get(name=spec["group"]))
        result.created["users"] += 1
        result.passwords[f"User {spec['username']} ({spec['group']})"] = password


def _authors_ensure(*, collection: Collection, result: DemoLoadResult) -> dict[str, Author]:
    authors = {author.slug: author for author in Author.objects.all()}
    for spec in content.AUTHORS:
        if spec["slug"] in authors:
            continue
        photo = _image_ensure(
            title=f"Portrait: {spec['name']}",
            filename=f"demo-portrait-{spec['slug']}.jpg",
            draw=lambda spec=spec: images.portrait_jpeg(name=spec["name"], colors=spec["colors"]),
            collection=collection,
            result=result,
        )
        author = Author.objects.create(
            name=spec["name"],
            slug=spec["slug"],
            credentials=spec["credentials"],
            role=spec["role"],
            bio=spec["bio"],
            photo=photo,
        )
        author.save_revision()
        authors[author.slug] = author
        result.created["authors"] += 1
    return authors


def _topics_ensure(*, result: DemoLoadResult) -> dict[str, Topic]:
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    for spec in content.TOPICS:
        if spec["slug"] in topics:
            continue
        topic = Topic.objects.create(
            name=spec["name"], slug=spec["slug"], description=spec["description"]
        )
        topic.save_revision()
        topics[topic.slug] = topic
        result.created["topics"] += 1
    return topics


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


# The journal and its site


def _journal_ensure(*, result: DemoLoadResult) -> ArticleIndexPage:
    spec = content.JOURNAL
    journal = ArticleIndexPage.objects.filter(slug=spec["slug"], depth=2).first()
    if journal is not None:
        return journal
    journal = ArticleIndexPage(
        title=spec["title"],
        slug=spec["slug"],
        intro=spec["intro"],
        seo_title=spec["seo_title"],
        search_description=spec["search_description"],
    )
    # The post_save receiver grants the editorial groups their permissions on it.
    Page.get_first_root_node().add_child(instance=journal)
    journal.save_revision().publish()
    result.created["journals"] += 1
    return journal


def _site_ensure(*, journal: ArticleIndexPage, result: DemoLoadResult) -> Site:
    """Make the journal the root of the default site, at PUBLIC_BASE_URL's host and port."""
    base = urlsplit(settings.PUBLIC_BASE_URL)
    hostname = base.hostname or "localhost"
    port = base.port or (443 if base.scheme == "https" else 80)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(is_default_site=True)
        result.created["sites"] += 1
    wanted = {
        "hostname": hostname,
        "port": port,
        "root_page_id": journal.pk,
        "site_name": content.JOURNAL["title"],
    }
    if any(getattr(site, name) != value for name, value in wanted.items()) or site.pk is None:
        for name, value in wanted.items():
            setattr(site, name, value)
        site.save()

    # Wagtail's install creates a placeholder home page; drop it once nothing uses it.
    page_type = ContentType.objects.get_for_model(Page)
    welcome = Page.objects.filter(
        depth=2, title=WELCOME_PAGE_TITLE, content_type=page_type, numchild=0
    ).first()
    if welcome is not None and not Site.objects.filter(root_page=welcome).exists():
        welcome.delete()
    return site


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
