"""Models of the editorial domain, re-exported from one module per concern."""

from .authors import Author
from .pages import ArticleAuthor, ArticleIndexPage, ArticlePage, ArticleReference, ArticleTag
from .series import Series, SeriesMember
from .topics import Topic

__all__ = [
    "ArticleAuthor",
    "ArticleIndexPage",
    "ArticlePage",
    "ArticleReference",
    "ArticleTag",
    "Author",
    "Series",
    "SeriesMember",
    "Topic",
]
