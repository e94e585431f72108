"""An article's corrections as one column of its row, or in one query for many articles.

The detail reads an article in one statement (plans.py), and a feed its entries in one query:
the corrections come with each row as a JSON array aggregated by a correlated subquery, so
showing them costs no query. A draft's preview reads them by id.
"""

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Aggregate, OuterRef, Subquery, TextField
from django.db.models.functions import JSONObject

from articles.models import ArticleCorrection


@dataclass(frozen=True)
class Correction:
    at: datetime
    kind: str
    what_was_wrong: str
    what_changed: str


class _JSONArrayAgg(Aggregate):
    """The rows' JSON values as one JSON array (JSONB_AGG; JSON_GROUP_ARRAY on SQLite)."""

    function = "JSONB_AGG"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


def corrections_column() -> Subquery:
    """The corrections of the outer query's article, as JSON text (NULL when it has none)."""
    return Subquery(
        ArticleCorrection.objects.filter(article_id=OuterRef("pk"))
        .order_by()
        .values("article_id")
        .annotate(
            rows=_JSONArrayAgg(
                JSONObject(
                    pk="pk",
                    at="at",
                    kind="kind",
                    what_was_wrong="what_was_wrong",
                    what_changed="what_changed",
                )
            )
        )
        .values("rows"),
        output_field=TextField(),
    )


def corrections_from_column(raw: str | None) -> list[Correction]:
    """The column's corrections, newest first (as recorded when two share a moment)."""
    if not raw:
        return []
    rows = json.loads(raw) if isinstance(raw, str) else raw
    rows.sort(key=lambda row: (_moment(row["at"]), row["pk"]), reverse=True)
    return [
        Correction(_moment(row["at"]), row["kind"], row["what_was_wrong"], row["what_changed"])
        for row in rows
    ]


def _moment(value: str) -> datetime:
    # PostgreSQL writes an offset; SQLite stores UTC without one.
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def corrections_of(article_ids: Iterable[int]) -> dict[int, list[Correction]]:
    """Each article's corrections, newest first (one query)."""
    ids = sorted(set(article_ids))
    grouped: dict[int, list[Correction]] = defaultdict(list)
    if not ids:
        return grouped
    rows = (
        ArticleCorrection.objects.filter(article_id__in=ids)
        .order_by("article_id", "-at", "-pk")
        .values_list("article_id", "at", "kind", "what_was_wrong", "what_changed")
    )
    for article_id, *fields in rows:
        grouped[article_id].append(Correction(*fields))
    return grouped
