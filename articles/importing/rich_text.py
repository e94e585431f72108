"""Inline HTML of a post turned into Wagtail's stored rich text: links resolved, tags allowed.

Links to other posts of the export become page links (`<a linktype="page" id="…">`), links
elsewhere stay URLs; emphasis is kept, other inline markup is unwrapped to its text, and the
result passes the nh3 sanitiser with the body's allowlist, so nothing the admin's editor
could not have written is stored.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from urllib.parse import urljoin

import nh3
from bs4 import NavigableString, Tag
from bs4.element import Comment

from articles.importing.addresses import OldSite

_KEPT = {"b": "b", "strong": "b", "i": "i", "em": "i", "sup": "sup", "sub": "sub"}
# Unwrapped without a word: they carry no meaning a reader loses.
_QUIET = {"span", "font", "abbr", "small", "big", "time", "cite", "q", "ins", "bdi", "label"}
_cleaner = nh3.Cleaner(
    tags={"p", "br", "b", "i", "sup", "sub", "a", "ul", "ol", "li"},
    attributes={"a": {"href", "linktype", "id"}},
    url_schemes={"http", "https", "mailto"},
    link_rel=None,
    strip_comments=True,
)


def rich_text_clean(markup: str) -> str:
    """`markup` reduced to what the body's rich text may hold."""
    return _cleaner.clean(markup)


@dataclass
class InlineContext:
    """What converting inline markup needs, and what it found on the way."""

    old_site: OldSite
    base_url: str
    page_id_for: Callable[[int], int | None]
    warnings: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    linked_posts: list[int] = field(default_factory=list)
    _dropped: set[str] = field(default_factory=set)

    def dropped(self, what: str) -> None:
        if what not in self._dropped:
            self._dropped.add(what)
            self.warnings.append(what)


def link_open(href: str, context: InlineContext) -> str | None:
    """The opening `<a>` for `href`, or None where the link cannot be kept (its text stays)."""
    href = (href or "").strip()
    if not href:
        return None
    post_id = context.old_site.post_for(href)
    if post_id is not None:
        page_id = context.page_id_for(post_id)
        if page_id is not None:
            context.linked_posts.append(post_id)
            return f'<a linktype="page" id="{page_id}">'
    if href.startswith("#"):
        return f'<a href="{escape(href)}">'
    absolute = urljoin(context.base_url + "/", href) if context.old_site.is_local(href) else href
    scheme = absolute.split(":", 1)[0].lower() if ":" in absolute else ""
    if scheme not in ("http", "https", "mailto"):
        context.dropped(f"A link to “{href[:80]}” was not kept (only web and mail links are).")
        return None
    if context.old_site.is_local(href) and post_id is None:
        context.unresolved.append(absolute)
    return f'<a href="{escape(absolute)}">'


def inline_html(node, context: InlineContext) -> str:
    """The stored rich text of `node`'s content (inline only; blocks are the caller's)."""
    parts = []
    for child in node.children if isinstance(node, Tag) else [node]:
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            parts.append(escape(str(child), quote=False))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name.lower()
        if name == "br":
            parts.append("<br/>")
        elif name in _KEPT:
            inner = inline_html(child, context)
            parts.append(f"<{_KEPT[name]}>{inner}</{_KEPT[name]}>" if inner.strip() else inner)
        elif name == "a":
            inner = inline_html(child, context)
            opening = link_open(child.get("href", ""), context)
            parts.append(f"{opening}{inner}</a>" if opening and inner.strip() else inner)
        elif name in ("script", "style", "noscript", "template"):
            context.dropped(f"A <{name}> element was removed: bodies hold no scripts or styles.")
        else:
            if name not in _QUIET:
                context.dropped(f"Formatting <{name}> is not supported: its text is kept.")
            parts.append(inline_html(child, context))
    return "".join(parts)


def plain_text(node) -> str:
    """`node`'s text with whitespace collapsed."""
    text = node.get_text(" ") if isinstance(node, Tag) else str(node)
    return " ".join(text.split())
