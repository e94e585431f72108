"""Wagtail's stored rich text as public HTML: internal links resolved from loaded maps or
unwrapped."""

import html
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser

from api.content.bodies.sanitising import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_CLASSES,
    ALLOWED_TAGS,
    sanitise_html,
)

_VOID_TAGS = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "source", "wbr"})
# Tags re-emitted with their content so that nh3 removes the content too.
_CONTENT_DROPPING_TAGS = frozenset({"script", "style"})


@dataclass(frozen=True)
class BodyReferences:
    """The ids a body refers to, for the caller to load (and check visibility of) in bulk."""

    page_ids: frozenset[int]
    document_ids: frozenset[int]
    image_ids: frozenset[int]


@dataclass(frozen=True)
class BodyContext:
    """Everything rendering needs, already loaded: only visible pages may be in `page_urls`."""

    page_urls: Mapping[int, str]
    document_urls: Mapping[int, str]
    images: Mapping[int, dict]


def rich_text_html(source: str, context: BodyContext) -> str:
    """Wagtail's stored rich text as public HTML: links resolved or unwrapped, then sanitised."""
    if not _has_wagtail_tags(source):
        return sanitise_html(source or "")  # nothing to resolve: spare the (slow) parsing
    parser = _RichTextParser(page_urls=context.page_urls, document_urls=context.document_urls)
    parser.run(source)
    return sanitise_html("".join(parser.parts))


class _RichTextParser(HTMLParser):
    """Re-serialises Wagtail's stored rich text with its internal links resolved.

    `<a linktype="page|document" id="N">` becomes a plain link to the public URL, or is
    unwrapped (text kept) when N has none; `<embed>` is dropped. Only allowlisted tags and
    attributes are written; the result still goes through nh3, which has the last word.
    """

    def __init__(self, *, page_urls: Mapping[int, str], document_urls: Mapping[int, str]):
        super().__init__(convert_charrefs=True)
        self.urls = {"page": page_urls, "document": document_urls}
        self.parts: list[str] = []
        self.page_ids: set[int] = set()
        self.document_ids: set[int] = set()
        self._links_kept: list[bool] = []

    def run(self, source: str) -> None:
        self.feed(source or "")
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes: dict[str, str | None] = {}
        for name, value in attrs:
            attributes.setdefault(name, value)  # as in browsers, the first duplicate wins
        if tag == "a":
            link = self._link_attributes(attributes)
            self._links_kept.append(link is not None)
            if link is None:
                return
            attributes = link
        elif tag == "embed" or "embedtype" in attributes:
            return
        if tag in _CONTENT_DROPPING_TAGS:
            self.parts.append(f"<{tag}>")
        elif tag in ALLOWED_TAGS:
            allowed = ALLOWED_ATTRIBUTES.get(tag, frozenset())
            if tag in ALLOWED_CLASSES:
                allowed |= {"class"}
            written = "".join(
                f' {name}="{html.escape(value or "")}"'
                for name, value in attributes.items()
                if name in allowed
            )
            self.parts.append(f"<{tag}{written}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in _VOID_TAGS:
            return
        if tag == "a" and not (self._links_kept and self._links_kept.pop()):
            return
        if tag in ALLOWED_TAGS or tag in _CONTENT_DROPPING_TAGS:
            self.parts.append(f"</{tag}>")

    def handle_data(self, data):
        self.parts.append(html.escape(data, quote=False))

    def _link_attributes(self, attributes: dict[str, str | None]) -> dict[str, str | None] | None:
        linktype = attributes.get("linktype")
        if linktype is None:
            return attributes  # an external or mailto link: nh3 judges its URL
        if linktype not in self.urls:
            return None
        target_id = _as_int(attributes.get("id"))
        if target_id is None:
            return None
        (self.page_ids if linktype == "page" else self.document_ids).add(target_id)
        url = self.urls[linktype].get(target_id)
        return {"href": url} if url else None


def _has_wagtail_tags(source: str | None) -> bool:
    """Whether `source` may hold Wagtail's <a linktype> or <embed embedtype> (names, unescaped).

    Only a shortcut: nh3 strips these attributes and tags anyway, so a miss cannot leak.
    """
    lowered = (source or "").lower()
    return "linktype" in lowered or "embedtype" in lowered


def _as_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
