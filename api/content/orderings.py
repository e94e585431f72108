"""The sort orders lists are paged in, each on a unique key, and named so a cursor fits one list."""

from api.content.pagination import Ordering

ARTICLE_ORDERINGS = {
    "-published_at": Ordering(
        "articles:-published_at",
        ("first_published_at", "pk"),
        descending=True,
        datetime_fields=frozenset({"first_published_at"}),
    ),
    "published_at": Ordering(
        "articles:published_at",
        ("first_published_at", "pk"),
        descending=False,
        datetime_fields=frozenset({"first_published_at"}),
    ),
    "title": Ordering("articles:title", ("title", "pk"), descending=False),
    "-updated_at": Ordering(
        "articles:-updated_at",
        ("last_published_at", "pk"),
        descending=True,
        datetime_fields=frozenset({"last_published_at"}),
    ),
}
DEFAULT_ARTICLE_ORDERING = "-published_at"
# Cursor names are unique per list, so a cursor only ever continues the list that issued it.
SERIES_ORDER = Ordering("articles:series", ("series_position", "pk"), descending=False)
SERIES_BY_TITLE = Ordering("series:title", ("title", "pk"), descending=False)
AUTHORS_BY_NAME = Ordering("authors:name", ("name", "pk"), descending=False)
TOPICS_BY_NAME = Ordering("topics:name", ("name", "pk"), descending=False)
