"""The benchmark's environment: its settings, database and Redis, `manage.py`, the seeding."""

import subprocess
import sys
import time
from urllib.parse import urlsplit

from bench.load import ROOT, nice_prefix

RESULTS = ROOT / "bench" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/folio_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/5"


def settings_env(args) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "CACHE_KEY_PREFIX": "folio-bench",
        "SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "API_ANONYMOUS_RATE": "",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{args.port}",
        "MEDIA_ROOT": str(ROOT / "bench" / ".media"),
        "LOG_LEVEL": "WARNING",
        # Same cms/gunicorn.py; no access log to stdout, and no worker recycling mid-run, so
        # that the RSS read after the run is the RSS the run grew to.
        "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_MAX_REQUESTS": "0",
    }


def manage(env: dict, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own manage.py)
        [*nice_prefix(), sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        check=check,
        stderr=None if check else subprocess.PIPE,
        text=True,
    )


def database_ensure(database_url: str) -> None:
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"Created database {name}.")


def cache_flush(redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def prepare(args, size: int, env: dict) -> float:
    database_ensure(args.database_url)
    manage(env, "migrate", "--noinput", "-v", "0")
    started = time.monotonic()
    seeded = manage(env, "seed_bulk", "--articles", str(size), check=False)
    if seeded.returncode != 0:
        if "reset" not in (seeded.stderr or ""):
            sys.stderr.write(seeded.stderr or "")
            raise SystemExit("seed_bulk failed")
        manage(env, "seed_bulk", "--articles", str(size), "--reset")
    return round(time.monotonic() - started, 1)
