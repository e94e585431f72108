"""The demo content service: creates the Folio Health journal and everything in it, idempotently."""

import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Collection, Page, Site

from articles.demo import content, images
from articles.demo.pages import _articles_ensure, _image_ensure, _series_ensure
from articles.demo.result import DemoLoadResult, Writer
from articles.editorial import editorial_setup_ensure
from articles.models import (
    ArticleIndexPage,
    Author,
    Topic,
)

WELCOME_PAGE_TITLE = "Welcome to your new Wagtail site!"


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
        _accounts_link()
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


def _accounts_link() -> None:
    """Each demo login is one of the authors: the reviewer's account gets her review reminders."""
    for spec in content.EDITORIAL_USERS:
        user = get_user_model().objects.filter(username=spec["username"]).first()
        if user is not None and not Author.objects.filter(user=user).exists():
            name = f"{spec['first_name']} {spec['last_name']}"
            Author.objects.filter(name=name, user__isnull=True).update(user=user)


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
