"""The read endpoints of /api/v1/: `articles`, `series`, and the `directory` of authors and topics.

`base` holds what they all share: the conditional, cached `ReadOnlyView`, the list response and
the orderings their cursors name.
"""

from api.content.views.articles import (
    ArticleDetailView,
    ArticleListView,
    assemble_article_detail,
    detail_keys,
    partner_rights,
)
from api.content.views.base import (
    ARTICLE_ORDERINGS,
    AUTHORS_BY_NAME,
    SERIES_BY_TITLE,
    SERIES_ORDER,
    TOPICS_BY_NAME,
    ReadOnlyView,
    list_response,
    search_terms,
)
from api.content.views.directory import (
    AuthorDetailView,
    AuthorListView,
    TopicDetailView,
    TopicListView,
)
from api.content.views.series import SeriesDetailView, SeriesListView

__all__ = [
    "ARTICLE_ORDERINGS",
    "AUTHORS_BY_NAME",
    "SERIES_BY_TITLE",
    "SERIES_ORDER",
    "TOPICS_BY_NAME",
    "ArticleDetailView",
    "ArticleListView",
    "AuthorDetailView",
    "AuthorListView",
    "ReadOnlyView",
    "SeriesDetailView",
    "SeriesListView",
    "TopicDetailView",
    "TopicListView",
    "assemble_article_detail",
    "detail_keys",
    "list_response",
    "partner_rights",
    "search_terms",
]
