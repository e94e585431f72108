"""The API's HTML allowlist: tags, attributes, classes and URL schemes, enforced by nh3."""

from collections.abc import Mapping
from urllib.parse import urlsplit

import nh3
from django.utils.safestring import SafeString, mark_safe

from articles.blocks import CalloutBlock

ALLOWED_TAGS = frozenset(
    {
        *("p", "br", "b", "strong", "i", "em", "sup", "sub", "ul", "ol", "li", "a"),
        *("h2", "h3", "h4", "blockquote", "figure", "figcaption", "img"),
        *("table", "caption", "thead", "tbody", "tr", "th", "td"),
        *("aside", "section", "cite", "span"),
        "footer",  # a quote's attribution
    }
)
# `rel` on links is not listed: nh3 sets it (link_rel) and refuses to also accept it as input.
ALLOWED_ATTRIBUTES: Mapping[str, frozenset[str]] = {
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "th": frozenset({"colspan", "rowspan", "scope"}),
    "td": frozenset({"colspan", "rowspan", "scope"}),
    "h2": frozenset({"id"}),
    "h3": frozenset({"id"}),
}
# `class` is allowed only with these values, on the elements this module itself writes.
ALLOWED_CLASSES: Mapping[str, frozenset[str]] = {
    "aside": frozenset({"callout", *(f"callout--{kind}" for kind, _ in CalloutBlock.KINDS)}),
    "figure": frozenset({"embed"}),
    "section": frozenset({"references"}),
    "span": frozenset({"credit"}),
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener"

_sanitiser = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    allowed_classes={tag: set(names) for tag, names in ALLOWED_CLASSES.items()},
    url_schemes=set(ALLOWED_URL_SCHEMES),
    link_rel=LINK_REL,
    strip_comments=True,
)


def sanitise_html(markup: str) -> str:
    """`markup` reduced to the API's HTML allowlist (tags, attributes, URL schemes)."""
    return _sanitiser.clean(markup)


def _sanitised(markup: str) -> SafeString:
    """Mark output of the nh3 sanitiser as safe to embed in a format_html fragment."""
    return mark_safe(sanitise_html(markup))  # noqa: S308 (sanitised just now)


def _web_url(url) -> str | None:
    """`url` if it is an absolute http(s) URL, else None."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return parts.geturl()
