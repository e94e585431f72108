"""A feed document as RSS 2.0 or Atom 1.0 (Django's syndication framework) or JSON Feed 1.1."""

import dataclasses
import re

import orjson
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils import feedgenerator
from django.utils.feedgenerator import rfc3339_date
from django.utils.html import escape

from api.content.serializers import correction_shape, timestamp
from api.feeds.entries import FeedDocument, FeedEntry

# Our own elements (rights) live in this namespace; the prefix is `folio` in every document.
FOLIO_NAMESPACE = "urn:folio:syndication:1"
DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"
DCTERMS_NAMESPACE = "http://purl.org/dc/terms/"
CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
JSON_FEED_CONTENT_TYPE = "application/feed+json"

# Characters XML 1.0 cannot carry at all; Django's writer raises on them rather than drop them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# The RSS Profile's value for an enclosure whose size is not known: asking the media storage
# for every image's size would cost a round trip per item on S3.
UNKNOWN_LENGTH = "0"


def _xml_safe(value):
    """`value` (a document, entry, tuple or string) with characters XML cannot hold removed."""
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    if isinstance(value, tuple):
        return tuple(_xml_safe(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value,
            **{f.name: _xml_safe(getattr(value, f.name)) for f in dataclasses.fields(value)},
        )
    return value


def _write_rights(handler, item) -> None:
    rights = item["folio_rights"]
    handler.addQuickElement("folio:allowed", "true" if rights.allowed else "false")
    handler.addQuickElement("folio:canonical_url", rights.canonical_url)
    handler.addQuickElement("folio:license", rights.license)
    handler.addQuickElement("folio:attribution", rights.attribution)


class _DatedByDocument:
    """The feed's own date is the document's, not "now" when a feed has no items."""

    def latest_post_date(self):
        return self.feed["folio_updated"]


class RssFeed(_DatedByDocument, feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with every author (dc:creator), dcterms:modified, content:encoded, the rights."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:dc": DC_NAMESPACE,
            "xmlns:dcterms": DCTERMS_NAMESPACE,
            "xmlns:content": CONTENT_NAMESPACE,
            "xmlns:folio": FOLIO_NAMESPACE,
        }

    def add_item_elements(self, handler, item):
        # Categories are written below, with their scheme as `domain`.
        super().add_item_elements(handler, {**item, "categories": ()})
        # RSS has no element of its own for the last change.
        handler.addQuickElement("dcterms:modified", rfc3339_date(item["updateddate"]))
        for name in item["folio_authors"]:
            handler.addQuickElement("dc:creator", name)
        for category in item["folio_categories"]:
            attrs = {"domain": category.scheme} if category.scheme else {}
            handler.addQuickElement("category", category.label, attrs)
        if item["folio_content"] is not None:
            handler.addQuickElement("content:encoded", item["folio_content"])
        handler.addQuickElement("dc:rights", item["item_copyright"])
        _write_rights(handler, item)


class AtomFeed(_DatedByDocument, feedgenerator.Atom1Feed):
    """Atom 1.0 with every author, labelled categories, an enclosure link, content, rights."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:folio": FOLIO_NAMESPACE}

    def add_item_elements(self, handler, item):
        # Django writes an enclosure's length, which is unknown here, and bare categories.
        super().add_item_elements(handler, {**item, "enclosures": (), "categories": ()})
        for name in item["folio_authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")
        for enclosure in item["enclosures"]:
            handler.addQuickElement(
                "link",
                "",
                {"rel": "enclosure", "href": enclosure.url, "type": enclosure.mime_type},
            )
        for category in item["folio_categories"]:
            attrs = {"term": category.term, "label": category.label}
            if category.scheme:
                attrs["scheme"] = category.scheme
            handler.addQuickElement("category", "", attrs)
        if item["folio_content"] is not None:
            handler.addQuickElement("content", item["folio_content"], {"type": "html"})
        _write_rights(handler, item)


class ArticleFeed(Feed):
    """Django's syndication Feed over a loaded FeedDocument: no queries, no templates.

    `get_feed(document, request)` gives the populated generator of `feed_type`.
    """

    feed_type = RssFeed
    item_guid_is_permalink = False  # the id is a URN, stable across edits, not a URL

    def __init__(self, feed_type):
        self.feed_type = feed_type

    @property
    def language(self):
        return settings.LANGUAGE_CODE

    def title(self, document: FeedDocument):
        return document.title

    def link(self, document: FeedDocument):
        return document.home_url

    def feed_url(self, document: FeedDocument):
        return document.self_url

    def feed_guid(self, document: FeedDocument):
        return document.self_url

    def description(self, document: FeedDocument):
        return document.description

    def subtitle(self, document: FeedDocument):
        return document.description

    def author_name(self, document: FeedDocument):
        # Atom needs an author for entries without a byline; the publication is one.
        return document.author_name

    def feed_extra_kwargs(self, document: FeedDocument):
        return {"folio_updated": document.updated}

    def items(self, document: FeedDocument):
        return document.entries

    def item_title(self, entry: FeedEntry):
        return entry.title  # plain text (Django's default would escape it a second time)

    def item_link(self, entry: FeedEntry):
        return entry.url

    def item_description(self, entry: FeedEntry):
        # RSS description and Atom summary (type="html") are HTML: the summary is text.
        return escape(entry.summary)

    def item_guid(self, entry: FeedEntry):
        return entry.id

    def item_pubdate(self, entry: FeedEntry):
        return entry.published

    def item_updateddate(self, entry: FeedEntry):
        return entry.updated

    def item_enclosures(self, entry: FeedEntry):
        if entry.image is None:
            return []
        return [feedgenerator.Enclosure(entry.image.url, UNKNOWN_LENGTH, entry.image.mime_type)]

    def item_copyright(self, entry: FeedEntry):
        return entry.rights.statement

    def item_extra_kwargs(self, entry: FeedEntry):
        return {
            "folio_authors": entry.authors,
            "folio_categories": entry.categories,
            "folio_content": entry.content_html,
            "folio_rights": entry.rights,
        }


def xml_feed(document: FeedDocument, *, feed_type, request) -> bytes:
    generator = ArticleFeed(feed_type).get_feed(_xml_safe(document), request)
    return generator.writeString("utf-8").encode("utf-8")


def json_feed_item(entry: FeedEntry) -> dict:
    item = {
        "id": entry.id,
        "url": entry.url,
        "title": entry.title,
        "summary": entry.summary,
        "date_published": timestamp(entry.published),
        "date_modified": timestamp(entry.updated),
        "authors": [{"name": name} for name in entry.authors],
        "tags": list(dict.fromkeys(category.label for category in entry.categories)),
        "_folio": {
            "id": entry.article_id,
            "slug": entry.slug,
            "api_url": entry.api_url,
            "syndication": {
                "allowed": entry.rights.allowed,
                "canonical_url": entry.rights.canonical_url,
                "license": entry.rights.license,
                "attribution": entry.rights.attribution,
            },
            "corrections": [correction_shape(c) for c in entry.corrections],
        },
    }
    if entry.content_html is not None:
        item["content_html"] = entry.content_html
    else:
        # JSON Feed requires content_html or content_text: without the full-text right the
        # content is the summary, never the body.
        item["content_text"] = entry.summary
    if entry.image is not None:
        item["image"] = entry.image.url
    return item


def json_feed(document: FeedDocument) -> bytes:
    return orjson.dumps(
        {
            "version": JSON_FEED_VERSION,
            "title": document.title,
            "home_page_url": document.home_url,
            "feed_url": document.self_url,
            "description": document.description,
            "language": document.language,
            "authors": [{"name": document.author_name}],
            "items": [json_feed_item(entry) for entry in document.entries],
        }
    )


def render_feed(document: FeedDocument, *, format: str, request) -> tuple[bytes, str]:
    """(body, Content-Type) of `document` in `format`: "rss", "atom" or "json"."""
    if format == "json":
        return json_feed(document), JSON_FEED_CONTENT_TYPE
    feed_type = RssFeed if format == "rss" else AtomFeed
    return xml_feed(document, feed_type=feed_type, request=request), feed_type.content_type
