"""One post written as a draft article: created, updated with a new revision, or left alone.

A post is matched to the article an earlier import made of it by the export's post id (or its
GUID). An article whose latest revision is no longer the import's own has been edited since,
and is left alone unless the import overwrites. Links to posts not yet written create their
articles early (title and slug only), so every internal link becomes a page link at once.
"""

import hashlib
import json

from bs4 import BeautifulSoup
from django.utils import timezone
from django.utils.text import Truncator
from wagtail.contrib.redirects.models import Redirect

from articles.importing.addresses import OldSite
from articles.importing.bodies import BodyConversion, body_convert
from articles.importing.navigation import NavLink
from articles.importing.objects import ImportedObjects, unique_slug
from articles.importing.redirects import redirects_ensure
from articles.importing.report import ImportReport, PostOutcome
from articles.importing.rich_text import InlineContext
from articles.importing.wxr import WxrItem
from articles.models import (
    ArticleAuthor,
    ArticleIndexPage,
    ArticlePage,
    ArticleReference,
    ImportedItem,
)

SUMMARY_MAX = 600
PLACEHOLDER_SUMMARY = "Imported; the summary follows with the rest of the post."


def content_digest(values: dict) -> str:
    """A digest of what an import would write for a post, to tell an unchanged one."""
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def text_of(markup: str) -> str:
    return " ".join(BeautifulSoup(markup or "", "html.parser").get_text(" ").split())


def _summary(post: WxrItem, body: BodyConversion, warnings: list[str]) -> str:
    excerpt = text_of(post.excerpt)
    if excerpt:
        return Truncator(excerpt).chars(SUMMARY_MAX)
    for block in body.blocks:
        if block["type"] == "paragraph" and (text := text_of(block["value"])):
            warnings.append("The post has no excerpt: the summary is its first paragraph.")
            return Truncator(text).chars(SUMMARY_MAX)
    warnings.append("The post has no excerpt and no text: the summary is its title.")
    return Truncator(post.title or "Untitled").chars(SUMMARY_MAX)


class PostWriter:
    """Writes the posts of one import and keeps what the series and redirects need of them."""

    def __init__(
        self,
        *,
        journal: ArticleIndexPage,
        objects: ImportedObjects,
        old_site: OldSite,
        options,
        report: ImportReport,
        stubs: dict[int, WxrItem],
    ):
        self.journal = journal
        self.objects = objects
        self.old_site = old_site
        self.options = options
        self.report = report
        self.stubs = stubs
        self.navigation: dict[int, list[NavLink]] = {}
        self.titles: dict[int, str] = {post_id: stub.title for post_id, stub in stubs.items()}
        self.to_publish: list[tuple[ArticlePage, object]] = []
        self._slugs = set(ArticlePage.objects.values_list("slug", flat=True))

    # Pages by post

    def page_id_for(self, post_id: int) -> int | None:
        item = self.objects.items.get((ImportedItem.POST, str(post_id)))
        if item is not None and item.page_id:
            return item.page_id
        stub = self.stubs.get(post_id)
        if stub is None:
            return None
        return self._page_create(stub).pk

    def _page_create(self, post: WxrItem) -> ArticlePage:
        slug = unique_slug(
            post.slug or post.title or f"post-{post.post_id}", self._slugs.__contains__, limit=250
        )
        self._slugs.add(slug)
        page = ArticlePage(
            title=(post.title or f"Untitled post {post.post_id}")[:255],
            slug=slug,
            summary=PLACEHOLDER_SUMMARY,
            live=False,
            owner=self.options.user,
        )
        self.journal.add_child(instance=page)
        self.objects.record(
            ImportedItem.POST, str(post.post_id), page=page, guid=post.guid[:1000], revision=None
        )
        return page

    def _item_for(self, post: WxrItem) -> ImportedItem | None:
        item = self.objects.items.get((ImportedItem.POST, str(post.post_id)))
        if item is None and post.guid:
            item = ImportedItem.objects.filter(
                source=self.objects.source, kind=ImportedItem.POST, guid=post.guid
            ).first()
        return item if item is not None and item.page_id else None

    # Writing

    def post_write(self, post: WxrItem) -> None:
        outcome = PostOutcome(post_id=post.post_id, title=post.title)
        self.report.posts.append(outcome)
        item = self._item_for(post)
        page = item.page.specific if item else None
        edited = (
            page is not None
            and item.revision_id is not None
            and page.latest_revision_id != item.revision_id
        )
        leave_alone = edited and not self.options.overwrite
        inline = InlineContext(
            old_site=self.old_site,
            base_url=(self.objects.channel.base_site_url or self.objects.channel.link).rstrip("/"),
            page_id_for=self.page_id_for,
            warnings=outcome.warnings,
        )
        if leave_alone:
            # Read only for its navigation links: nothing of it is written, no image imported.
            body = body_convert(post.content, inline=inline, image_for=lambda *a: None, gallery={})
            self.navigation[post.post_id] = body.navigation
            outcome.warnings[:] = [
                "Edited in Folio since it was imported: left alone (use --overwrite)."
            ]
            outcome.action, outcome.page_id = "left alone", page.pk
            self.report.count("posts", "left alone (edited since)")
            return

        def image_for(src, alt, caption, attachment_id):
            return self.objects.image_for(src, alt, caption, attachment_id, outcome.warnings)

        body = body_convert(
            post.content, inline=inline, image_for=image_for, gallery=self.objects.gallery()
        )
        self.navigation[post.post_id] = body.navigation
        outcome.unresolved_links = body.unresolved_links
        if post.status == "private":
            outcome.warnings.append(
                "Private on the old site: imported as a draft, never published."
            )
        if post.meta.get("_wp_post_password") or getattr(post, "password", ""):
            outcome.warnings.append("Password-protected on the old site: imported as a draft.")
        hero = None
        thumbnail = post.meta.get("_thumbnail_id", "").strip()
        if thumbnail.isdigit() and int(thumbnail) in self.objects.attachments:
            hero = self.objects.image_for("", "", "", int(thumbnail), outcome.warnings)
        authors = [a for a in [self.objects.author_for(post.creator)] if a is not None]
        topics = [t for term in post.categories if (t := self.objects.topic_for(term))]
        tags = list(dict.fromkeys(term.name[:100] for term in post.tags if term.name))
        references = [c for c in body.citations if c["url"] or c["doi"] or c["pmid"]]
        published = post.published is not None and post.status in ("publish", "future")
        values = {
            "title": (post.title or f"Untitled post {post.post_id}")[:255],
            "summary": _summary(post, body, outcome.warnings),
            "body": body.blocks,
            "first_published_at": post.published.isoformat() if published else None,
            "hero": [hero.image_id, hero.alt, hero.caption] if hero else None,
            "authors": [a.pk for a in authors],
            "topics": sorted(t.pk for t in topics),
            "tags": tags,
            "references": references,
        }
        digest = content_digest(values)
        if page is not None and item.revision_id and item.content_hash == digest and not edited:
            outcome.action, outcome.page_id = "unchanged", page.pk
            self.report.count("posts", "unchanged")
            self._queue_publish(post, page, None)
            return
        created = page is None or item.revision_id is None
        if page is None:
            page = self._page_create(post).specific
            item = self.objects.items[(ImportedItem.POST, str(post.post_id))]
        page.title = values["title"]
        page.draft_title = values["title"]
        page.summary = values["summary"]
        page.body = json.dumps(body.blocks)
        if published:
            page.first_published_at = post.published
            # A post scheduled on the old site is scheduled here when published (--publish).
            page.go_live_at = post.published if post.published > timezone.now() else None
        page.hero_image_id = hero.image_id if hero else None
        page.hero_image_alt = hero.alt[:250] if hero else ""
        page.hero_image_caption = (hero.caption or "")[:400] if hero else ""
        page.article_authors = [
            ArticleAuthor(author=a, sort_order=i) for i, a in enumerate(authors)
        ]
        page.topics = topics
        page.tags.set(tags)
        page.references = [
            ArticleReference(
                title=c["title"][:400], url=c["url"], doi=c["doi"], pmid=c["pmid"], sort_order=i
            )
            for i, c in enumerate(references)
        ]
        if not page.live:
            page.save()
        revision = page.save_revision(user=self.options.user, log_action=True)
        self.objects.record(
            ImportedItem.POST,
            str(post.post_id),
            page=page,
            guid=post.guid[:1000],
            revision=revision,
            content_hash=digest,
            old_paths=self.old_site.old_paths(post),
        )
        outcome.action, outcome.page_id = ("created" if created else "updated"), page.pk
        if edited:
            outcome.warnings.append(
                "Edited in Folio since it was imported: overwritten (--overwrite)."
            )
        self.report.count("posts", outcome.action)
        self._queue_publish(post, page, revision)

    def _queue_publish(self, post: WxrItem, page: ArticlePage, revision) -> None:
        if (
            self.options.publish
            and post.status in ("publish", "future")
            and (revision or not page.live)
        ):
            self.to_publish.append((page, revision))

    # After every post

    def publish_and_redirect(self) -> None:
        """Publish what --publish asks for, then redirect old addresses to live articles."""
        for page, revision in self.to_publish:
            revision = revision or page.latest_revision
            if revision is not None:
                revision.publish(user=self.options.user)
                self.report.count("posts", "published")
        site = self.journal.get_site()
        for item in list(self.objects.items.values()):
            if item.kind != ImportedItem.POST or not item.page_id or not item.old_paths:
                continue
            page = ArticlePage.objects.filter(pk=item.page_id, live=True).first()
            if page is None:
                self.report.count("redirects", "waiting for publication", len(item.old_paths))
                continue
            _created, conflicts = redirects_ensure(item=item, site=site, own_path=_own_path(page))
            active = Redirect.objects.filter(redirect_page_id=page.pk, old_path__in=item.old_paths)
            self.report.count("redirects", "active", active.count())
            for path in conflicts:
                self.report.notes.append(
                    f"The old path {path} already redirects elsewhere: left alone."
                )


def _own_path(page: ArticlePage) -> str:
    parts = page.get_url_parts()
    return parts[2] if parts else ""
