"""A GIN index on the concatenated search vectors that Wagtail's PostgreSQL search filters on.

Wagtail's database backend matches `(title || body) @@ query`; its own GIN indexes cover
`title` and `body` separately, which that expression cannot use, so every search read every
entry's vectors (3 s at 100,000 articles; see docs/performance.md). PostgreSQL only: SQLite
searches through FTS5.
"""

from django.db import migrations

INDEX = "folio_search_title_body_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry "
            "USING gin ((title || body))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0004_webhook_event_indexes"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
