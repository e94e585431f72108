"""The body's stream as the API's typed blocks and their HTML, from already-loaded data only."""

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from wagtail.blocks import Block, BoundBlock
from wagtail.rich_text import RichText

from api.content.bodies.rich_text import (
    BodyContext,
    BodyReferences,
    _as_int,
    rich_text_html,
    rich_text_references,
)
from api.content.bodies.sanitising import _sanitised, _web_url, sanitise_html
from articles.citations import doi_url, normalise_doi, normalise_pmid, pubmed_url

# Blocks whose stored value holds a model id: read from the raw JSON, since converting them
# to Python values (StreamValue.__getitem__) would fetch the model instances.
_RAW_BLOCK_TYPES = frozenset({"image"})
_HEADING_LEVELS = ("h2", "h3")
_TABLE_HEADER_CHOICES = {
    "row": (True, False),
    "column": (False, True),
    "col": (False, True),  # what TableBlock.to_python writes for old first-column tables
    "both": (True, True),
    "neither": (False, False),
}
_LINE_BREAK = mark_safe("<br>")


@dataclass(frozen=True)
class _Child:
    type: str
    id: str | None
    block: Block
    value: Any  # the Python value, or the raw JSON value for _RAW_BLOCK_TYPES


def body_references(body) -> BodyReferences:
    """Every page, document and image id a body refers to.

    Walks all blocks, including rich text inside callouts and struct blocks.
    """
    page_ids: set[int] = set()
    document_ids: set[int] = set()
    image_ids: set[int] = set()
    for child in _children(body):
        if child.type in _RAW_BLOCK_TYPES:
            if (image_id := _as_int(child.value.get("image"))) is not None:
                image_ids.add(image_id)
            continue
        for source in _rich_text_sources(child.value):
            pages, documents = rich_text_references(source)
            page_ids |= pages
            document_ids |= documents
    return BodyReferences(frozenset(page_ids), frozenset(document_ids), frozenset(image_ids))


def render_body(body, context: BodyContext) -> tuple[list[dict], str]:
    """(typed blocks, body_html).

    A block that cannot be shown safely (an image missing from `context.images`, an embed
    without an http(s) URL) is left out of both.
    """
    blocks: list[dict] = []
    fragments: list[str] = []
    for child in _children(body):
        renderer = RENDERERS.get(child.type)
        rendered = renderer(child, context) if renderer else None
        if rendered is None:
            continue
        value, fragment = rendered
        blocks.append({"type": child.type, "id": child.id, "value": value})
        fragments.append(fragment)
    return blocks, sanitise_html("".join(fragments))


# Walking the stream


def _children(body) -> Iterator[_Child]:
    if not body:
        return
    raw_data = body.raw_data
    for index in range(len(body)):
        raw = raw_data[index]
        if raw["type"] in _RAW_BLOCK_TYPES:
            block = body.stream_block.child_blocks[raw["type"]]
            yield _Child(raw["type"], raw.get("id"), block, raw.get("value") or {})
        else:
            bound = body[index]
            yield _Child(bound.block_type, bound.id, bound.block, bound.value)


def _rich_text_sources(value) -> Iterator[str]:
    if isinstance(value, RichText):
        yield value.source
    elif isinstance(value, BoundBlock):
        yield from _rich_text_sources(value.value)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _rich_text_sources(item)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        for item in value:
            yield from _rich_text_sources(item)


# One renderer per block type: (API value, HTML fragment), or None to leave the block out.


def _heading(child: _Child, context: BodyContext):
    value = child.block.get_api_representation(child.value)
    level = value["level"] if value["level"] in _HEADING_LEVELS else _HEADING_LEVELS[0]
    value = {**value, "text": value["text"] or "", "level": level}
    fragment = format_html('<{0} id="{1}">{2}</{0}>', level, value["anchor"], value["text"])
    return value, fragment


def _paragraph(child: _Child, context: BodyContext):
    public_html = rich_text_html(_source(child.value), context)
    return {"html": public_html}, public_html


def _image(child: _Child, context: BodyContext):
    raw = child.value
    image = context.images.get(_as_int(raw.get("image")))
    if image is None:
        return None
    alt, caption, credit = (raw.get(name) or "" for name in ("alt", "caption", "credit"))
    value = {"image": {**image, "alt": alt}, "caption": caption, "credit": credit}
    rendition = _body_rendition(image.get("renditions") or {})
    if rendition is None:
        return value, ""
    size = format_html_join(
        "",
        ' {}="{}"',
        ((name, rendition[name]) for name in ("width", "height") if rendition.get(name)),
    )
    figcaption = ""
    if caption or credit:
        credit_html = format_html('<span class="credit">{}</span>', credit) if credit else ""
        figcaption = format_html(
            "<figcaption>{}{}{}</figcaption>",
            caption,
            " " if caption and credit else "",
            credit_html,
        )
    fragment = format_html(
        '<figure><img src="{}" alt="{}"{}>{}</figure>', rendition["url"], alt, size, figcaption
    )
    return value, fragment


def _quote(child: _Child, context: BodyContext):
    quote_text = child.value.get("quote") or ""
    attribution = child.value.get("attribution") or ""
    footer = format_html("<footer>— {}</footer>", attribution) if attribution else ""
    fragment = format_html("<blockquote><p>{}</p>{}</blockquote>", quote_text, footer)
    return {"quote": quote_text, "attribution": attribution}, fragment


def _embed(child: _Child, context: BodyContext):
    value = child.block.get_api_representation(child.value)
    url = _web_url(value["url"])
    if url is None:
        return None
    caption = value.get("caption") or ""
    figcaption = format_html("<figcaption>{}</figcaption>", caption) if caption else ""
    fragment = format_html(
        '<figure class="embed"><a href="{0}">{0}</a>{1}</figure>', url, figcaption
    )
    return {"url": url, "caption": caption}, fragment


def _callout(child: _Child, context: BodyContext):
    kind = child.value.get("kind") or "note"
    title = child.value.get("title") or ""
    public_html = rich_text_html(_source(child.value.get("body")), context)
    heading = format_html("<h3>{}</h3>", title) if title else ""
    fragment = format_html(
        '<aside class="callout callout--{}">{}{}</aside>', kind, heading, _sanitised(public_html)
    )
    return {"kind": kind, "title": title, "html": public_html}, fragment


def _list(child: _Child, context: BodyContext):
    style = "ordered" if child.value.get("style") == "ordered" else "unordered"
    items = ["" if item is None else str(item) for item in child.value.get("items") or []]
    tag = "ol" if style == "ordered" else "ul"
    fragment = format_html(
        "<{0}>{1}</{0}>", tag, format_html_join("", "<li>{}</li>", ((item,) for item in items))
    )
    return {"style": style, "items": items}, fragment


def _table(child: _Child, context: BodyContext):
    table = child.value or {}
    rows = [
        ["" if cell is None else str(cell) for cell in row]
        for row in table.get("data") or []
        if isinstance(row, list)
    ]
    header_row, header_column = _table_headers(table)
    caption = table.get("table_caption") or ""
    value = {
        "caption": caption,
        "header_row": header_row,
        "header_column": header_column,
        "rows": rows,
    }
    head_rows, body_rows = (rows[:1], rows[1:]) if header_row else ([], rows)
    thead = format_html_join(
        "", "<thead><tr>{}</tr></thead>", ((_cells(row, scope="col"),) for row in head_rows)
    )
    tbody = format_html_join(
        "",
        "<tr>{}</tr>",
        ((_cells(row, scope="row" if header_column else None),) for row in body_rows),
    )
    fragment = format_html(
        "<table>{}{}<tbody>{}</tbody></table>",
        format_html("<caption>{}</caption>", caption) if caption else "",
        thead,
        tbody,
    )
    return value, fragment


def _references(child: _Child, context: BodyContext):
    heading = child.value.get("heading") or ""
    citations = [_citation(citation) for citation in child.value.get("citations") or []]
    fragment = format_html(
        '<section class="references">{}<ol>{}</ol></section>',
        format_html("<h2>{}</h2>", heading) if heading else "",
        format_html_join("", "<li>{}</li>", ((_citation_html(c),) for c in citations)),
    )
    return {"heading": heading, "citations": citations}, fragment


RENDERERS: Mapping[str, Callable[[_Child, BodyContext], tuple[dict, str] | None]] = {
    "heading": _heading,
    "paragraph": _paragraph,
    "image": _image,
    "quote": _quote,
    "embed": _embed,
    "callout": _callout,
    "list": _list,
    "table": _table,
    "references": _references,
}


# Helpers


def _source(value) -> str:
    if isinstance(value, RichText):
        return value.source
    return value if isinstance(value, str) else ""


def _body_rendition(renditions: Mapping[str, dict]) -> dict | None:
    """The rendition named "body", else the widest one with a URL, else None."""
    usable = {name: r for name, r in renditions.items() if isinstance(r, dict) and r.get("url")}
    if "body" in usable:
        return usable["body"]
    return max(
        usable.values(),
        key=lambda r: (_as_int(r.get("width")) or 0, _as_int(r.get("height")) or 0),
        default=None,
    )


def _table_headers(table: Mapping) -> tuple[bool, bool]:
    choice = table.get("table_header_choice")
    if choice in _TABLE_HEADER_CHOICES:
        return _TABLE_HEADER_CHOICES[choice]
    return bool(table.get("first_row_is_table_header")), bool(table.get("first_col_is_header"))


def _cells(row: list[str], *, scope: str | None) -> SafeString:
    """A row's cells; with `scope` "col" all are headers, with "row" the first one is."""
    cells = []
    for index, cell in enumerate(row):
        text = format_html_join(_LINE_BREAK, "{}", ((line,) for line in cell.split("\n")))
        if scope == "col" or (scope == "row" and index == 0):
            cells.append(format_html('<th scope="{}">{}</th>', scope, text))
        else:
            cells.append(format_html("<td>{}</td>", text))
    return format_html_join("", "{}", ((cell,) for cell in cells))


def _citation(citation) -> dict:
    doi = _identifier(citation.get("doi"), normalise_doi)
    pmid = _identifier(citation.get("pmid"), normalise_pmid)
    return {
        "authors": citation.get("authors") or "",
        "title": citation.get("title") or "",
        "source": citation.get("source") or "",
        "year": _as_int(citation.get("year")),
        "url": _web_url(citation.get("url")) or "",
        "doi": citation.get("doi") or "",
        "doi_url": doi_url(doi) if doi else None,
        "pmid": citation.get("pmid") or "",
        "pubmed_url": pubmed_url(pmid) if pmid else None,
    }


def _identifier(raw, normalise) -> str | None:
    """A DOI or PMID in its one form; None when absent or (saved before checks) malformed."""
    if not raw or not str(raw).strip():
        return None
    try:
        return normalise(str(raw))
    except ValidationError:
        return None


def _citation_html(citation: dict) -> SafeString:
    """Authors. Title. <em>Source</em> year. doi:… — as the site's references template."""
    title = citation["title"]
    if citation["url"]:
        title = format_html('<a href="{}">{}</a>', citation["url"], title)
    parts = [format_html("{}. ", citation["authors"]) if citation["authors"] else ""]
    parts.append(format_html("<cite>{}</cite>.", title))
    if citation["source"]:
        parts.append(format_html(" <em>{}</em>", citation["source"]))
    if citation["year"] is not None:
        parts.append(format_html(" {}", citation["year"]))
    if citation["source"] or citation["year"] is not None:
        parts.append(".")
    if citation["doi_url"]:
        parts.append(format_html(' doi:<a href="{}">{}</a>', citation["doi_url"], citation["doi"]))
    elif citation["doi"]:
        parts.append(format_html(" doi:{}", citation["doi"]))
    if citation["pubmed_url"]:
        parts.append(
            format_html(' PMID:<a href="{}">{}</a>', citation["pubmed_url"], citation["pmid"])
        )
    return format_html_join("", "{}", ((part,) for part in parts))
