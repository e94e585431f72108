"""Links in article bodies: resolved or unwrapped, and the references a body holds."""

from api.content.bodies import BodyReferences, body_references, render_body
from articles.models import ArticlePage
from tests.api.body_support import (
    CONTEXT,
    body,
    callout,
    heading,
    image,
    only_block,
    paragraph,
    quote,
    table,
)


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
