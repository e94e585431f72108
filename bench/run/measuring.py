"""One case under wrk and one client: req/s, latency, CPU per request, queries per request."""

import json
import os
import subprocess
import sys
from dataclasses import asdict
from urllib.parse import urlsplit

from bench import cases as bench_cases
from bench.load import (
    ROOT,
    Server,
    cpu_used,
    database_cpu_seconds,
    nice_prefix,
    serial_latency_ms,
    wait_for_idle,
    wrk,
)
from bench.run.environment import RESULTS


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
