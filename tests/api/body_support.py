"""Article body test support: bodies of every block type, built as Wagtail loads them."""

from wagtail.blocks import StreamValue

from api.content.bodies import BodyContext, render_body
from articles.blocks import ArticleBodyBlock

IMAGE = {
    "id": 5,
    "alt": "The library's own alt text",
    "width": 2400,
    "height": 1600,
    "renditions": {
        "thumbnail": {"url": "https://media.example.org/5/thumb.jpg", "width": 320, "height": 213},
        "body": {"url": "https://media.example.org/5/body.jpg", "width": 1200, "height": 800},
        "hero": {"url": "https://media.example.org/5/hero.jpg", "width": 2400, "height": 1600},
    },
}
CONTEXT = BodyContext(
    page_urls={3: "https://folio.example.org/a/"},
    document_urls={7: "https://folio.example.org/d/7.pdf"},
    images={5: IMAGE},
)


def body(*blocks: dict) -> StreamValue:
    """A body as Wagtail loads it from the database: lazy, from raw JSON."""
    return ArticleBodyBlock().to_python(
        [{"id": f"block-{n}", **block} for n, block in enumerate(blocks)]
    )


def heading(text="Symptoms", level="h2", anchor=""):
    return {"type": "heading", "value": {"text": text, "level": level, "anchor": anchor}}


def paragraph(source):
    return {"type": "paragraph", "value": source}


def image(image_id=5, alt="A nurse takes a blood sample", caption="", credit=""):
    return {
        "type": "image",
        "value": {"image": image_id, "alt": alt, "caption": caption, "credit": credit},
    }


def quote(text="Sleep is medicine.", attribution="Dr Ada Park"):
    return {"type": "quote", "value": {"quote": text, "attribution": attribution}}


def embed(url="https://www.youtube.com/watch?v=abc123", caption="How to use an inhaler"):
    return {"type": "embed", "value": {"embed": url, "caption": caption}}


def callout(source="<p>Ask your GP.</p>", kind="warning", title="Side effects"):
    return {"type": "callout", "value": {"kind": kind, "title": title, "body": source}}


def bullet_list(*items, style="unordered"):
    return {
        "type": "list",
        "value": {
            "style": style,
            "items": [{"type": "item", "id": f"i{n}", "value": v} for n, v in enumerate(items)],
        },
    }


def table(data, choice="row", caption="Doses by age", **legacy):
    value = {"data": data, "table_caption": caption, **legacy}
    if choice is not None:
        value["table_header_choice"] = choice
        value.setdefault("first_row_is_table_header", choice in ("row", "both"))
        value.setdefault("first_col_is_header", choice in ("column", "both"))
    return {"type": "table", "value": value}


def citation(**fields):
    value = {
        "authors": "Smith J, Jones K",
        "title": "Sleep and recovery",
        "source": "BMJ",
        "year": 2021,
        "url": "https://doi.org/10.1136/bmj.n1",
        "doi": "10.1136/bmj.n1",
        **fields,
    }
    return {"type": "item", "id": "c", "value": value}


def references(*citations, heading_text="References"):
    return {"type": "references", "value": {"heading": heading_text, "citations": citations}}


def every_block_type() -> list[dict]:
    return [
        heading(),
        paragraph('<p>See <a linktype="page" id="3">this</a>.</p>'),
        image(caption="Blood test", credit="Photo: NHS"),
        quote(),
        embed(),
        callout('<p>Read <a linktype="document" id="7">the leaflet</a>.</p>'),
        bullet_list("Fever", "Cough"),
        table([["Age", "Dose"], ["Adult", "2 tablets"]]),
        references(citation()),
    ]


def only_block(stream, context=CONTEXT) -> dict:
    blocks, _ = render_body(stream, context)
    assert len(blocks) == 1
    return blocks[0]
