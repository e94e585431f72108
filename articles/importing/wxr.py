"""Reading a WordPress export (WXR 1.0-1.2, Squarespace's too) as a stream of small records.

The XML is parsed by defusedxml's iterparse: a document that declares an entity (the XML bomb)
or refers to an external one is refused before anything is read from it, and nothing is
fetched from the network. Each `<item>` is read, handed on and cleared, so memory holds one
post at a time whatever the export's size.
"""

import email.utils
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import defusedxml

_CONTENT = "http://purl.org/rss/1.0/modules/content/"
_DC = "http://purl.org/dc/elements/1.1/"
_WP_PREFIX = "http://wordpress.org/export/"
SUPPORTED_VERSIONS = ("1.0", "1.1", "1.2")
# What an attachment's stub keeps of its meta: the file under uploads/ and the alt text.
ATTACHMENT_META = ("_wp_attached_file", "_wp_attachment_image_alt")


class ExportRefused(Exception):
    """The file cannot be imported; the message names the problem. Nothing was written."""


@dataclass(frozen=True)
class WxrAuthor:
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""

    @property
    def name(self) -> str:
        full = f"{self.first_name} {self.last_name}".strip()
        return self.display_name.strip() or full or self.login


@dataclass(frozen=True)
class WxrTerm:
    """A category or a tag, as listed in the channel or attached to an item."""

    slug: str
    name: str
    description: str = ""


@dataclass
class WxrItem:
    """One `<item>`: a post, a page, an attachment or another post type."""

    post_id: int
    post_type: str
    status: str
    title: str = ""
    link: str = ""
    guid: str = ""
    slug: str = ""
    published: datetime | None = None
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    parent_id: int = 0
    attachment_url: str = ""
    categories: list[WxrTerm] = field(default_factory=list)
    tags: list[WxrTerm] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)


@dataclass
class WxrChannel:
    """The export's own description and its site-wide lists, read before or between items."""

    title: str = ""
    link: str = ""
    base_site_url: str = ""
    version: str = ""
    authors: dict[str, WxrAuthor] = field(default_factory=dict)
    categories: dict[str, WxrTerm] = field(default_factory=dict)

    @property
    def source(self) -> str:
        """The exported site, as the key its imported objects are recorded under."""
        return (self.base_site_url or self.link).rstrip("/") or "unknown"


def _local(tag: str) -> tuple[str, str]:
    """('wp' | 'excerpt' | 'content' | 'dc' | '', local name) of a namespaced tag."""
    if not tag.startswith("{"):
        return "", tag
    namespace, name = tag[1:].split("}", 1)
    if namespace.startswith(_WP_PREFIX):
        return ("excerpt" if namespace.rstrip("/").endswith("excerpt") else "wp"), name
    if namespace == _CONTENT:
        return "content", name
    if namespace == _DC:
        return "dc", name
    return "other", name


def _text(element) -> str:
    return (element.text or "").strip()


def _children(element) -> dict[tuple[str, str], ElementTree.Element]:
    return {_local(child.tag): child for child in element}


def _date(item: dict, pub_date: str) -> datetime | None:
    gmt = item.get(("wp", "post_date_gmt"), "")
    if gmt and not gmt.startswith("0000"):
        try:
            return datetime.fromisoformat(gmt).replace(tzinfo=UTC)
        except ValueError:
            pass
    if pub_date:
        try:
            parsed = email.utils.parsedate_to_datetime(pub_date)
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        except (TypeError, ValueError):
            pass
    local = item.get(("wp", "post_date"), "")
    if local and not local.startswith("0000"):
        try:
            return datetime.fromisoformat(local).replace(tzinfo=UTC)
        except ValueError:
            pass
    return None


def _item(element) -> WxrItem:
    values: dict[tuple[str, str], str] = {}
    categories, tags, meta = [], [], {}
    for child in element:
        key = _local(child.tag)
        if key == ("", "category"):
            term = WxrTerm(slug=child.get("nicename", ""), name=_text(child))
            (tags if child.get("domain") == "post_tag" else categories).append(term)
            if child.get("domain") not in (None, "category", "post_tag"):
                categories.pop()  # custom taxonomies (formats, ...) are not topics
        elif key == ("wp", "postmeta"):
            parts = _children(child)
            meta_key = parts.get(("wp", "meta_key"))
            meta_value = parts.get(("wp", "meta_value"))
            if meta_key is not None:
                meta[_text(meta_key)] = meta_value.text or "" if meta_value is not None else ""
        else:
            values[key] = child.text or ""
    try:
        post_id = int(values.get(("wp", "post_id"), "0").strip() or 0)
    except ValueError:
        post_id = 0
    try:
        parent_id = int(values.get(("wp", "post_parent"), "0").strip() or 0)
    except ValueError:
        parent_id = 0
    return WxrItem(
        post_id=post_id,
        post_type=values.get(("wp", "post_type"), "post").strip() or "post",
        status=values.get(("wp", "status"), "publish").strip() or "publish",
        title=values.get(("", "title"), "").strip(),
        link=values.get(("", "link"), "").strip(),
        guid=values.get(("", "guid"), "").strip(),
        slug=values.get(("wp", "post_name"), "").strip(),
        published=_date(values, values.get(("", "pubDate"), "").strip()),
        creator=values.get(("dc", "creator"), "").strip(),
        content=values.get(("content", "encoded"), ""),
        excerpt=values.get(("excerpt", "encoded"), "").strip(),
        parent_id=parent_id,
        attachment_url=values.get(("wp", "attachment_url"), "").strip(),
        categories=categories,
        tags=tags,
        meta=meta,
    )


def _author(element) -> WxrAuthor:
    parts = {name: _text(child) for (_, name), child in _children(element).items()}
    return WxrAuthor(
        login=parts.get("author_login", ""),
        email=parts.get("author_email", ""),
        display_name=parts.get("author_display_name", ""),
        first_name=parts.get("author_first_name", ""),
        last_name=parts.get("author_last_name", ""),
    )


def _category(element) -> WxrTerm:
    parts = {name: _text(child) for (_, name), child in _children(element).items()}
    return WxrTerm(
        slug=parts.get("category_nicename", ""),
        name=parts.get("cat_name", ""),
        description=parts.get("category_description", ""),
    )


def read_export(path: Path, channel: WxrChannel | None = None) -> Iterator[WxrItem]:
    """Each item of the export at `path`, in file order; `channel` is filled in as it is read.

    Raises ExportRefused for a file that is not well-formed, declares entities, refers to
    external ones, or is not a WordPress export.
    """
    channel = channel if channel is not None else WxrChannel()
    stack: list[ElementTree.Element] = []
    saw_rss = False
    try:
        for event, element in defusedxml.ElementTree.iterparse(
            str(path), events=("start", "end"), forbid_dtd=False
        ):
            if event == "start":
                if not stack and _local(element.tag) != ("", "rss"):
                    raise ExportRefused(
                        f"This is not a WordPress export: its root element is "
                        f"<{_local(element.tag)[1]}>, where an export (WXR) has <rss>."
                    )
                saw_rss = True
                stack.append(element)
                continue
            stack.pop()
            # Direct children of <channel> (stack: rss, channel).
            if len(stack) != 2:
                continue
            parent = stack[-1]
            key = _local(element.tag)
            if key == ("", "item"):
                yield _item(element)
            elif key == ("wp", "author"):
                author = _author(element)
                if author.login:
                    channel.authors[author.login] = author
            elif key == ("wp", "category"):
                term = _category(element)
                if term.slug:
                    channel.categories[term.slug] = term
            elif key == ("", "title"):
                channel.title = _text(element)
            elif key == ("", "link"):
                channel.link = _text(element)
            elif key == ("wp", "base_site_url"):
                channel.base_site_url = _text(element)
            elif key == ("wp", "wxr_version"):
                channel.version = _text(element)
                if channel.version not in SUPPORTED_VERSIONS:
                    raise ExportRefused(
                        f"This export is WXR version {channel.version}; Folio reads versions "
                        f"{', '.join(SUPPORTED_VERSIONS)}."
                    )
            parent.remove(element)  # what was read is dropped: memory holds one item
    except defusedxml.EntitiesForbidden as error:
        raise ExportRefused(
            f"The export declares the XML entity “{error.name}”. Entity declarations are "
            "refused (they are how an XML bomb exhausts a server), and a WordPress export "
            "never needs one: export the site again."
        ) from None
    except defusedxml.ExternalReferenceForbidden as error:
        raise ExportRefused(
            f"The export refers to an external entity ({error.sysid or error.pubid}). Files "
            "and addresses named inside an export are never read: export the site again."
        ) from None
    except defusedxml.DTDForbidden:  # pragma: no cover (DTDs are allowed, entities are not)
        raise ExportRefused("The export carries a document type declaration.") from None
    except ElementTree.ParseError as error:
        line, column = error.position
        raise ExportRefused(
            f"The export is not well-formed XML: {_reason(error)} at line {line}, column "
            f"{column}. Nothing was imported."
        ) from None
    if not saw_rss:
        raise ExportRefused("The export is empty.")
    if not channel.version:
        raise ExportRefused(
            "This RSS file is not a WordPress export: it has no <wp:wxr_version>. Export it "
            "from WordPress (Tools → Export) or Squarespace (Settings → Export)."
        )


def _reason(error: ElementTree.ParseError) -> str:
    text = str(error)
    return text.split(":", 1)[0] if ":" in text else text


def export_scan(path: Path) -> tuple[WxrChannel, list[WxrItem]]:
    """The channel, and every item without its content (what a plan needs of the whole file)."""
    channel = WxrChannel()
    stubs = []
    for item in read_export(path, channel):
        item.content = ""
        if item.post_type == "attachment":
            item.meta = {key: item.meta[key] for key in ATTACHMENT_META if key in item.meta}
        else:
            item.excerpt, item.meta = "", {}
        stubs.append(item)
    return channel, stubs
