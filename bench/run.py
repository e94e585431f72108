"""`make bench`: seed N articles in PostgreSQL, serve them with gunicorn, measure with wrk.

For each size N: create the database if missing, migrate, `seed_bulk --articles N`, count SQL
queries per case in-process, then start gunicorn (production settings plus bench/settings.py)
twice: with the response cache off (cold: every request reaches the database) and on (warm:
the shared Redis cache, 304 revalidation, and gzip for clients that accept it). Each case
runs for a few seconds under wrk from a separate process on loopback; the table compares
each Folio case with its v2 equivalent and the warm cases with the bare-Django ceiling
measured by the same server. The edge case (bench/edge.py) then puts Varnish in front of a
third server and reads through it while an editor publishes every second. `--only` and
`--skip` choose among the three groups: `--only edge` seeds (or reuses the database) and
runs the edge case alone.
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from bench import cases as bench_cases
from bench import edge as bench_edge
from bench.load import (
    ROOT,
    VENV_BIN,
    Server,
    cpu_used,
    database_cpu_seconds,
    django_env,
    gunicorn_settings,
    nice_prefix,
    serial_latency_ms,
    wait_for_idle,
    wrk,
)
from bench.report import plot, table

RESULTS = ROOT / "bench" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/folio_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/5"
GROUPS = ("cold", "warm", "edge")


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


def count_queries(env: dict, cases: list, *, cache: bool) -> dict:
    spec = RESULTS / ".cases.tmp"
    spec.write_text(
        json.dumps([{"name": c.name, "path": c.path, "headers": c.headers} for c in cases])
    )
    output = subprocess.run(  # noqa: S603
        [*nice_prefix(), sys.executable, "-m", "bench.queries", str(spec)],
        cwd=ROOT,
        env={**env, "API_RESPONSE_CACHE": "1" if cache else "0"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    spec.unlink()
    return json.loads(output.strip().splitlines()[-1])


def measure(server: Server, case, args, *, mode: str, queries: dict) -> dict:
    url = server.base + case.path
    idle, waited = wait_for_idle(threshold=args.idle, max_wait=args.idle_wait)
    load_before = os.getloadavg()[0]
    serial_latency_ms(url, case.headers, count=5)  # warm-up
    database = urlsplit(args.database_url).path.lstrip("/")
    # CPU per request, exactly: every one of the sequential requests completes.
    app_cpu, db_cpu = server.worker_cpu_seconds(), database_cpu_seconds(database)
    one_client = serial_latency_ms(url, case.headers, count=args.serial)
    serial_app = cpu_used(app_cpu, server.worker_cpu_seconds()) * 1000 / args.serial
    serial_db = cpu_used(db_cpu, database_cpu_seconds(database)) * 1000 / args.serial
    app_cpu, db_cpu = server.worker_cpu_seconds(), database_cpu_seconds(database)
    result = wrk(
        url,
        duration=args.duration,
        threads=args.threads,
        connections=args.connections,
        headers=case.headers,
    )
    app_cpu = cpu_used(app_cpu, server.worker_cpu_seconds())
    db_cpu = cpu_used(db_cpu, database_cpu_seconds(database))
    per_request = max(result.requests, 1)
    row = {
        "case": case.name,
        "mode": mode,
        "path": case.path,
        "note": case.note,
        "one_client_ms": one_client,
        "load_average_before": round(load_before, 2),
        "cpu_idle_before": idle,
        "waited_for_idle_s": waited,
        **asdict(result),
        # CPU per request: what a request costs whoever else shares the machine. The serial
        # figures are exact; under wrk, work on requests still running at the end is counted
        # too (an overestimate when a case completes only a few requests).
        "serial_app_cpu_ms": round(serial_app, 2),
        "serial_db_cpu_ms": round(serial_db, 2),
        "app_cpu_ms": round(app_cpu * 1000 / per_request, 2) if result.requests else None,
        "db_cpu_ms": round(db_cpu * 1000 / per_request, 2) if result.requests else None,
        **queries.get(case.name, {}),
    }
    print(
        f"  {mode:5} {case.name:18} {result.requests_per_second:9.1f} req/s  "
        f"p50 {result.p50_ms or 0:8.2f} ms  p99 {result.p99_ms or 0:8.2f} ms  "
        f"1-client {one_client:7.2f} ms  "
        f"cpu {serial_app:6.2f}+{serial_db:5.2f} ms"
        f"  queries {row.get('queries', '-')}"
        + f"  idle {idle:.0%} (waited {waited:.0f}s)"
        + (f"  ERRORS {result.errors}" if result.errors else ""),
        flush=True,
    )
    return row


def paired_ceiling(server: Server, ceiling, args) -> dict:
    """The ceiling measured again right after a warm case, for the same time.

    A shared virtual machine's speed drifts by a fifth over minutes; a case compared with the
    ceiling measured next to it in time is compared at the same speed of the machine.
    """
    app_cpu = server.worker_cpu_seconds()
    result = wrk(
        server.base + ceiling.path,
        duration=args.duration,
        threads=args.threads,
        connections=args.connections,
        headers=ceiling.headers,
    )
    app_cpu = cpu_used(app_cpu, server.worker_cpu_seconds())
    return {
        "paired_ceiling_rps": result.requests_per_second,
        "paired_ceiling_cpu_ms": round(app_cpu * 1000 / max(result.requests, 1), 2),
    }


def measure_cold(args, server, size: int, cases: list, cold_env: dict, facts: dict, rows) -> list:
    """Every case on the server without the response cache; the workers' RSS after."""
    by_limit = [
        bench_cases.Case(f"list_limit_{n}", f"/api/v1/articles/?limit={n}") for n in (1, 20, 100)
    ]
    cold_queries = count_queries(cold_env, cases + by_limit, cache=False)
    facts["list_queries_by_limit"] = {
        n: cold_queries[f"list_limit_{n}"]["queries"] for n in (1, 20, 100)
    }
    print(f"== N = {size:,}: cold (response cache off), facts {facts}", flush=True)
    for case in cases:
        rows.append(measure(server, case, args, mode="cold", queries=cold_queries))
    return server.worker_rss_mb()


def commit() -> str:
    """The code measured: the checkout's commit, marked when the work tree has changes."""
    try:
        git = shutil.which("git") or "git"
        head = subprocess.run(  # noqa: S603
            [git, "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(  # noqa: S603
            [git, "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{head}+changes" if dirty else head


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    except OSError:
        memory = "0"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(int(memory) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "load_average_at_start": os.getloadavg()[0],
    }


def run_size(args, size: int) -> Path | None:
    env = django_env(settings_env(args))
    print(f"== N = {size:,}: seeding", flush=True)
    seed_seconds = prepare(args, size, env)
    cache_flush(args.redis_url)
    rows, rss = [], {}
    cold_env = {**env, "API_RESPONSE_CACHE": "0"}
    warm_env = {**env, "API_RESPONSE_CACHE": "1"}
    log = RESULTS / "gunicorn.log.tmp"

    facts = {}
    if "cold" in args.groups or "warm" in args.groups:
        with Server(env=cold_env, port=args.port, log_path=log) as server:
            cases, facts = bench_cases.discover(server.base)
            by_name = {case.name: case for case in cases}
            if "cold" in args.groups:
                rss["cold"] = measure_cold(args, server, size, cases, cold_env, facts, rows)

    if "warm" in args.groups:
        cache_flush(args.redis_url)
        with Server(env=warm_env, port=args.port, log_path=log) as server:
            folio = [by_name[name] for name in bench_cases.FOLIO_CASES]
            revalidations = [bench_cases.with_etag(server.base, case) for case in folio]
            compressed = [bench_cases.with_gzip(case) for case in folio]
            warm_queries = count_queries(warm_env, folio + revalidations + compressed, cache=True)
            print(f"== N = {size:,}: warm (shared Redis cache), 304 and gzip", flush=True)
            ceiling = by_name["ceiling"]
            for case in [*folio, ceiling, *revalidations, *compressed]:
                row = measure(server, case, args, mode="warm", queries=warm_queries)
                if case is not ceiling:
                    row.update(paired_ceiling(server, ceiling, args))
                rows.append(row)
            rss["warm"] = server.worker_rss_mb()

    edge = None
    if "edge" in args.groups:
        cache_flush(args.redis_url)
        print(
            f"== N = {size:,}: edge (Varnish in front, publishing every second) and origin",
            flush=True,
        )
        edge = bench_edge.run_edge(args, env, log=log)
        if "rows" in edge:
            rows += edge["rows"]
            rss["edge"] = edge["summary"].pop("worker_rss_mb")

    if not rows:
        print(f"== N = {size:,}: nothing measured, no result written", flush=True)
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    result = {
        "n": size,
        "finished_at": stamp,
        "seed_seconds": seed_seconds,
        "commit": commit(),
        "machine": machine(),
        "load": {
            "tool": "wrk",
            "duration_s": args.duration,
            "threads": args.threads,
            "connections": args.connections,
            "serial_requests": args.serial,
        },
        "gunicorn": {"config": "cms/gunicorn.py", **gunicorn_settings(env)},
        "facts": facts,
        "groups": list(args.groups),
        "worker_rss_mb": rss,
        "rows": rows,
    }
    if edge is not None:
        result["edge"] = edge.get("summary", edge)
    path = RESULTS / f"{stamp}-{size}.json"
    path.write_text(json.dumps(result, indent=1) + "\n")
    log.unlink(missing_ok=True)
    print(table(result))
    print(f"Wrote {path.relative_to(ROOT)}")
    return path


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
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
    edge = parser.add_argument_group("edge case (bench/edge.py)")
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


if __name__ == "__main__":
    main()
