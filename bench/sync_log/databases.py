"""The benchmark's databases: the seeded one (kept, with how it was seeded) and each run's copy."""

import json
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/folio_synclog"


def _connect(url: str, **kwargs):
    import psycopg

    return psycopg.connect(url, **kwargs)


def _admin_url(url: str) -> str:
    return urlsplit(url)._replace(path="/postgres").geturl()


def _database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def seeded_articles(url: str) -> int | None:
    """The bulk articles the database holds (None when it does not exist or is not migrated)."""
    import psycopg

    try:
        with _connect(url) as connection:
            return connection.execute(
                "SELECT count(*) FROM articles_articlepage a "
                "JOIN wagtailcore_page p ON p.id = a.page_ptr_id "
                "JOIN auth_user u ON u.id = p.owner_id WHERE u.username = 'seed_bulk'"
            ).fetchone()[0]
    except psycopg.Error:
        return None


def _provenance_read(url: str) -> dict:
    """What the run that seeded the database recorded in its comment ({} if nothing)."""
    with _connect(_admin_url(url)) as connection:
        row = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [_database_name(url)],
        ).fetchone()
    try:
        found = json.loads(row[0]) if row and row[0] else {}
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _provenance_write(url: str, provenance: dict) -> None:
    from psycopg import sql

    with _connect(_admin_url(url), autocommit=True) as connection:
        connection.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(_database_name(url)), sql.Literal(json.dumps(provenance))
            )
        )


def seed(args, env: dict) -> dict:
    """Seed `args.articles` in the benchmark's database, unless it holds them already.

    A database that is seeded here records how (seconds, when, the commit) in its comment, so a
    later run that reuses it can say how long its seeding took.
    """
    from bench.run import commit, manage, prepare  # the harness's seeding, as `make bench`'s

    held = seeded_articles(args.database_url)
    name = _database_name(args.database_url)
    if held == args.articles:
        print(f"Reusing {name}: it holds {held:,} bulk articles already.", flush=True)
        manage(env, "migrate", "--noinput", "-v", "0")
        return {"reused": True, "articles": held, **_provenance_read(args.database_url)}
    print(
        f"Seeding {args.articles:,} articles in {name} (it holds {held or 0:,}); 100,000 take "
        "about 15 minutes on an idle two-core machine, longer on a busy one...",
        flush=True,
    )
    seconds = prepare(args, args.articles, env)
    provenance = {
        "seconds": seconds,
        "articles": args.articles,
        "held_before": held or 0,
        "seeded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit(),
    }
    _provenance_write(args.database_url, provenance)
    print(f"Seeded in {seconds / 60:.1f} min.", flush=True)
    return {"reused": False, **provenance}


def run_database_create(seeded_url: str) -> tuple[str, float]:
    """A fresh copy of the seeded database for this run (it deletes articles); its URL, seconds."""
    run_url = urlsplit(seeded_url)
    run_url = run_url._replace(path=run_url.path + "_run").geturl()
    seeded, scratch = _database_name(seeded_url), _database_name(run_url)
    started = time.monotonic()
    with _connect(_admin_url(seeded_url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        connection.execute(f'CREATE DATABASE "{scratch}" TEMPLATE "{seeded}"')
    seconds = round(time.monotonic() - started, 1)
    print(f"Copied {seeded} to {scratch} in {seconds:.1f}s.", flush=True)
    return run_url, seconds


def run_database_drop(run_url: str) -> None:
    from django.db import connections

    connections.close_all()
    with _connect(_admin_url(run_url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{_database_name(run_url)}"')


# In the run (Django set up on the copy)


def sql(query: str, params=()) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def tables() -> dict[str, str]:
    from api.delivery.models import ArticleChange, ArticleExposure

    return {"log": ArticleChange._meta.db_table, "exposure": ArticleExposure._meta.db_table}
