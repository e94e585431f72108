"""`make bench`: seed, serve with gunicorn, measure with wrk against v2; a result per size."""

from bench.run.cli import GROUPS, main
from bench.run.environment import (
    DEFAULT_DATABASE_URL,
    DEFAULT_REDIS_URL,
    RESULTS,
    cache_flush,
    database_ensure,
    manage,
    prepare,
    settings_env,
)
from bench.run.groups import run_size
from bench.run.measuring import count_queries, measure, measure_cold, paired_ceiling
from bench.run.provenance import commit, machine

__all__ = [
    "DEFAULT_DATABASE_URL",
    "DEFAULT_REDIS_URL",
    "GROUPS",
    "RESULTS",
    "cache_flush",
    "commit",
    "count_queries",
    "database_ensure",
    "machine",
    "main",
    "manage",
    "measure",
    "measure_cold",
    "paired_ceiling",
    "prepare",
    "run_size",
    "settings_env",
]
