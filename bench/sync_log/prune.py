"""Timing the real `sync_log_prune`: each batch, the lock editors wait behind, scheduler rounds."""

import inspect
import math
import statistics
import time
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass
class Batch:
    rows: int
    ms: float  # the batch's transaction, start to commit
    lock_ms: float  # from its DELETE (which writers' LOCK TABLE waits for) to its commit
    queries: int
    deletes: int  # DELETE statements on the log (1 when Django deletes without fetching)
    sql_ms: float = 0.0  # in the database driver's execute(), summed over the queries
    commit_ms: float = 0.0  # from the end of the last query to the end of the batch
    slowest_ms: float = 0.0
    slowest: str = ""  # the start of the slowest statement


class PruneTimer:
    """Times each batch of the real prune: a wrapper around `_batch_prune` that calls it as is."""

    def __init__(self):
        self.batches: list[Batch] = []
        self.delete_sql: str | None = None
        self._queries = 0
        self._deletes = 0
        self._delete_at: float | None = None
        self._sql_ms, self._slowest, self._last_end = 0.0, (0.0, ""), 0.0

    def __enter__(self) -> "PruneTimer":
        from django.db import connection

        from api.delivery import sync_retention
        from api.delivery.models import ArticleChange

        self._module = sync_retention
        self._original = sync_retention._batch_prune
        self._table = connection.ops.quote_name(ArticleChange._meta.db_table)
        sync_retention._batch_prune = self._timed
        self._wrapper = connection.execute_wrapper(self._watch)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._wrapper.__exit__(*exc)
        self._module._batch_prune = self._original

    def _watch(self, execute, sql, params, many, context):
        self._queries += 1
        if sql.lstrip().upper().startswith("DELETE") and self._table in sql.split("WHERE")[0]:
            self._deletes += 1
            self._delete_at = self._delete_at or time.perf_counter()
            self.delete_sql = sql if len(sql) < 300 else sql[:300] + "..."
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self._last_end = time.perf_counter()
            ms = (self._last_end - started) * 1000
            self._sql_ms += ms
            if ms > self._slowest[0]:
                self._slowest = (ms, " ".join(sql.split())[:90])

    def _timed(self, alias, *, cutoff, batch):
        self._queries, self._deletes, self._delete_at = 0, 0, None
        self._sql_ms, self._slowest = 0.0, (0.0, "")
        started = self._last_end = time.perf_counter()
        rows = self._original(alias, cutoff=cutoff, batch=batch)
        ended = time.perf_counter()
        self.batches.append(
            Batch(
                rows=rows,
                ms=round((ended - started) * 1000, 2),
                lock_ms=round((ended - self._delete_at) * 1000, 2) if self._delete_at else 0.0,
                queries=self._queries,
                deletes=self._deletes,
                sql_ms=round(self._sql_ms, 2),
                commit_ms=round((ended - self._last_end) * 1000, 2),
                slowest_ms=round(self._slowest[0], 2),
                slowest=self._slowest[1],
            )
        )
        return rows

    def take(self) -> list[Batch]:
        batches, self.batches = self.batches, []
        return batches


def prune_defaults() -> dict[str, int]:
    """`sync_log_prune`'s own batch size and batches per round, as the scheduler calls it."""
    from api.delivery.sync_retention import sync_log_prune

    parameters = inspect.signature(sync_log_prune).parameters
    return {name: parameters[name].default for name in ("batch", "max_batches")}


def scheduler_rounds(timer: PruneTimer, now: datetime, *, limit: int = 1000):
    """Scheduler rounds at `now` until one prunes less than a full round (the rest is inside).

    Yields each round that pruned something. A round prunes at most batch x max_batches rows, so
    a finite backlog drains; a log that still fills whole rounds after `limit` of them is not
    draining, and stops the run rather than looping.
    """
    from api.delivery.sync_retention import sync_log_prune

    defaults = prune_defaults()
    full = defaults["batch"] * defaults["max_batches"]
    for _ in range(limit):
        started = time.perf_counter()
        pruned = sync_log_prune(now=now)
        ms = (time.perf_counter() - started) * 1000
        batches = timer.take()
        if pruned:
            yield {"rows": pruned, "ms": round(ms, 1), "batches": batches}
        if pruned < full:
            return
    raise SystemExit(f"the prune still filled whole rounds after {limit} rounds at {now}")


def percentile(values, q: float) -> float:
    """Nearest rank: the smallest value with at least q% of the values at or below it."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def batch_summary(batches: list[Batch]) -> dict:
    if not batches:
        return {"batches": 0}
    longest = max(batches, key=lambda b: b.ms)
    return {
        "batches": len(batches),
        "batches_ms": round(sum(b.ms for b in batches), 1),
        "p50_batch_ms": percentile((b.ms for b in batches), 50),
        "p99_batch_ms": percentile((b.ms for b in batches), 99),
        "max_batch_ms": longest.ms,
        "max_batch_rows": longest.rows,
        "max_batch_slowest": f"{longest.slowest_ms} ms: {longest.slowest}",
        "p50_lock_ms": percentile((b.lock_ms for b in batches), 50),
        "p99_lock_ms": percentile((b.lock_ms for b in batches), 99),
        "max_lock_ms": max(b.lock_ms for b in batches),
        "max_queries": max(b.queries for b in batches),
        "deletes_per_batch": sorted({b.deletes for b in batches}),
    }


def round_summary(rounds_ms: list[float], rows: list[int]) -> dict:
    if not rounds_ms:
        return {"rounds": 0}
    return {
        "rounds": len(rounds_ms),
        "rows_mean": round(statistics.mean(rows), 1),
        "rows_max": max(rows),
        "p50_ms": percentile(rounds_ms, 50),
        "p99_ms": percentile(rounds_ms, 99),
        "max_ms": max(rounds_ms),
    }


def minute_rounds(timer: PruneTimer, end: datetime, count: int = 30) -> dict:
    """Rounds a minute apart after the year, as the deployed scheduler runs them, and their cost."""
    from api.delivery.sync_retention import sync_log_prune

    rounds, batches = [], []
    for minute in range(1, count + 1):
        started = time.perf_counter()
        pruned = sync_log_prune(now=end + timedelta(minutes=minute))
        ms = round((time.perf_counter() - started) * 1000, 2)
        taken = timer.take()
        batches += taken
        rounds.append({"minute": minute, "rows": pruned, "ms": ms, **batch_summary(taken)})
    return {
        **round_summary([r["ms"] for r in rounds], [r["rows"] for r in rounds]),
        "max_lock_ms": max((b.lock_ms for b in batches), default=0.0),
        "batches": batch_summary(batches),
        "each": rounds,
    }
