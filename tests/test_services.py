"""The real services CI promises: PostgreSQL as the database and Redis as the shared cache."""

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from tests.conftest import service_missing

pytestmark = pytest.mark.services


@pytest.mark.django_db
def test_the_suite_runs_on_postgresql_when_database_url_names_it():
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        service_missing("PostgreSQL (DATABASE_URL)")

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        (version,) = cursor.fetchone()

    assert connection.vendor == "postgresql"
    assert version.startswith("PostgreSQL")


def test_the_cache_is_the_shared_redis_when_redis_url_names_it():
    if not os.environ.get("REDIS_URL"):
        service_missing("Redis (REDIS_URL)")
    import redis

    assert settings.CACHES["default"]["BACKEND"] == "cms.cache.FolioRedisCache"
    cache.set("services-probe", "seen", 30)
    # Read it back with a separate client: the value is really in Redis, not in this process.
    raw = redis.Redis.from_url(os.environ["REDIS_URL"])
    keys = raw.keys("*services-probe*")
    assert keys, "the cache write did not reach Redis"
    assert cache.get("services-probe") == "seen"
    raw.delete(*keys)


@pytest.mark.django_db
def test_search_uses_the_full_text_backend_of_the_database():
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    expected = "postgres" if connection.vendor == "postgresql" else "sqlite"

    assert expected in type(backend).__module__


def test_the_shared_redis_client_serves_several_threads():
    """cms.cache shares one redis-py client per pool between a worker's threads."""
    if not os.environ.get("REDIS_URL"):
        service_missing("Redis (REDIS_URL)")
    from concurrent.futures import ThreadPoolExecutor

    from cms.cache import FolioRedisCache

    shared = FolioRedisCache(
        os.environ["REDIS_URL"], {"KEY_PREFIX": f"folio-threads-{os.getpid()}"}
    )

    def round_trip(n: int) -> int:
        shared.set(f"n{n}", {"n": n}, 30)
        return shared.get(f"n{n}")["n"]

    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            assert list(pool.map(round_trip, range(200))) == list(range(200))
    finally:
        shared.delete_many([f"n{n}" for n in range(200)])
