"""One size: seed, run the cold, warm and edge groups, write and print the result."""

import json
from datetime import UTC, datetime
from pathlib import Path

from bench import cases as bench_cases
from bench import edge as bench_edge
from bench.load import ROOT, Server, django_env, gunicorn_settings
from bench.report import table
from bench.run.environment import RESULTS, cache_flush, prepare, settings_env
from bench.run.measuring import count_queries, measure, measure_cold, paired_ceiling
from bench.run.provenance import commit, machine


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
