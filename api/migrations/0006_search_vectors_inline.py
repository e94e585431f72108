"""Keep each entry's body search vector in the table row, not in the TOAST table beside it.

A ranked search reads the body vector of every match (`ts_rank`). An article's vector is about
3.3 kB and barely compresses, so with PostgreSQL's defaults it is moved out of line: each
match then costs a probe of the TOAST index and a read of its chunks, two thirds of the time
of a search for a common word at 100,000 articles (docs/performance.md). With rows allowed up
to 4 kB before toasting and the vectors stored MAIN, the entry's long plain-text copy
(`body_text`, EXTENDED) is compressed and moved out first and the vector stays in the row;
only a vector too big for the row on its own still goes out of line. Existing entries are
rewritten so that they move in. PostgreSQL only: SQLite searches through FTS5.
"""

from django.db import migrations

TABLE = "wagtailsearch_indexentry"


def keep_inline(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} SET (toast_tuple_target = 4096)")
    schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN body SET STORAGE MAIN")
    schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN title SET STORAGE MAIN")
    # A new value (the same vector) is stored by the new rules; an unchanged one is not moved.
    schema_editor.execute(
        f"UPDATE {TABLE} SET body = body || ''::tsvector, title = title || ''::tsvector"
    )


def restore_defaults(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} RESET (toast_tuple_target)")
    schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN body SET STORAGE EXTENDED")
    schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN title SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0005_search_vector_index"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(keep_inline, restore_defaults, elidable=False)]
