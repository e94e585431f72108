"""The simulated year: each day's edits, hourly scheduler rounds, autovacuum, and measurements."""

import math
import random
import time
from dataclasses import asdict
from datetime import UTC, datetime, timedelta

from bench.sync_log.databases import sql, tables
from bench.sync_log.prune import (
    PruneTimer,
    batch_summary,
    round_summary,
    scheduler_rounds,
)
from bench.sync_log.sizes import Autovacuum, horizon, sizes
from bench.sync_log.world import (
    MIX,
    WEEKDAY_FACTOR,
    Newsroom,
    World,
    log_top,
    real_delete,
    simulation_rng,
    write_rows,
)

DAY = 86_400
COPY_TABLE = "bench_sync_log_copy"  # every row the year wrote, for the counterfactual


def poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 50:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def day_plan(rng: random.Random, start: datetime, per_day: float) -> list[tuple[datetime, str]]:
    """The day's edits, each kind a Poisson count of its share, at uniform times of the day."""
    mean = per_day * WEEKDAY_FACTOR[start.weekday()]
    events = [
        (start + timedelta(seconds=rng.uniform(0, DAY)), kind)
        for kind, share in MIX.items()
        for _ in range(poisson(rng, mean * share))
    ]
    return sorted(events)


def copy_new_rows(last: int) -> int:
    """Keep the rows written since `last` in the unlogged copy (the counterfactual's year)."""
    table = tables()["log"]
    top = sql(
        f'WITH kept AS (INSERT INTO "{COPY_TABLE}" SELECT * FROM "{table}" WHERE id > %s '  # noqa: S608
        "RETURNING id) SELECT max(id) FROM kept",
        [last],
    )[0][0]
    return top or last


class Day:
    """One simulated day's edits, applied round by round, and what they wrote."""

    def __init__(self, room: Newsroom, events: list[tuple[datetime, str]], counts: dict):
        self.room, self.events, self.counts = room, events, counts
        self.cursor, self.rows, self.deletes_s, self.reorders_s = 0, 0, 0.0, 0.0

    def until(self, round_end: datetime) -> None:
        """Apply the edits up to `round_end`, writing their rows in time (and so id) order."""
        room, pending = self.room, []
        while self.cursor < len(self.events) and self.events[self.cursor][0] <= round_end:
            at, kind = self.events[self.cursor]
            self.cursor += 1
            target = room.pick(kind)
            if target is None:
                continue
            self.counts[kind] += 1
            if kind == "delete":
                write_rows(pending)  # before it: ids follow the simulated time
                self.rows += len(pending)
                pending = []
                started = time.perf_counter()
                self.rows += real_delete(target, at)
                self.deletes_s += time.perf_counter() - started
                room.world.forget(target)
            elif kind == "unpublish":
                pending += room.unpublish(target, at)
            elif kind == "reorder":
                started = time.perf_counter()
                pending += room.reorder(target, at)
                self.reorders_s += time.perf_counter() - started
            else:
                pending += room.publish(target, at)
        write_rows(pending)
        self.rows += len(pending)


def simulate(args, world: World, timer: PruneTimer, vacuum: Autovacuum, retention: int) -> dict:
    """The year, day by day: edits, hourly scheduler rounds, autovacuum's rule, measurements."""
    rng = simulation_rng(args.seed)
    room = Newsroom(world, rng)
    table = tables()["log"]
    latest = sql(f'SELECT max(created_at) FROM "{table}"')[0][0] or datetime.now(UTC)  # noqa: S608
    start = (latest + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    sql(f'DROP TABLE IF EXISTS "{COPY_TABLE}"')
    sql(f'CREATE UNLOGGED TABLE "{COPY_TABLE}" (LIKE "{table}")')
    copied = copy_new_rows(0)
    # What the year starts with: the seeder's one row per article (and nothing else).
    start_rows, first_id = sql(f'SELECT count(*), min(id) FROM "{COPY_TABLE}"')[0]  # noqa: S608
    days, day_tops, all_batches, steady_batches = [], [], [], []
    steady_rounds_ms, steady_rounds_rows = [], []
    written_total = start_rows
    counts = dict.fromkeys(MIX, 0)
    deletes_s, reorders_s = 0.0, 0.0
    step = DAY / args.rounds_per_day
    began = time.monotonic()
    for d in range(args.days):
        day_start = start + timedelta(days=d)
        today = Day(room, day_plan(rng, day_start, args.edits_per_day), counts)
        pruned, rounds, batches = 0, 0, []
        settled = d + 1 > retention + 1  # the window is full, and the seed's rows are gone
        for r in range(args.rounds_per_day):
            round_end = day_start + timedelta(seconds=step * (r + 1))
            today.until(round_end)
            copied = copy_new_rows(copied)
            for done in scheduler_rounds(timer, round_end):
                pruned += done["rows"]
                rounds += 1
                batches += done["batches"]
                if settled:
                    steady_rounds_ms.append(done["ms"])
                    steady_rounds_rows.append(done["rows"])
        deletes_s += today.deletes_s
        reorders_s += today.reorders_s
        written_total += today.rows
        day_tops.append(log_top())
        ran = vacuum.round(d + 1)
        all_batches += batches
        if settled:
            steady_batches += batches
        row = {
            "day": d + 1,
            "date": day_start.date().isoformat(),
            "edits": len(today.events),
            "rows_written": today.rows,
            "rows_written_total": written_total,
            "rows_pruned": pruned,
            "prune_rounds": rounds,
            **batch_summary(batches),
            **sizes(),
            "horizon": horizon(),
            "vacuum": [f"{e['table']}: {e['command']}" for e in ran],
        }
        days.append(row)
        if (d + 1) % 7 == 0 or d + 1 == args.days:
            print(
                f"  day {d + 1:3}: log {row['log_rows']:8,} rows {row['log_mb']:7.1f} MB, "
                f"exposures {row['exposure_rows']:7,} ({row['exposure_mb']:5.1f} MB), "
                f"+{today.rows:,} -{pruned:,} rows, longest batch "
                f"{row.get('max_batch_ms', 0):7.1f} ms  [{time.monotonic() - began:5.0f}s]",
                flush=True,
            )
    return {
        "start": start.isoformat(),
        "end": (start + timedelta(days=args.days)).isoformat(),
        "days": days,
        "day_tops": day_tops,
        "edits_applied": counts,
        "log_rows_at_start": start_rows,
        "log_first_id": first_id,
        "rows_written_total": written_total,
        "real_deletes_seconds": round(deletes_s, 1),
        "reorders_seconds": round(reorders_s, 1),
        "batches": batch_summary(all_batches),
        "longest_batches": [asdict(b) for b in sorted(all_batches, key=lambda b: -b.ms)[:5]],
        # From the day after the window first filled (the seed's rows expire on its last day).
        "steady_batches": batch_summary(steady_batches),
        "steady_rounds": round_summary(steady_rounds_ms, steady_rounds_rows),
        "vacuum": vacuum.events,
        "seconds": round(time.monotonic() - began, 1),
    }
