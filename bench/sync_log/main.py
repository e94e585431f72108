"""The command line: seed or reuse, copy, verify, simulate the year, measure, write the JSON."""

import argparse
import json
import logging
import os
import sys
import time
import warnings
from datetime import UTC, datetime

from bench.load import ROOT, django_env
from bench.run import DEFAULT_REDIS_URL, RESULTS, commit, machine, settings_env
from bench.sync_log.client import SyncClient, sync_cases
from bench.sync_log.counterfactual import counterfactual
from bench.sync_log.databases import (
    DEFAULT_DATABASE_URL,
    run_database_create,
    run_database_drop,
    seed,
)
from bench.sync_log.prune import PruneTimer, minute_rounds, prune_defaults
from bench.sync_log.report import report, steady, versions
from bench.sync_log.sizes import Autovacuum, exposures_fingerprint, horizon, sizes
from bench.sync_log.verify import verify
from bench.sync_log.world import MIX, RECENT_SHARE, WEEKDAY_FACTOR, World
from bench.sync_log.year import simulate


def arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.sync_log",
        description="The sync change log's size and pruning cost over a simulated year of edits "
        "(docs/performance.md, 'Sync log retention at 100,000 articles').",
    )
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--edits-per-day", type=float, default=1500)
    parser.add_argument("--rounds-per-day", type=int, default=24, help="scheduler rounds a day")
    parser.add_argument(
        "--retention-days",
        type=int,
        default=None,
        help="SYNC_RETENTION_DAYS for the run (default: the settings', 90); for short debug runs",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed of the edits")
    parser.add_argument("--reps", type=int, default=15, help="timed repetitions of each request")
    parser.add_argument(
        "--catch-up",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="follow syncs from the horizon, from before the year and a full sync to their ends",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_SYNC_LOG_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="the seeded database (kept); the run uses a copy, <name>_run",
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument(
        "--keep-run-database", action="store_true", help="keep <name>_run for inspection"
    )
    args = parser.parse_args(argv)
    args.port = 8765  # only for PUBLIC_BASE_URL: nothing is served
    return args


def django_start(env: dict, run_url: str) -> None:
    """This process becomes the application, on the copy, with no response cache."""
    os.environ.update({**env, "DATABASE_URL": run_url, "API_RESPONSE_CACHE": "0"})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    # The 410s are asked for, and nothing here serves static files.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)


def verified(world: World) -> list[dict]:
    checks = verify(world)
    for check in checks:
        print(
            f"  {check['event']:50} real {check['rows_real']:>3} rows, simulated "
            f"{check.get('rows_simulated', '-'):>3}: "
            + {True: "match", False: "MISMATCH", None: "(real path in the run)"}[check["match"]],
            flush=True,
        )
    if any(check["match"] is False for check in checks):
        print(json.dumps(checks, indent=1, default=str))
        raise SystemExit("the simulated rows differ from the real writer's: fix the simulation")
    return checks


def main(argv=None) -> None:
    args = arguments(argv)
    started = time.monotonic()
    host = machine()  # its load average before the run
    env = django_env(settings_env(args))
    if args.retention_days is not None:
        env["SYNC_RETENTION_DAYS"] = str(args.retention_days)
    seeding = seed(args, env)
    run_url, copy_seconds = run_database_create(args.database_url)
    django_start(env, run_url)
    from django.conf import settings

    retention = settings.SYNC_RETENTION_DAYS
    world = World.load()
    print(
        f"World: {len(world.alive):,} articles, {len(world.orders):,} series, "
        f"{len(world.base_public):,} public; verifying the simulated rows against the real writer",
        flush=True,
    )
    checks = verified(world)

    vacuum = Autovacuum()
    vacuum.take_over()
    client = SyncClient(args.reps)
    with PruneTimer() as timer:
        print(
            f"Simulating {args.days} days of ~{args.edits_per_day:,.0f} edits, "
            f"{args.rounds_per_day} scheduler rounds a day, retention {retention} days:",
            flush=True,
        )
        year = simulate(args, world, timer, vacuum, retention)
        at_horizon = horizon()
        print("Sync requests on the pruned log:", flush=True)
        sync = sync_cases(
            client,
            label="",
            yesterday=year["day_tops"][-2],
            horizon=at_horizon,
            oldest=year["log_first_id"] - 1,
            catch_up=args.catch_up,
        )
        exposures = exposures_fingerprint()
        final = sizes()
        # After the fingerprint: these rounds prune past the year's end.
        minutes = minute_rounds(timer, datetime.fromisoformat(year["end"]))
        cf = counterfactual(args, year, timer, client, retention=retention, at_horizon=at_horizon)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    day_tops = year.pop("day_tops")
    result = {
        "kind": "sync-log",
        "finished_at": stamp,
        "commit": commit(),
        "machine": host,
        "versions": versions(),
        "parameters": {
            "articles": args.articles,
            "days": args.days,
            "edits_per_day": args.edits_per_day,
            "rounds_per_day": args.rounds_per_day,
            "retention_days": retention,
            "seed": args.seed,
            "reps": args.reps,
            "mix": MIX,
            "weekday_factor": WEEKDAY_FACTOR,
            "recent_share": RECENT_SHARE,
            "prune": {**prune_defaults(), "as": "sync_log_prune(now=...)"},
            "autovacuum": vacuum.settings,
        },
        "seeding": seeding,
        "copy_seconds": copy_seconds,
        "verification": checks,
        "delete_sql": timer.delete_sql,
        "year": year,
        "final": final,
        "horizon": at_horizon,
        "yesterday_position": day_tops[-2],
        "steady_state": steady(year["days"], retention),
        "sync": sync,
        "exposures": exposures,
        "minute_rounds": minutes,
        "counterfactual": cf,
        "exposures_match": cf["exposures"] == exposures and cf["horizon"] == at_horizon,
        "seconds": round(time.monotonic() - started, 1),
        "load_average_at_end": os.getloadavg()[0],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"sync-log-{stamp}-{args.articles}.json"
    path.write_text(json.dumps(result, indent=1, default=str) + "\n")
    if not args.keep_run_database:
        run_database_drop(run_url)
    print(report(result))
    print(f"Wrote {path.relative_to(ROOT)} in {result['seconds'] / 60:.1f} min")
