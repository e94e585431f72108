"""`make bench`: seed N articles in PostgreSQL, serve them with gunicorn, measure with wrk.

For each size N: create the database if missing, migrate, `seed_bulk --articles N`, count SQL
queries per case in-process, then start gunicorn (production settings plus bench/settings.py)
twice: with the response cache off (cold: every request reaches the database) and on (warm:
the shared Redis cache, 304 revalidation, and gzip for clients that accept it). Each case
runs for a few seconds under wrk from a separate process on loopback; the table compares
each Folio case with its v2 equivalent and the warm cases with the bare-Django ceiling
measured by the same server. The edge case (bench/edge/) then puts Varnish in front of a
third server and reads through it while an editor publishes every second. `--only` and
`--skip` choose among the three groups: `--only edge` seeds (or reuses the database) and
runs the edge case alone.
"""

import argparse
import os
from pathlib import Path

from bench.load import ROOT, VENV_BIN
from bench.report import plot
from bench.run.environment import DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, RESULTS
from bench.run.groups import run_size

GROUPS = ("cold", "warm", "edge")


def main(argv=None, prog: str = "python -m bench.run") -> None:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000])
    parser.add_argument(
        "--duration",
        type=int,
        default=int(os.environ.get("BENCH_DURATION", "10")),
        help="seconds of wrk per case",
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--serial",
        type=int,
        default=int(os.environ.get("BENCH_SERIAL", "20")),
        help="one-client requests per case",
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8765")))
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument(
        "--idle",
        type=float,
        default=float(os.environ.get("BENCH_IDLE", "0.8")),
        help="start a case when this share of the CPU is idle (the machine may be shared)",
    )
    parser.add_argument(
        "--idle-wait",
        type=float,
        default=float(os.environ.get("BENCH_IDLE_WAIT", "180")),
        help="seconds to wait for that at most, then measure anyway (recorded)",
    )
    parser.add_argument("--plot", default=str(ROOT / "docs" / "performance.png"))
    parser.add_argument(
        "--only",
        nargs="+",
        choices=GROUPS,
        help="run only these groups of cases (e.g. --only edge)",
    )
    parser.add_argument("--skip", nargs="+", choices=GROUPS, default=[], help="leave these out")
    edge = parser.add_argument_group("edge case (bench/edge/)")
    edge.add_argument(
        "--edge-duration",
        type=int,
        default=int(os.environ.get("BENCH_EDGE_DURATION", "60")),
        help="seconds of wrk, and of publishing one article a second, per run (edge, origin)",
    )
    edge.add_argument(
        "--edge-port", type=int, default=int(os.environ.get("BENCH_EDGE_PORT", "8766"))
    )
    edge.add_argument(
        "--edge-tasks",
        choices=("immediate", "db"),
        default=os.environ.get("BENCH_EDGE_TASKS", "immediate"),
        help="the editor's task backend: the purge sent right after the commit in the editor "
        "(immediate), or by a `manage.py db_worker` beside it (db, as deployed)",
    )
    edge.add_argument(
        "--edge-encoding",
        choices=("gzip", "identity"),
        default=os.environ.get("BENCH_EDGE_ENCODING", "gzip"),
        help="Accept-Encoding of the read mix (gzip: as apps and browsers send it; identity: "
        "none sent, as the other cases)",
    )
    edge.add_argument(
        "--edge-count",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="count every response's status and X-Cache in wrk's Lua (exact hit ratio, at "
        "some of wrk's CPU); without, the hit ratio comes from varnishstat",
    )
    edge.add_argument("--edge-seed", default="1", help="which articles the editor retitles")
    args = parser.parse_args(argv)
    args.groups = [g for g in (args.only or GROUPS) if g not in args.skip]
    if not args.groups:
        raise SystemExit("--only and --skip leave nothing to run")
    args.edge_headers = {"Accept-Encoding": "gzip"} if args.edge_encoding == "gzip" else {}
    if not (VENV_BIN / "gunicorn").exists():
        raise SystemExit(f"gunicorn not found in {VENV_BIN}: run make install-dev first")
    RESULTS.mkdir(parents=True, exist_ok=True)
    for size in args.sizes:
        run_size(args, size)
    if "cold" in args.groups:
        plot(RESULTS, Path(args.plot))
        print(f"Plot: {args.plot}")
