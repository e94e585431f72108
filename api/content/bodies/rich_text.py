"""Wagtail's stored rich text as public HTML: internal links resolved from loaded maps or unwrapped.

Wagtail's own rewriters do the work (`LinkRewriter` with a bulk rule per link type, fed from
the maps the loaders built, so no query is made here; `EmbedRewriter` with no rules, which
drops every embed). nh3 then has the last word on every tag, attribute and URL. The rewriters
find only tags written as Wagtail's editor writes them (`<a ... linktype="page" id="3">`,
double-quoted): anything else is left to nh3, which strips `linktype` and `id`, so an odd
spelling can lose a link but never show a hidden page's URL.
"""

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

from wagtail.rich_text.rewriters import EmbedRewriter, LinkRewriter, MultiRuleRewriter

from api.content.bodies.sanitising import sanitise_html

# A link whose target has no public URL is unwrapped, its text kept: its opening tag becomes
# this marker, which takes the link's closing tag with it (links never nest in HTML, so the next
# </a> is the link's own).
_UNWRAP = '<a data-folio-unwrap="">'
_UNWRAPPED = re.compile(r'<a data-folio-unwrap="">(.*?)</a>', re.DOTALL)


@dataclass(frozen=True)
class BodyReferences:
    """The ids a body refers to, for the caller to load (and check visibility of) in bulk."""

    page_ids: frozenset[int]
    document_ids: frozenset[int]
    image_ids: frozenset[int]


@dataclass(frozen=True)
class BodyContext:
    """Everything rendering needs, already loaded: only visible pages may be in `page_urls`."""

    page_urls: Mapping[int, str]
    document_urls: Mapping[int, str]
    images: Mapping[int, dict]


def rich_text_html(source: str, context: BodyContext) -> str:
    """Wagtail's stored rich text as public HTML: links resolved or unwrapped, then sanitised."""
    if not _has_wagtail_tags(source):
        return sanitise_html(source or "")  # nothing to resolve: spare the rewriting
    urls = {"page": context.page_urls, "document": context.document_urls}
    rewrite = MultiRuleRewriter(
        [
            LinkRewriter(
                bulk_rules=_LinkRules(
                    (linktype, _opening_tags(linktype_urls))
                    for linktype, linktype_urls in urls.items()
                )
            ),
            # No rules: Wagtail drops every <embed embedtype> (images are their own blocks).
            EmbedRewriter(),
        ]
    )
    return sanitise_html(_UNWRAPPED.sub(r"\1", rewrite(source)))


def rich_text_references(source: str) -> tuple[set[int], set[int]]:
    """The page and document ids the links of stored rich text name, for loading in bulk."""
    if not _has_wagtail_tags(source):
        return set(), set()
    ids: dict[str, set[int]] = {"page": set(), "document": set()}
    for linktype, matches in LinkRewriter().extract_tags(source).items():
        if linktype in ids:
            ids[linktype].update(
                target
                for match in matches
                if (target := _as_int(match.attrs.get("id"))) is not None
            )
    return ids["page"], ids["document"]


class _LinkRules(dict):
    """The bulk link rules by link type; a type without one (a snippet link, say) is unwrapped.

    Wagtail would write a bare `<a>` for it. Links by href alone (external, email, anchor) are
    left as they are, for nh3 to judge their URL.
    """

    def __missing__(self, linktype):
        if linktype in ("external", "email", "anchor"):
            raise KeyError(linktype)
        return _opening_tags({})


def _opening_tags(urls: Mapping[int, str]):
    """Wagtail's bulk link rule for one link type: each tag's link to the public URL, from the
    loaded map, or the unwrap marker when the target has none (hidden, missing, not a number)."""

    def opening_tags(attrs_list: list[dict]) -> list[str]:
        tags = []
        for attrs in attrs_list:
            target = _as_int(attrs.get("id"))
            url = urls.get(target) if target is not None else None
            tags.append(f'<a href="{html.escape(url)}">' if url else _UNWRAP)
        return tags

    return opening_tags


def _has_wagtail_tags(source: str | None) -> bool:
    """Whether `source` may hold Wagtail's <a linktype> or <embed embedtype> (names, unescaped).

    Only a shortcut: nh3 strips these attributes and tags anyway, so a miss cannot leak.
    """
    lowered = (source or "").lower()
    return "linktype" in lowered or "embedtype" in lowered


def _as_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
