"""Full-text search of articles in relevance order: one statement over the search index.

On PostgreSQL the statement is ours, over Wagtail's own index table and with the ranking of
Wagtail's PostgreSQL backend (modelsearch): `ts_rank` of the title vector times its length
norm plus `ts_rank` of the body vector, ties broken by the newest id. What differs is the plan:
the backend's query starts from the article table and joins each index entry by casting every
article id to text, so PostgreSQL reads the whole article table (100,000 rows) on every search.
Here the matches come from the GIN index on `title || body` (migration api/0005), are ranked,
and only the best of them, in rank order, are checked against the visible and filtered set,
until the page is full. On SQLite, Wagtail's backend does the work.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from modelsearch.backends.database.postgres.weights import get_sql_weights
from wagtail.search.models import IndexEntry

from articles.models import ArticlePage


def _tsquery(words: str) -> str:
    # Each term a quoted lexeme, all of them (the backend's default operator for a search).
    return " & ".join("'" + term.replace("'", "''") + "'" for term in words.split() if term)


def matching_articles(articles: QuerySet[ArticlePage], words: str) -> QuerySet[ArticlePage]:
    """`articles` matching all of `words`, unordered: for a search in an explicit ordering."""
    if connections[articles.db].vendor != "postgresql":
        candidates = ArticlePage.objects.filter(pk__in=articles.values("pk"))
        hits = candidates.search(words, order_by_relevance=False)
        return articles.filter(pk__in=[hit.pk for hit in hits])
    content_type = ContentType.objects.get_for_model(ArticlePage, for_concrete_model=True)
    # The table name from the model; every value is a parameter.
    matches = RawSQL(  # noqa: S611
        f"SELECT entry.object_id::integer FROM {IndexEntry._meta.db_table} entry"  # noqa: S608
        " WHERE entry.content_type_id = %s AND (entry.title || entry.body) @@ to_tsquery(%s)",
        (content_type.pk, _tsquery(words)),
    )
    return articles.filter(pk__in=matches)


def ranked_article_ids(articles: QuerySet[ArticlePage], words: str, *, offset: int, limit: int):
    """The ids of `articles` matching all of `words`, best first, `limit` from `offset`."""
    if connections[articles.db].vendor != "postgresql":
        candidates = ArticlePage.objects.filter(pk__in=articles.values("pk"))
        hits = candidates.search(words, order_by_relevance=True)[offset : offset + limit]
        return [hit.pk for hit in hits]
    tsquery = _tsquery(words)
    if not tsquery:
        return []
    visible_sql, visible_params = (
        articles.order_by().values("pk").query.get_compiler(articles.db).as_sql()
    )
    content_type = ContentType.objects.get_for_model(ArticlePage, for_concrete_model=True)
    entries = IndexEntry._meta.db_table
    sql = f"""
        WITH query AS MATERIALIZED (SELECT to_tsquery(%s) AS q)
        SELECT ranked.id FROM (
            SELECT entry.object_id::integer AS id,
                   ts_rank(%s::real[], entry.title, query.q) * entry.title_norm
                   + ts_rank(%s::real[], entry.body, query.q) AS rank
            FROM {entries} entry, query
            WHERE entry.content_type_id = %s AND (entry.title || entry.body) @@ query.q
            ORDER BY rank DESC, id DESC
            OFFSET 0
        ) ranked
        WHERE ranked.id IN ({visible_sql})
        LIMIT %s OFFSET %s
    """  # noqa: S608 (table names from the models; every value is a parameter)
    weights = get_sql_weights()
    params = [tsquery, weights, weights, content_type.pk, *visible_params, limit, offset]
    with connections[articles.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]
