"""The read endpoints of /api/v1/: `articles`, `series`, and the `directory` of authors and topics.

`base` holds what they all share: the conditional, cached `ReadOnlyView` and the list envelope;
the orderings their cursors name are api/content/orderings.py.
"""

from api.content.views.articles import (
    ArticleDetailView,
    ArticleListView,
    assemble_article_detail,
    detail_keys,
)
from api.content.views.base import ReadOnlyView, list_response
from api.content.views.directory import (
    AuthorDetailView,
    AuthorListView,
    TopicDetailView,
    TopicListView,
)
from api.content.views.series import SeriesDetailView, SeriesListView

__all__ = [
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
]
