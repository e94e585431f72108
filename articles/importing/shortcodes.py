"""WordPress markup: shortcodes ([caption], [embed], [gallery]) and wpautop's paragraphs.

The markup they become is read by the body conversion (articles/importing/bodies.py):
`<figure>` with `<figcaption>` for a caption, `<folio-embed url>` and `<folio-gallery ids>`.
A shortcode of any other name is left as the text it is, and named in the warnings.
"""

import html
import re

# A shortcode is `[name attrs]`, optionally closed by `[/name]`. Bracketed words without
# attributes or a closing tag ("[sic]", "[1]") are prose, not shortcodes.
_OPENING = re.compile(r"\[(?P<name>[a-zA-Z][\w-]*)(?P<attrs>(?:\s[^\]]*)?)\]")
_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))""")
_IMAGE_FIRST = re.compile(r"\s*(?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?", re.IGNORECASE)
HANDLED = ("caption", "wp_caption", "embed", "gallery", "youtube", "vimeo")


def shortcode_attributes(text: str) -> dict[str, str]:
    attributes = {}
    for name, double, single, bare in _ATTRIBUTE.findall(text or ""):
        attributes[name.lower()] = html.unescape(double or single or bare)
    return attributes


def _closing(content: str, name: str, start: int) -> tuple[int, int] | None:
    """(start, end) of `[/name]` after `start`, or None."""
    match = re.compile(rf"\[/{re.escape(name)}\]", re.IGNORECASE).search(content, start)
    return (match.start(), match.end()) if match else None


def _caption(attributes: dict[str, str], inner: str) -> str:
    # [caption]<img ...> The caption text[/caption]: the caption is what follows the image.
    caption = attributes.get("caption", "")
    image = _IMAGE_FIRST.match(inner)
    if image is not None:
        caption = caption or inner[image.end() :].strip()
        inner = image.group(0)
    attachment = attributes.get("id", "").removeprefix("attachment_")
    marker = f' data-attachment="{html.escape(attachment)}"' if attachment.isdigit() else ""
    # The caption may carry inline markup (links, emphasis); the body conversion cleans it.
    return f"<figure{marker}>{inner}<figcaption>{caption}</figcaption></figure>"


def expand_shortcodes(content: str, warnings: list[str]) -> str:
    """`content` with the shortcodes Folio understands replaced by markup."""
    out, position = [], 0
    while True:
        match = _OPENING.search(content, position)
        if match is None:
            out.append(content[position:])
            return "".join(out)
        name = match.group("name").lower()
        attributes = shortcode_attributes(match.group("attrs"))
        closing = _closing(content, name, match.end())
        if name not in HANDLED:
            if closing is not None or attributes:
                warnings.append(
                    f"Shortcode [{name}] is not supported: its text is kept as written."
                )
            out.append(content[position : match.end()])
            position = match.end()
            continue
        out.append(content[position : match.start()])
        inner = content[match.end() : closing[0]] if closing else ""
        end = closing[1] if closing else match.end()
        if name in ("caption", "wp_caption"):
            out.append(_caption(attributes, inner))
        elif name == "gallery":
            ids = attributes.get("ids", "")
            out.append(f'<folio-gallery ids="{html.escape(ids)}"></folio-gallery>')
        else:  # embed, youtube, vimeo: the URL is the content or the first bare attribute
            url = inner.strip() or attributes.get("url", "") or attributes.get("src", "")
            if not url:
                url = match.group("attrs").strip().split(" ", 1)[0]
            out.append(f'<folio-embed url="{html.escape(html.unescape(url))}"></folio-embed>')
        position = end


_BLOCK_START = re.compile(
    r"^\s*<(p|h[1-6]|ul|ol|li|table|blockquote|figure|div|iframe|pre|hr|script|style|folio-)",
    re.IGNORECASE,
)


def autop(content: str) -> str:
    """WordPress's wpautop for classic-editor content: text separated by blank lines makes
    paragraphs, a single line break a <br>. Block-editor content (marked by its <!-- wp: -->
    comments) has its paragraphs already."""
    if "<!-- wp:" in content:
        return content
    out = []
    for chunk in re.split(r"\n\s*\n", content):
        if not chunk.strip():
            continue
        if _BLOCK_START.match(chunk):
            out.append(chunk)
        else:
            out.append(f"<p>{chunk.strip().replace(chr(10), '<br/>')}</p>")
    return "\n".join(out)
