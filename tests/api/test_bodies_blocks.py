"""Article bodies as typed blocks: each block type's shape in the API."""

import pytest

from api.content.bodies import RENDERERS, render_body
from articles.blocks import ArticleBodyBlock
from articles.models import ArticlePage
from tests.api.body_support import (
    CONTEXT,
    IMAGE,
    body,
    bullet_list,
    callout,
    citation,
    embed,
    every_block_type,
    heading,
    image,
    only_block,
    paragraph,
    quote,
    references,
    table,
)


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
