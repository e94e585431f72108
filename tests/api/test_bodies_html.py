"""Article bodies as body_html: each block type's markup, and images missing from it."""

import pytest

from api.content.bodies import BodyContext, render_body
from tests.api.body_support import (
    CONTEXT,
    IMAGE,
    body,
    bullet_list,
    callout,
    citation,
    embed,
    heading,
    image,
    paragraph,
    quote,
    references,
    table,
)


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


class TestMissingImage:
    def test_an_image_missing_from_the_context_is_dropped_from_both_outputs(self):
        stream = body(image(image_id=6, caption="Deleted photo"), paragraph("<p>Text</p>"))

        blocks, body_html = render_body(stream, CONTEXT)

        assert [b["type"] for b in blocks] == ["paragraph"]
        assert body_html == "<p>Text</p>"

    def test_an_image_block_with_no_image_is_dropped(self):
        blocks, body_html = render_body(body(image(image_id=None)), CONTEXT)

        assert (blocks, body_html) == ([], "")
