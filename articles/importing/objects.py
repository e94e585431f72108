"""Authors, topics and images of an import: found again by what they were on the old site.

Each one is looked up in the import's records first (a re-import reuses what the last one
made), then among what editors already have (a topic of the same name), and only then created.
"""

import io
from pathlib import Path

from django.core.files.images import ImageFile
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.models import Collection

from articles.importing.addresses import unsized
from articles.importing.bodies import BodyImage
from articles.importing.media import MediaSource, MediaUnavailable
from articles.importing.wxr import WxrAuthor, WxrChannel, WxrItem, WxrTerm
from articles.models import Author, ImportedItem, Topic

# WordPress's default category holds what nobody filed: no topic of its own.
UNFILED_CATEGORIES = {"uncategorized", "uncategorised"}


def unique_slug(base: str, taken, *, limit: int = 200) -> str:
    """`base` or `base-2`, `base-3`, ... whichever `taken(slug)` says is free."""
    base = (slugify(base)[:limit].strip("-")) or "imported"
    slug, number = base, 1
    while taken(slug):
        number += 1
        slug = f"{base[: limit - len(str(number)) - 1]}-{number}"
    return slug


class ImportedObjects:
    """What the import has made so far, by kind and key, loaded once per run."""

    def __init__(self, *, source: str, channel: WxrChannel, media: MediaSource, user, dry_run):
        self.source = source
        self.channel = channel
        self.media = media
        self.user = user
        self.dry_run = dry_run
        self.items: dict[tuple[str, str], ImportedItem] = {
            (item.kind, item.key): item for item in ImportedItem.objects.filter(source=source)
        }
        self.attachments: dict[int, WxrItem] = {}
        self._attachment_by_path: dict[str, int] = {}
        self._collection = None
        self.created_files: list[str] = []

    def record(self, kind: str, key: str, **values) -> ImportedItem:
        item = self.items.get((kind, key))
        if item is None:
            item = ImportedItem(source=self.source, kind=kind, key=key)
            self.items[(kind, key)] = item
        for name, value in values.items():
            setattr(item, name, value)
        item.save()
        return item

    def attachment_add(self, item: WxrItem) -> None:
        self.attachments[item.post_id] = item
        if item.attachment_url:
            self._attachment_by_path[unsized(item.attachment_url.split("://", 1)[-1])] = (
                item.post_id
            )

    def gallery(self) -> dict[int, str]:
        return {key: item.attachment_url for key, item in self.attachments.items()}

    # Authors

    def author_for(self, login: str) -> Author | None:
        if not login:
            return None
        item = self.items.get((ImportedItem.AUTHOR, login))
        if item is not None and item.author_id:
            return item.author
        described = self.channel.authors.get(login) or WxrAuthor(login=login, display_name=login)
        author = None
        if described.email:
            by_email = ImportedItem.objects.filter(
                kind=ImportedItem.AUTHOR, email__iexact=described.email, author__isnull=False
            ).first()
            author = by_email.author if by_email else None
        if author is None:
            name = described.name[:200]
            slug = unique_slug(name, lambda s: Author.objects.filter(slug=s).exists())
            author = Author.objects.create(name=name, slug=slug)
        self.record(ImportedItem.AUTHOR, login, author=author, email=described.email[:254])
        return author

    # Topics

    def topic_for(self, term: WxrTerm) -> Topic | None:
        slug = term.slug or slugify(term.name)
        if not slug or slug in UNFILED_CATEGORIES:
            return None
        item = self.items.get((ImportedItem.TOPIC, slug))
        if item is not None and item.topic_id:
            return item.topic
        described = self.channel.categories.get(slug, term)
        name = (described.name or term.name or slug)[:100]
        topic = (
            Topic.objects.filter(slug=slug[:100]).first()
            or Topic.objects.filter(name__iexact=name).first()
        )
        if topic is None:
            topic = Topic.objects.create(
                name=name, slug=slug[:100], description=described.description[:1000]
            )
        self.record(ImportedItem.TOPIC, slug, topic=topic)
        return topic

    # Images

    def _image_collection(self) -> Collection:
        if self._collection is None:
            name = f"Imported from {self.channel.title or self.source}"[:255]
            root = Collection.get_first_root_node()
            self._collection = root.get_children().filter(name=name).first() or root.add_child(
                name=name
            )
        return self._collection

    def image_for(
        self, src: str, alt: str, caption: str, attachment_id: int | None, warnings: list[str]
    ) -> BodyImage | None:
        """The Wagtail image for `src` (or the attachment), imported once per run and source."""
        if attachment_id is None and src:
            attachment_id = self._attachment_by_path.get(unsized(src.split("://", 1)[-1]))
        attachment = self.attachments.get(attachment_id) if attachment_id else None
        url = (attachment.attachment_url if attachment else "") or src
        key = f"attachment:{attachment.post_id}" if attachment else unsized(url)
        described_alt = attachment.meta.get("_wp_attachment_image_alt", "") if attachment else ""
        caption = caption or (attachment.excerpt if attachment else "")
        alt = (alt or described_alt).strip()
        title = (attachment.title if attachment else "") or Path(unsized(url)).stem
        if not alt:
            alt = title.replace("-", " ").replace("_", " ").strip() or "Image"
            warnings.append(f"Image “{title}” has no alt text: “{alt}” stands in; describe it.")
        item = self.items.get((ImportedItem.IMAGE, key[:500]))
        if item is not None and item.image_id:
            return BodyImage(item.image_id, alt, caption)
        attached = attachment.meta.get("_wp_attached_file", "") if attachment else ""
        try:
            found = self.media.read(url, attached)
        except MediaUnavailable as error:
            warnings.append(f"Image {url or title} was not imported ({error}): kept as a link.")
            return None
        if self.dry_run:
            return BodyImage(None, alt, caption)
        image = get_image_model()(
            title=title[:255],
            file=ImageFile(io.BytesIO(found.data), name=found.name),
            collection=self._image_collection(),
            uploaded_by_user=self.user,
        )
        if hasattr(image, "description"):
            image.description = alt[:255]
        image._set_image_file_metadata()
        image.save()
        self.created_files.append(image.file.name)
        self.record(ImportedItem.IMAGE, key[:500], image=image)
        return BodyImage(image.pk, alt, caption)
