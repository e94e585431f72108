"""Article bodies as typed blocks and body_html: shapes, link resolution, sanitising, no queries.

Most tests here have no database access at all, so a query made while rendering would
fail them outright; the TestNoQueries class pins the count with real, saved content.
"""

import json
from html.parser import HTMLParser

import pytest
import wagtail_factories
from wagtail.blocks import StreamValue

from api.content.bodies import (
    RENDERERS,
    BodyContext,
    BodyReferences,
    body_references,
    render_body,
)
from articles.blocks import ArticleBodyBlock
from articles.models import ArticlePage
from tests.factories import ArticlePageFactory

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


class _Markup(HTMLParser):
    """What a browser would make of some HTML: its elements, attributes and visible text."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text_parts: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text_parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.text_parts)

    def attributes(self, tag: str, name: str) -> list[str | None]:
        return [attrs.get(name) for element, attrs in self.elements if element == tag]


def executable_markup(markup: str) -> list[str]:
    """Everything in `markup` that could run script: tags, handlers, script URLs."""
    found = []
    for tag, attrs in _Markup(markup).elements:
        if tag in {"script", "iframe", "object", "embed", "style", "svg", "math", "base", "form"}:
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on") or name in {"style", "srcdoc", "formaction"}:
                found.append(f"{tag}[{name}]")
            if name in {"href", "src", "action", "xlink:href"} and value is not None:
                scheme = "".join(value.split()).split(":", 1)[0].lower() if ":" in value else ""
                if scheme and scheme not in {"http", "https", "mailto"}:
                    found.append(f"{tag}[{name}={value}]")
    return found


def html_values(blocks: list[dict]) -> list[str]:
    return [block["value"]["html"] for block in blocks if "html" in block["value"]]


class TestTypedBlocks:
    def test_blocks_keep_their_order_type_and_id(self):
        blocks, _ = render_body(body(*every_block_type()), CONTEXT)

        assert [b["type"] for b in blocks] == [
            "heading",
            "paragraph",
            "image",
            "quote",
            "embed",
            "callout",
            "list",
            "table",
            "references",
        ]
        assert [b["id"] for b in blocks] == [f"block-{n}" for n in range(9)]

    def test_heading_value_has_text_level_and_a_derived_anchor(self):
        block = only_block(body(heading("Side effects & risks", level="h3")))

        assert block["value"] == {
            "text": "Side effects & risks",
            "level": "h3",
            "anchor": "side-effects-risks",
        }

    def test_heading_keeps_its_stored_anchor(self):
        block = only_block(body(heading("Reworded title", anchor="original-anchor")))

        assert block["value"]["anchor"] == "original-anchor"

    def test_paragraph_value_is_its_public_html(self):
        block = only_block(body(paragraph("<p>Take <b>two</b> a day.</p>")))

        assert block["value"] == {"html": "<p>Take <b>two</b> a day.</p>"}

    def test_image_value_is_the_image_object_with_the_blocks_alt(self):
        block = only_block(body(image(alt="A nurse", caption="Blood test", credit="NHS")))

        assert block["value"] == {
            "image": {**IMAGE, "alt": "A nurse"},
            "caption": "Blood test",
            "credit": "NHS",
        }
        assert IMAGE["alt"] == "The library's own alt text"  # the caller's object is untouched

    def test_quote_value(self):
        block = only_block(body(quote("Sleep is medicine.", "Dr Ada Park")))

        assert block["value"] == {"quote": "Sleep is medicine.", "attribution": "Dr Ada Park"}

    def test_embed_value(self):
        block = only_block(body(embed("https://vimeo.com/123", "A video")))

        assert block["value"] == {"url": "https://vimeo.com/123", "caption": "A video"}

    def test_callout_value(self):
        block = only_block(body(callout("<p>Ask <i>first</i>.</p>", kind="tip", title="Tip")))

        assert block["value"] == {"kind": "tip", "title": "Tip", "html": "<p>Ask <i>first</i>.</p>"}

    def test_list_value(self):
        block = only_block(body(bullet_list("Fever", "Cough", style="ordered")))

        assert block["value"] == {"style": "ordered", "items": ["Fever", "Cough"]}

    def test_table_value_has_string_cells_and_header_flags(self):
        block = only_block(body(table([["Age", "Dose"], ["Adult", None]], choice="both")))

        assert block["value"] == {
            "caption": "Doses by age",
            "header_row": True,
            "header_column": True,
            "rows": [["Age", "Dose"], ["Adult", ""]],
        }

    @pytest.mark.parametrize(
        ("choice", "flags"),
        [
            ("row", (True, False)),
            ("column", (False, True)),
            ("both", (True, True)),
            ("neither", (False, False)),
        ],
    )
    def test_table_header_flags_follow_the_header_choice(self, choice, flags):
        block = only_block(body(table([["a", "b"]], choice=choice)))

        assert (block["value"]["header_row"], block["value"]["header_column"]) == flags

    def test_a_table_stored_before_header_choices_uses_its_flags(self):
        legacy = table(
            [["a"]], choice=None, first_row_is_table_header=False, first_col_is_header=True
        )

        block = only_block(body(legacy))

        assert (block["value"]["header_row"], block["value"]["header_column"]) == (False, True)

    def test_references_value_lists_citations_with_blanks_for_missing_fields(self):
        sparse = {"type": "item", "id": "c2", "value": {"title": "Unpublished data"}}

        block = only_block(body(references(citation(), sparse)))

        assert block["value"] == {
            "heading": "References",
            "citations": [
                {
                    "authors": "Smith J, Jones K",
                    "title": "Sleep and recovery",
                    "source": "BMJ",
                    "year": 2021,
                    "url": "https://doi.org/10.1136/bmj.n1",
                    "doi": "10.1136/bmj.n1",
                    "doi_url": "https://doi.org/10.1136/bmj.n1",
                    "pmid": "",
                    "pubmed_url": None,
                },
                {
                    "authors": "",
                    "title": "Unpublished data",
                    "source": "",
                    "year": None,
                    "url": "",
                    "doi": "",
                    "doi_url": None,
                    "pmid": "",
                    "pubmed_url": None,
                },
            ],
        }

    def test_a_body_built_in_python_renders_like_one_loaded_from_json(self):
        page = ArticlePage(
            body=[
                ("heading", {"text": "Symptoms", "level": "h2", "anchor": ""}),
                ("paragraph", '<p><a linktype="page" id="3">More</a></p>'),
                ("list", {"style": "unordered", "items": ["Fever"]}),
            ]
        )

        blocks, body_html = render_body(page.body, CONTEXT)

        assert [b["value"] for b in blocks] == [
            {"text": "Symptoms", "level": "h2", "anchor": "symptoms"},
            {"html": '<p><a href="https://folio.example.org/a/" rel="noopener">More</a></p>'},
            {"style": "unordered", "items": ["Fever"]},
        ]
        assert body_html.startswith('<h2 id="symptoms">Symptoms</h2>')

    def test_an_empty_body_renders_nothing(self):
        assert render_body(body(), CONTEXT) == ([], "")
        assert render_body(None, CONTEXT) == ([], "")

    def test_every_block_type_of_an_article_body_has_a_renderer(self):
        # Regression guard: a block type added to ArticleBodyBlock without a renderer here
        # would silently vanish from the API.
        assert set(RENDERERS) == set(ArticleBodyBlock().child_blocks)


class TestBodyHtml:
    def test_heading(self):
        _, html = render_body(body(heading("Risks", level="h3", anchor="risks")), CONTEXT)

        assert html == '<h3 id="risks">Risks</h3>'

    def test_image_uses_the_body_rendition(self):
        _, html = render_body(
            body(image(alt="A nurse", caption="Blood test", credit="NHS")), CONTEXT
        )

        assert html == (
            '<figure><img src="https://media.example.org/5/body.jpg" alt="A nurse" width="1200"'
            ' height="800"><figcaption>Blood test <span class="credit">NHS</span></figcaption>'
            "</figure>"
        )

    def test_image_without_a_body_rendition_uses_the_largest(self):
        renditions = {k: v for k, v in IMAGE["renditions"].items() if k != "body"}
        context = BodyContext({}, {}, {5: {**IMAGE, "renditions": renditions}})

        _, html = render_body(body(image()), context)

        assert 'src="https://media.example.org/5/hero.jpg"' in html
        assert "<figcaption>" not in html

    def test_image_without_renditions_keeps_its_block_but_has_no_figure(self):
        context = BodyContext({}, {}, {5: {**IMAGE, "renditions": {}}})

        blocks, html = render_body(body(image()), context)

        assert [b["type"] for b in blocks] == ["image"]
        assert html == ""

    def test_quote(self):
        _, html = render_body(body(quote("Sleep is medicine.", "Dr Ada Park")), CONTEXT)

        assert (
            html
            == "<blockquote><p>Sleep is medicine.</p><footer>— Dr Ada Park</footer></blockquote>"
        )

    def test_quote_without_attribution_has_no_footer(self):
        _, html = render_body(body(quote("Sleep.", "")), CONTEXT)

        assert html == "<blockquote><p>Sleep.</p></blockquote>"

    def test_embed(self):
        _, html = render_body(body(embed("https://vimeo.com/123", "A video")), CONTEXT)

        assert html == (
            '<figure class="embed"><a href="https://vimeo.com/123" rel="noopener">'
            "https://vimeo.com/123</a><figcaption>A video</figcaption></figure>"
        )

    def test_callout(self):
        _, html = render_body(body(callout("<p>Ask.</p>", kind="risks", title="Risks")), CONTEXT)

        assert html == '<aside class="callout callout--risks"><h3>Risks</h3><p>Ask.</p></aside>'

    def test_callout_of_an_unknown_kind_keeps_only_the_generic_class(self):
        _, html = render_body(
            body(callout("<p>Ask.</p>", kind='x" onclick="alert(1)', title="")), CONTEXT
        )

        assert html == '<aside class="callout"><p>Ask.</p></aside>'

    @pytest.mark.parametrize(("style", "tag"), [("ordered", "ol"), ("unordered", "ul")])
    def test_list(self, style, tag):
        _, html = render_body(body(bullet_list("Fever", "Cough", style=style)), CONTEXT)

        assert html == f"<{tag}><li>Fever</li><li>Cough</li></{tag}>"

    def test_table_with_header_row_and_column(self):
        data = [["Age", "Dose"], ["Adult", "2 tablets\nwith food"], ["Child", None]]

        _, html = render_body(body(table(data, choice="both")), CONTEXT)

        assert html == (
            "<table><caption>Doses by age</caption>"
            '<thead><tr><th scope="col">Age</th><th scope="col">Dose</th></tr></thead>'
            '<tbody><tr><th scope="row">Adult</th><td>2 tablets<br>with food</td></tr>'
            '<tr><th scope="row">Child</th><td></td></tr></tbody></table>'
        )

    def test_table_without_headers(self):
        _, html = render_body(body(table([["a", "b"]], choice="neither", caption="")), CONTEXT)

        assert html == "<table><tbody><tr><td>a</td><td>b</td></tr></tbody></table>"

    def test_references(self):
        _, html = render_body(body(references(citation())), CONTEXT)

        assert html == (
            '<section class="references"><h2>References</h2><ol><li>Smith J, Jones K. <cite>'
            '<a href="https://doi.org/10.1136/bmj.n1" rel="noopener">Sleep and recovery</a></cite>.'
            ' <em>BMJ</em> 2021. doi:<a href="https://doi.org/10.1136/bmj.n1" rel="noopener">'
            "10.1136/bmj.n1</a></li></ol></section>"
        )

    def test_body_html_is_the_blocks_in_order(self):
        _, html = render_body(body(heading("One", anchor="one"), paragraph("<p>Two</p>")), CONTEXT)

        assert html == '<h2 id="one">One</h2><p>Two</p>'


class TestInternalLinks:
    def render_paragraph(self, source, context=CONTEXT):
        blocks, body_html = render_body(body(paragraph(source)), context)
        return blocks[0]["value"]["html"], body_html

    def test_a_link_to_a_visible_page_points_at_its_public_url(self):
        html, body_html = self.render_paragraph('<p>See <a linktype="page" id="3">this</a>.</p>')

        expected = '<p>See <a href="https://folio.example.org/a/" rel="noopener">this</a>.</p>'
        assert html == expected
        assert body_html == expected

    def test_a_link_to_a_page_not_in_page_urls_is_unwrapped_keeping_its_text(self):
        html, body_html = self.render_paragraph(
            '<p>See <a linktype="page" id="99">a draft</a>.</p>'
        )

        assert html == "<p>See a draft.</p>"
        assert body_html == "<p>See a draft.</p>"

    def test_an_unwrapped_link_leaves_no_trace_of_the_hidden_page(self):
        html, body_html = self.render_paragraph(
            '<p><a id="99" linktype="page">x</a> <a linktype="page" id="not-a-number">y</a></p>'
        )

        for output in (html, body_html):
            assert "linktype" not in output
            assert "99" not in output
            assert "<a" not in output
            assert "x y" in output

    def test_a_link_to_a_known_document_points_at_its_url(self):
        html, _ = self.render_paragraph('<p><a linktype="document" id="7">Leaflet</a></p>')

        assert (
            html == '<p><a href="https://folio.example.org/d/7.pdf" rel="noopener">Leaflet</a></p>'
        )

    def test_a_link_to_an_unknown_document_is_unwrapped(self):
        html, _ = self.render_paragraph('<p><a linktype="document" id="8">Leaflet</a></p>')

        assert html == "<p>Leaflet</p>"

    def test_a_link_of_an_unknown_linktype_is_unwrapped(self):
        html, _ = self.render_paragraph('<p><a linktype="snippet" id="3">Thing</a></p>')

        assert html == "<p>Thing</p>"

    def test_an_external_link_is_kept_with_rel_noopener(self):
        html, _ = self.render_paragraph('<p><a href="https://nhs.uk/" target="_blank">NHS</a></p>')

        assert html == '<p><a href="https://nhs.uk/" rel="noopener">NHS</a></p>'

    def test_a_mailto_link_is_kept(self):
        html, _ = self.render_paragraph('<p><a href="mailto:desk@folio.example.org">Write</a></p>')

        assert 'href="mailto:desk@folio.example.org"' in html

    def test_embedded_images_in_rich_text_are_dropped(self):
        html, _ = self.render_paragraph(
            '<p>Before</p><embed alt="x" embedtype="image" format="left" id="5"/><p>After</p>'
        )

        assert html == "<p>Before</p><p>After</p>"

    def test_links_inside_callouts_are_resolved_and_unwrapped_too(self):
        source = '<p><a linktype="page" id="3">Shown</a> <a linktype="page" id="4">Hidden</a></p>'

        block = only_block(body(callout(source)))

        assert block["value"]["html"] == (
            '<p><a href="https://folio.example.org/a/" rel="noopener">Shown</a> Hidden</p>'
        )

    def test_entities_in_rich_text_survive(self):
        html, _ = self.render_paragraph("<p>5 &lt; 6 &amp; caf&eacute;</p>")

        assert html == "<p>5 &lt; 6 &amp; café</p>"


PLAIN_TEXT_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><script>alert(1)</script>',
    '<a href="javascript:alert(1)">click</a>',
]

PLAIN_TEXT_FIELDS = {
    "heading text": lambda p: heading(p),
    "quote": lambda p: quote(p, "Someone"),
    "quote attribution": lambda p: quote("Words", p),
    "image caption": lambda p: image(caption=p),
    "image credit": lambda p: image(credit=p),
    "embed caption": lambda p: embed(caption=p),
    "callout title": lambda p: callout(title=p),
    "list item": lambda p: bullet_list("Fine", p),
    "table cell": lambda p: table([["Head", "Head"], ["ok", p]], choice="both"),
    "table caption": lambda p: table([["a"]], caption=p),
    "references heading": lambda p: references(citation(), heading_text=p),
    "citation title": lambda p: references(citation(title=p)),
    "citation authors": lambda p: references(citation(authors=p)),
    "citation source": lambda p: references(citation(source=p)),
    "citation doi": lambda p: references(citation(doi=p)),
}

RICH_TEXT_PAYLOADS = [
    "<p>Hi<script>alert(1)</script></p>",
    "<p><img src=x onerror=alert(1)>Hi</p>",
    '<p><a href="javascript:alert(1)">Hi</a></p>',
    '<p><a href=" JaVaScRiPt:alert(1)">Hi</a></p>',
    '<p><a href="java&#x09;script:alert(1)">Hi</a></p>',
    '<p><a linktype="page" id="3" href="javascript:alert(1)" onclick="alert(1)">Hi</a></p>',
    '<p><a linktype="page" id="99" onmouseover="alert(1)">Hi</a></p>',
    '<p onclick="alert(1)" style="x:expression(alert(1))">Hi</p>',
    '<p>Hi</p><iframe src="javascript:alert(1)"></iframe><svg onload="alert(1)"></svg>',
    '<p>Hi</p><style>*{}</style><object data="javascript:alert(1)"></object>',
    '<p>Hi</p><embed embedtype="image" id="5" src="javascript:alert(1)"/>',
    "<p>H<!-- <script>alert(1)</script> -->i</p>",
]


class TestXss:
    @pytest.mark.parametrize("payload", PLAIN_TEXT_PAYLOADS)
    @pytest.mark.parametrize("field", list(PLAIN_TEXT_FIELDS))
    def test_markup_in_plain_text_fields_is_shown_as_text_never_run(self, field, payload):
        blocks, body_html = render_body(body(PLAIN_TEXT_FIELDS[field](payload)), CONTEXT)

        assert len(blocks) == 1
        assert executable_markup(body_html) == []
        assert "<script" not in body_html
        markup = _Markup(body_html)
        if field == "citation doi":
            # Shown as the link text, and percent-encoded in the doi.org link.
            assert payload in markup.text
            assert all(" " not in href for href in markup.attributes("a", "href"))
        else:
            assert payload in markup.text

    @pytest.mark.parametrize("payload", PLAIN_TEXT_PAYLOADS)
    def test_markup_in_alt_text_stays_inside_the_attribute(self, payload):
        _, body_html = render_body(body(image(alt=payload)), CONTEXT)

        assert executable_markup(body_html) == []
        assert _Markup(body_html).attributes("img", "alt") == [payload]

    @pytest.mark.parametrize("payload", RICH_TEXT_PAYLOADS)
    @pytest.mark.parametrize("make_block", [paragraph, callout], ids=["paragraph", "callout"])
    def test_rich_text_cannot_carry_script(self, make_block, payload):
        blocks, body_html = render_body(body(make_block(payload)), CONTEXT)

        for output in [*html_values(blocks), body_html]:
            assert executable_markup(output) == []
            lowered = output.lower()
            assert "<script" not in lowered
            assert "onerror" not in lowered
            assert "javascript:" not in lowered
            assert "linktype" not in lowered
            assert "Hi" in _Markup(output).text

    @pytest.mark.parametrize(
        "url",
        [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "//evil.example.org/x",
            "",
        ],
    )
    def test_an_embed_without_an_http_url_is_left_out(self, url):
        blocks, body_html = render_body(body(embed(url), paragraph("<p>Next</p>")), CONTEXT)

        assert [b["type"] for b in blocks] == ["paragraph"]
        assert body_html == "<p>Next</p>"
        assert "javascript" not in json.dumps(blocks).lower()

    def test_a_citation_url_that_is_not_http_is_dropped(self):
        blocks, body_html = render_body(
            body(references(citation(url="javascript:alert(1)", doi=""))), CONTEXT
        )

        assert blocks[0]["value"]["citations"][0]["url"] == ""
        assert "javascript" not in body_html
        assert "javascript" not in json.dumps(blocks)
        assert "<cite>Sleep and recovery</cite>" in body_html

    def test_urls_handed_in_by_the_caller_are_held_to_the_allowed_schemes(self):
        bad_image = {
            **IMAGE,
            "renditions": {"body": {"url": "javascript:alert(1)", "width": 1, "height": 1}},
        }
        context = BodyContext(
            page_urls={3: "javascript:alert(1)"},
            document_urls={7: "data:text/html,x"},
            images={5: bad_image},
        )
        stream = body(
            paragraph('<p><a linktype="page" id="3">a</a><a linktype="document" id="7">b</a></p>'),
            image(),
        )

        blocks, body_html = render_body(stream, context)

        for output in [*html_values(blocks), body_html]:
            assert executable_markup(output) == []
            assert "javascript:" not in output
            assert "data:" not in output


class TestBodyReferences:
    def test_finds_links_in_paragraphs_and_callouts_and_images(self):
        stream = body(
            paragraph('<p><a linktype="page" id="3">a</a> <a linktype="document" id="7">b</a></p>'),
            callout('<p><a linktype="page" id="4">c</a><a linktype="document" id="8">d</a></p>'),
            image(image_id=5),
            image(image_id=6),
            heading(),
            table([["<a linktype='page' id='40'>not rich text</a>"]]),
            quote(),
        )

        assert body_references(stream) == BodyReferences(
            page_ids=frozenset({3, 4}),
            document_ids=frozenset({7, 8}),
            image_ids=frozenset({5, 6}),
        )

    def test_ignores_external_links_and_malformed_ids(self):
        stream = body(
            paragraph(
                '<p><a href="https://nhs.uk/">x</a><a linktype="page" id="">y</a>'
                '<a linktype="page">z</a><a linktype="page" id="abc">w</a></p>'
            ),
            image(image_id=None),
        )

        assert body_references(stream) == BodyReferences(frozenset(), frozenset(), frozenset())

    def test_finds_links_in_a_body_built_in_python(self):
        page = ArticlePage(
            body=[
                ("paragraph", '<p><a linktype="page" id="3">a</a></p>'),
                (
                    "callout",
                    {
                        "kind": "note",
                        "title": "",
                        "body": '<p><a linktype="document" id="7">b</a></p>',
                    },
                ),
            ]
        )

        refs = body_references(page.body)

        assert (refs.page_ids, refs.document_ids) == ({3}, {7})

    def test_of_an_empty_body_is_empty(self):
        assert body_references(None) == BodyReferences(frozenset(), frozenset(), frozenset())


class TestMissingImage:
    def test_an_image_missing_from_the_context_is_dropped_from_both_outputs(self):
        stream = body(image(image_id=6, caption="Deleted photo"), paragraph("<p>Text</p>"))

        blocks, body_html = render_body(stream, CONTEXT)

        assert [b["type"] for b in blocks] == ["paragraph"]
        assert body_html == "<p>Text</p>"

    def test_an_image_block_with_no_image_is_dropped(self):
        blocks, body_html = render_body(body(image(image_id=None)), CONTEXT)

        assert (blocks, body_html) == ([], "")


@pytest.mark.django_db
class TestNoQueries:
    def test_rendering_a_body_loaded_from_json_makes_no_queries(self, django_assert_num_queries):
        stream = body(*every_block_type())

        with django_assert_num_queries(0):
            refs = body_references(stream)
            blocks, body_html = render_body(stream, CONTEXT)

        assert refs.image_ids == {5}
        assert len(blocks) == 9
        assert body_html

    def test_rendering_a_saved_article_makes_no_queries(self, journal, django_assert_num_queries):
        photo = wagtail_factories.ImageFactory()
        raw = [
            heading(),
            paragraph('<p><a linktype="page" id="3">a</a></p>'),
            image(image_id=photo.pk, alt="A photo"),
            callout(),
        ]
        saved = ArticlePageFactory(parent=journal, body=json.dumps(raw))
        article = ArticlePage.objects.get(pk=saved.pk)
        context = BodyContext(CONTEXT.page_urls, {}, {photo.pk: {**IMAGE, "id": photo.pk}})

        with django_assert_num_queries(0):
            refs = body_references(article.body)
            blocks, _ = render_body(article.body, context)

        assert refs.image_ids == {photo.pk}
        assert [b["type"] for b in blocks] == ["heading", "paragraph", "image", "callout"]
        assert blocks[2]["value"]["image"]["id"] == photo.pk

    def test_rendering_a_body_holding_image_instances_makes_no_queries(
        self, django_assert_num_queries
    ):
        photo = wagtail_factories.ImageFactory()
        page = ArticlePage(
            body=[("image", {"image": photo, "alt": "A photo", "caption": "", "credit": ""})]
        )
        context = BodyContext({}, {}, {photo.pk: {**IMAGE, "id": photo.pk}})

        with django_assert_num_queries(0):
            refs = body_references(page.body)
            blocks, _ = render_body(page.body, context)

        assert refs.image_ids == {photo.pk}
        assert blocks[0]["value"]["image"]["alt"] == "A photo"
