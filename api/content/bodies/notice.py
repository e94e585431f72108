"""The retraction notice a retracted article's detail carries in place of its body."""

from django.utils.html import format_html, format_html_join

from api.content.bodies.sanitising import sanitise_html

NOTICE_BLOCK_ID = "retraction-notice"
NOTICE_TITLE = "This article has been retracted"


def retraction_notice(*, at, reason: str) -> tuple[list[dict], str]:
    """(typed blocks, body_html): one `callout` of kind `warning`, so that clients built for
    the body's block types show it without knowing of retractions."""
    paragraphs = [line.strip() for line in reason.splitlines() if line.strip()]
    html = format_html(
        "<p>Retracted on {}.</p>{}",
        f"{at:%-d %B %Y}",
        format_html_join("", "<p>{}</p>", ((p,) for p in paragraphs)),
    )
    block = {
        "type": "callout",
        "id": NOTICE_BLOCK_ID,
        "value": {"kind": "warning", "title": NOTICE_TITLE, "html": str(html)},
    }
    fragment = format_html(
        '<aside class="callout callout--warning"><h3>{}</h3>{}</aside>', NOTICE_TITLE, html
    )
    return [block], sanitise_html(fragment)
