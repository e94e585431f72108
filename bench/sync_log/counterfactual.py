"""The same year without pruning: the log it would have left, its sync requests, and the drain."""

import time
from datetime import datetime, timedelta

from bench.sync_log.client import SyncClient, sync_cases
from bench.sync_log.databases import sql, tables
from bench.sync_log.prune import PruneTimer, batch_summary, prune_defaults, scheduler_rounds
from bench.sync_log.sizes import exposures_fingerprint, horizon, sizes, vacuum_timed
from bench.sync_log.year import COPY_TABLE


def _drain(timer: PruneTimer, end: datetime, retention: int) -> dict:
    """The scheduler's rounds on the year's backlog, back to back at the year's end.

    Deployed, the scheduler runs one round a minute, so the drain takes as many minutes as it
    takes rounds. All rounds prune at the same `now` so that the horizon they leave is the one
    the daily run left, and the exposures can be compared with its.
    """
    log = tables()["log"]
    rounds, batches, started = [], [], time.perf_counter()
    for number, done in enumerate(scheduler_rounds(timer, end), 1):
        summary = {"round": number, "rows": done["rows"], "ms": done["ms"]}
        summary.update(batch_summary(done["batches"]))
        summary["batch_ms"] = [b.ms for b in done["batches"]]
        summary["lock_ms"] = [b.lock_ms for b in done["batches"]]
        rounds.append(summary)
        batches += done["batches"]
        print(
            f"  round {number}: {done['rows']:,} rows in {done['ms'] / 1000:.1f}s, "
            f"{summary['batches']} batches, longest {summary['max_batch_ms']:.0f} ms "
            f"(lock {summary['max_lock_ms']:.0f} ms)",
            flush=True,
        )
    cutoff = end - timedelta(days=retention)
    left = sql(f'SELECT count(*) FROM "{log}" WHERE created_at < %s', [cutoff])[0][0]  # noqa: S608
    return {
        "rounds": len(rounds),
        "rows": sum(r["rows"] for r in rounds),
        "seconds": round(time.perf_counter() - started, 1),
        "round_rows": prune_defaults()["batch"] * prune_defaults()["max_batches"],
        "max_round_ms": max((r["ms"] for r in rounds), default=0.0),
        "batches": batch_summary(batches),
        "left_older_than_retention": left,
        "each": rounds,
    }


def counterfactual(
    args, year: dict, timer: PruneTimer, client: SyncClient, *, retention: int, at_horizon: int
) -> dict:
    """The same year with no pruning: its rows loaded back, the same requests, then the drain."""
    from api.delivery.models import ChangeLogHorizon

    log, exposure = tables()["log"], tables()["exposure"]
    started = time.perf_counter()
    sql(f'TRUNCATE "{log}", "{exposure}", "{ChangeLogHorizon._meta.db_table}"')
    sql(f'INSERT INTO "{log}" SELECT * FROM "{COPY_TABLE}" ORDER BY id')  # noqa: S608
    # A year of inserts alone: autovacuum's insert threshold would have vacuumed it many times.
    sql(f'VACUUM (ANALYZE) "{log}"')
    load_s = time.perf_counter() - started
    unpruned = sizes()
    end = datetime.fromisoformat(year["end"])
    print(
        f"Unpruned after {args.days} days: {unpruned['log_rows']:,} rows, "
        f"{unpruned['log_mb']:.1f} MB. The same sync requests:",
        flush=True,
    )
    requests = sync_cases(
        client,
        label="unpruned: ",
        yesterday=year["day_tops"][-2],
        horizon=at_horizon,
        oldest=year["log_first_id"] - 1,
        catch_up=args.catch_up,
    )
    print("The scheduler's first rounds on that backlog (back to back; a minute apart deployed):")
    drain = _drain(timer, end, retention)
    drained = sizes()
    vacuumed = vacuum_timed("VACUUM")
    # Deleting from the front leaves the free space at the start of the heap, which plain
    # VACUUM makes reusable but cannot give back; VACUUM FULL rewrites the table (and holds an
    # ACCESS EXCLUSIVE lock while it does: readers and writers wait).
    rewritten = vacuum_timed("VACUUM FULL")
    return {
        "load_seconds": round(load_s, 1),
        "unpruned": unpruned,
        "requests": requests,
        "drain": drain,
        "after_drain": drained,
        "after_drain_vacuum": vacuumed,
        "after_drain_vacuum_full": rewritten,
        "horizon": horizon(),
        "exposures": exposures_fingerprint(),
    }
