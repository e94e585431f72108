"""Article bodies are sanitised: no markup from any field can run script."""

import json
from html.parser import HTMLParser

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
