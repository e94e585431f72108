"""What a client may see, and the query plans that load it: the one place visibility is decided.

An article is visible when it is live, has gone live, has not expired, sits under the current
site's root, neither it nor any ancestor has a view restriction of any kind, and it has not been
retracted (a retracted article's URL still answers with a notice: `addressable_articles`).
Every endpoint (lists, details, search, series members and positions, navigation links, counts)
starts from `visible_articles`, and every related lookup filters through it, so a rule changed
here is changed everywhere.

`visibility` holds the rule, `plans` the articles' query plans (summaries, the detail's
statement), `corrections` an article's corrections (a column of the detail's row, or
by ids), `navigation` series placements, links and series lists, `statements` the reads
compiled once per worker that the plans run.
"""

from articles.selectors.corrections import (
    Correction,
    corrections_column,
    corrections_from_column,
    corrections_of,
)
from articles.selectors.navigation import (
    ArticleLink,
    Placement,
    neighbours_and_links,
    page_links,
    publication_neighbours,
    series_articles,
    series_by_slug,
    series_placements,
    series_with_counts,
    with_series_position,
)
from articles.selectors.plans import (
    SUMMARY_COLUMNS,
    article_by_slug,
    authors,
    documents_by_id,
    images_by_id,
    renditions_of,
    topics,
    with_summary_columns,
    with_summary_plan,
)
from articles.selectors.visibility import (
    Visibility,
    addressable_articles,
    view_restricted_paths,
    visibility_of_site,
    visible_anywhere,
    visible_articles,
    visible_series,
    without_retracted,
)

__all__ = [
    "SUMMARY_COLUMNS",
    "ArticleLink",
    "Correction",
    "Placement",
    "Visibility",
    "addressable_articles",
    "article_by_slug",
    "authors",
    "corrections_column",
    "corrections_from_column",
    "corrections_of",
    "documents_by_id",
    "images_by_id",
    "neighbours_and_links",
    "page_links",
    "publication_neighbours",
    "renditions_of",
    "series_articles",
    "series_by_slug",
    "series_placements",
    "series_with_counts",
    "topics",
    "view_restricted_paths",
    "visibility_of_site",
    "visible_anywhere",
    "visible_articles",
    "visible_series",
    "with_series_position",
    "with_summary_columns",
    "with_summary_plan",
    "without_retracted",
]
