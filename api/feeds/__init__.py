"""Partner feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1 of every article, a series or a topic."""

from api.feeds.documents import (
    FOLIO_NAMESPACE,
    JSON_FEED_CONTENT_TYPE,
    JSON_FEED_VERSION,
    render_feed,
)
from api.feeds.entries import FeedDocument, FeedEntry, feed_document, feed_entry
from api.feeds.views import FeedView

__all__ = [
    "FOLIO_NAMESPACE",
    "JSON_FEED_CONTENT_TYPE",
    "JSON_FEED_VERSION",
    "FeedDocument",
    "FeedEntry",
    "FeedView",
    "feed_document",
    "feed_entry",
    "render_feed",
]
