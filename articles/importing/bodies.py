"""A post's HTML turned into the article body's typed blocks (articles/blocks.py).

Paragraphs and lists with inline markup become rich text; headings, images with captions,
quotes, plain lists, tables, embeds of known providers and a recognised "References" section
become their own blocks. What has no block (a <pre>, a definition list, an unknown element)
is kept as sanitised rich text and named in the warnings; what cannot be kept at all (a script,
a rule) is named too. Hand-made series navigation is taken out and returned as chain links.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment

from articles.importing.embeds import embed_url
from articles.importing.navigation import NavLink, navigation_links
from articles.importing.references import citation_from, is_references_heading
from articles.importing.rich_text import InlineContext, inline_html, plain_text, rich_text_clean
from articles.importing.shortcodes import autop, expand_shortcodes


@dataclass(frozen=True)
class BodyImage:
    """An image of the body once imported: its id (None in a dry run) and its texts."""

    image_id: int | None
    alt: str
    caption: str = ""


# (src, alt, caption, attachment id) -> the imported image, or None (the warning is the caller's)
ImageFor = Callable[[str, str, str, int | None], BodyImage | None]


@dataclass
class BodyConversion:
    blocks: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    navigation: list[NavLink] = field(default_factory=list)
    unresolved_links: list[str] = field(default_factory=list)
    linked_posts: list[int] = field(default_factory=list)
    citations: list[dict] = field(default_factory=list)
    images: list[int] = field(default_factory=list)


_TRANSPARENT = {
    *("div", "section", "article", "main", "header", "footer", "aside", "nav", "center"),
    *("body", "html", "picture", "span", "font", "figure-wrapper"),
}
_INLINE = {
    *("a", "b", "strong", "i", "em", "u", "s", "del", "ins", "sup", "sub", "small", "big"),
    *("code", "kbd", "mark", "abbr", "cite", "q", "time", "br", "bdi", "label", "var"),
}
_HEADINGS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h3", "h5": "h3", "h6": "h3"}
_REMOVED = {"script", "style", "noscript", "template", "form", "input", "button", "select"}
QUOTE_MAX = 1000
LIST_ITEM_MAX = 500


class _BodyBuilder:
    def __init__(self, inline: InlineContext, image_for: ImageFor, gallery: dict[int, str]):
        self.inline = inline
        self.image_for = image_for
        self.gallery = gallery  # attachment id -> URL, for [gallery ids]
        self.out = BodyConversion(warnings=inline.warnings)
        self.rich: list[str] = []
        self.loose: list = []  # inline nodes outside any block, gathered into a paragraph
        self.references_heading: str | None = None

    # Output

    def block(self, block_type: str, value) -> None:
        self.flush_rich()
        self.out.blocks.append({"type": block_type, "value": value})

    def flush_loose(self) -> None:
        if not self.loose:
            return
        holder = BeautifulSoup("<p></p>", "html.parser").p
        for node in self.loose:
            holder.append(node.extract() if isinstance(node, Tag) else NavigableString(node))
        self.loose = []
        self.paragraph(holder)

    def flush_rich(self) -> None:
        if self.rich:
            markup = rich_text_clean("".join(self.rich))
            if markup.strip():
                self.out.blocks.append({"type": "paragraph", "value": markup})
            self.rich = []

    def kept_as_text(self, node: Tag, why: str) -> None:
        self.inline.warnings.append(why)
        text = inline_html(node, self.inline)
        if text.strip():
            self.rich.append(f"<p>{text}</p>")

    # Walking

    def walk(self, container) -> None:
        for node in list(container.children):
            if isinstance(node, Comment):
                continue
            if isinstance(node, NavigableString):
                if str(node).strip():
                    self.loose.append(str(node))
                elif self.loose:
                    self.loose.append(" ")
                continue
            if not isinstance(node, Tag):
                continue
            name = node.name.lower()
            if name in _INLINE and not node.find(["img", "iframe"]):
                self.loose.append(node)
                continue
            self.flush_loose()
            self.element(node, name)
        self.flush_loose()

    def element(self, node: Tag, name: str) -> None:
        if name == "p":
            self.paragraph(node)
        elif name in _HEADINGS:
            self.heading(node, name)
        elif name in ("ul", "ol"):
            self.listing(node, name)
        elif name == "blockquote":
            self.quote(node)
        elif name == "table":
            self.table(node)
        elif name == "figure":
            self.figure(node)
        elif name == "img":
            self.image(node, caption="")
        elif name in ("iframe", "folio-embed", "embed", "video", "audio", "object"):
            self.embed(node)
        elif name == "folio-gallery":
            self.gallery_images(node)
        elif name == "hr":
            self.inline.dropped("A horizontal rule (<hr>) was dropped: bodies have no rules.")
        elif name in _REMOVED:
            self.inline.dropped(f"A <{name}> element was removed: bodies hold no {name}s.")
        elif name in _TRANSPARENT or name in _INLINE:
            self.walk(node)
        elif name == "pre":
            lines = escape(node.get_text()).strip().split("\n")
            self.inline.warnings.append("Preformatted text (<pre>) is kept as a paragraph.")
            self.rich.append(f"<p>{'<br/>'.join(lines)}</p>")
        else:
            self.kept_as_text(node, f"<{name}> has no block: its text is kept as a paragraph.")

    def paragraph(self, node: Tag) -> None:
        # An image inside a paragraph (WordPress's classic editor) becomes a block of its own.
        if node.find(["img", "iframe", "folio-embed"]):
            self.split_paragraph(node)
            return
        text = plain_text(node)
        if not text:
            return
        if is_references_heading(node):
            self.flush_rich()
            self.references_heading = text.rstrip(":")
            return
        steps = navigation_links(node, self.inline.old_site)
        if steps is not None:
            self.out.navigation.extend(steps)
            return
        if self.references_heading and (citation := citation_from(node, self.inline)):
            self.out.citations.append(citation)
            self.add_references([citation])
            return
        self.rich.append(f"<p>{inline_html(node, self.inline)}</p>")

    def split_paragraph(self, node: Tag) -> None:
        holder = BeautifulSoup("<p></p>", "html.parser").p
        for child in list(node.children):
            media = child if isinstance(child, Tag) and child.name in ("img", "iframe") else None
            if isinstance(child, Tag) and media is None:
                media = child.find(["img", "iframe", "folio-embed"])
            if media is None:
                holder.append(child.extract())
                continue
            self.paragraph(holder)
            holder = BeautifulSoup("<p></p>", "html.parser").p
            if media.name == "img":
                self.image(media, caption="")
            else:
                self.embed(media)
            # Text beside the image inside its link (rare) is kept after it.
            if child is not media and plain_text(child):
                media.extract()
                holder.append(child.extract())
        self.paragraph(holder)

    def heading(self, node: Tag, name: str) -> None:
        text = plain_text(node)
        if not text:
            return
        if is_references_heading(node):
            self.flush_rich()
            self.references_heading = text.rstrip(":")
            return
        self.references_heading = None
        if len(text) > 200:
            self.inline.warnings.append(
                f"A heading over 200 characters became a paragraph: {text[:60]}…"
            )
            self.rich.append(f"<p><b>{escape(text)}</b></p>")
            return
        self.block("heading", {"text": text, "level": _HEADINGS[name], "anchor": ""})

    def listing(self, node: Tag, name: str) -> None:
        items = node.find_all("li", recursive=False)
        steps = navigation_links(node, self.inline.old_site) if node.find("a") else None
        if steps is not None and items:
            self.out.navigation.extend(steps)
            return
        if self.references_heading:
            citations = [c for item in items if (c := citation_from(item, self.inline))]
            if citations:
                self.out.citations.extend(citations)
                self.add_references(citations)
                return
        plain = all(
            not item.find(["a", "b", "strong", "i", "em", "ul", "ol", "sup", "sub"])
            and len(plain_text(item)) <= LIST_ITEM_MAX
            for item in items
        )
        if items and plain:
            style = "ordered" if name == "ol" else "unordered"
            texts = [text for item in items if (text := plain_text(item))]
            if texts:
                self.block("list", {"style": style, "items": texts})
            return
        self.rich.append(_rich_list(node, name, self.inline))

    def add_references(self, citations: list[dict]) -> None:
        last = self.out.blocks[-1] if self.out.blocks and not self.rich else None
        if last is not None and last["type"] == "references":
            last["value"]["citations"].extend(citations)
            return
        if any(block["type"] == "references" for block in self.out.blocks):
            self.inline.warnings.append(
                "A second references section was kept as a list: a body has one."
            )
            self.rich.append(
                "<ul>" + "".join(f"<li>{escape(c['title'])}</li>" for c in citations) + "</ul>"
            )
            return
        self.block(
            "references",
            {"heading": self.references_heading or "References", "citations": list(citations)},
        )

    def quote(self, node: Tag) -> None:
        attribution_node = node.find(["cite", "footer"])
        attribution = plain_text(attribution_node) if attribution_node else ""
        if attribution_node:
            attribution_node.extract()
        text = "\n\n".join(
            plain_text(part) for part in node.find_all("p") if plain_text(part)
        ) or plain_text(node)
        if not text:
            return
        attribution = attribution.lstrip("\u2014\u2013- ").strip()
        if len(text) > QUOTE_MAX or len(attribution) > 200:
            self.inline.warnings.append("A quotation over 1,000 characters was kept as paragraphs.")
            self.rich.append(f"<p>{inline_html(node, self.inline)}</p>")
            return
        self.block("quote", {"quote": text, "attribution": attribution})

    def table(self, node: Tag, caption: str = "") -> None:
        rows = []
        for row in node.find_all("tr"):
            rows.append([plain_text(cell) for cell in row.find_all(["th", "td"])])
        if not rows:
            return
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        first = node.find("tr")
        header = bool(first and first.find("th") and not first.find("td"))
        caption_node = node.find("caption")
        caption = caption or (plain_text(caption_node) if caption_node else "")
        self.block(
            "table",
            {
                "data": rows,
                "first_row_is_table_header": header,
                "first_col_is_header": False,
                "table_caption": caption,
            },
        )

    def figure(self, node: Tag) -> None:
        figcaption = node.find("figcaption")
        caption = plain_text(figcaption) if figcaption else ""
        if figcaption:
            figcaption.extract()
        attachment = node.get("data-attachment")
        image = node.find("img")
        if image is not None:
            self.image(image, caption=caption, attachment=int(attachment) if attachment else None)
            return
        if node.find("table"):
            self.table(node.find("table"), caption)
            return
        if node.find(["iframe", "folio-embed"]) or "wp-block-embed" in " ".join(
            node.get("class", [])
        ):
            self.embed(node.find(["iframe", "folio-embed"]) or node, caption=caption)
            return
        self.walk(node)

    def image(self, node: Tag, *, caption: str, attachment: int | None = None) -> None:
        src = node.get("src") or node.get("data-src") or node.get("data-image") or ""
        if attachment is None:
            match = re.search(r"wp-image-(\d+)", " ".join(node.get("class", [])))
            attachment = int(match.group(1)) if match else None
        alt = (node.get("alt") or "").strip()
        imported = self.image_for(src, alt, caption, attachment)
        if imported is None:
            # Kept as a link to where the image was, so nothing the post showed is lost.
            if src:
                label = escape(alt or caption or "Image")
                self.rich.append(f'<p><a href="{escape(src)}">{label}</a></p>')
            return
        if imported.image_id is not None:
            self.out.images.append(imported.image_id)
        self.block(
            "image",
            {
                "image": imported.image_id,
                "alt": imported.alt[:250],
                "caption": (caption or imported.caption)[:400],
                "credit": "",
            },
        )

    def gallery_images(self, node: Tag) -> None:
        for value in (node.get("ids") or "").split(","):
            value = value.strip()
            if value.isdigit() and int(value) in self.gallery:
                self.image_for_gallery(int(value))
            elif value:
                self.inline.warnings.append(f"Gallery image {value} is not in the export.")

    def image_for_gallery(self, attachment: int) -> None:
        holder = BeautifulSoup(f'<img src="{escape(self.gallery[attachment])}"/>', "html.parser")
        self.image(holder.img, caption="", attachment=attachment)

    def embed(self, node: Tag, caption: str = "") -> None:
        source = node.get("url") or node.get("src") or node.get("data") or ""
        if not source and node.name == "figure":
            source = plain_text(node)
        if not source:
            inner = node.find("source")
            source = inner.get("src", "") if inner else ""
        url = embed_url(source)
        if url is None:
            if source:
                self.inline.warnings.append(
                    f"An embed from {source[:80]} is not from a known provider: kept as a link."
                )
                self.rich.append(f'<p><a href="{escape(source)}">{escape(source)}</a></p>')
            return
        self.block("embed", {"embed": url, "caption": caption[:400]})


def _rich_list(node: Tag, name: str, inline: InlineContext) -> str:
    items = []
    for item in node.find_all("li", recursive=False):
        nested = [child.extract() for child in item.find_all(["ul", "ol"], recursive=False)]
        text = inline_html(item, inline)
        for sub in nested:
            inline.dropped("A nested list was flattened into its parent's item.")
            text += " " + " ".join(inline_html(li, inline) for li in sub.find_all("li"))
        items.append(f"<li>{text}</li>")
    return f"<{name}>{''.join(items)}</{name}>"


def body_convert(
    content: str, *, inline: InlineContext, image_for: ImageFor, gallery: dict[int, str]
) -> BodyConversion:
    """The blocks of `content` (a post's HTML), with what was found on the way."""
    content = autop(expand_shortcodes(content or "", inline.warnings))
    soup = BeautifulSoup(content, "html.parser")
    builder = _BodyBuilder(inline, image_for, gallery)
    builder.walk(soup)
    builder.flush_rich()
    result = builder.out
    result.unresolved_links = list(dict.fromkeys(inline.unresolved))
    result.linked_posts = list(dict.fromkeys(inline.linked_posts))
    return result
