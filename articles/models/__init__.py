"""Models of the editorial domain, re-exported from one module per concern."""

from .authors import Author
from .health import ArticleCorrection, ArticleRetraction, HealthContentSettings, ReviewReminder
from .imports import ImportedItem, WxrImport
from .pages import ArticleAuthor, ArticleIndexPage, ArticlePage, ArticleTag
from .references import ArticleReference
from .series import Series, SeriesMember
from .topics import Topic

__all__ = [
    "ArticleAuthor",
    "ArticleCorrection",
    "ArticleIndexPage",
    "ArticlePage",
    "ArticleReference",
    "ArticleRetraction",
    "ArticleTag",
    "Author",
    "HealthContentSettings",
    "ImportedItem",
    "ReviewReminder",
    "Series",
    "SeriesMember",
    "Topic",
    "WxrImport",
]
