"""Where the time goes: pyinstrument and a timed query log for one case, in-process.

    DJANGO_SETTINGS_MODULE=bench.settings ... python -m bench.profile PATH [--repeat 20]
    ... python -m bench.profile CASE --results bench/results/<file>.json  (the path it measured)

Runs under the benchmark settings with the response cache off (API_RESPONSE_CACHE=0 in the
environment), requests PATH once to warm per-process caches, then profiles `--repeat` more
requests and logs every SQL statement of one request with its time and, with `--explain`, the
PostgreSQL plan of the slowest.
"""

import argparse
import time


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", help="a path, or a case name with --results")
    parser.add_argument("--results", help="a results file whose rows give the case's path")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--html", default="", help="also write pyinstrument's HTML report here")
    args = parser.parse_args(argv)

    if args.results:
        import json
        from pathlib import Path

        rows = json.loads(Path(args.results).read_text())["rows"]
        args.path = next(row["path"] for row in rows if row["case"] == args.path)

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    client = Client(HTTP_HOST="127.0.0.1")
    response = client.get(args.path)
    print(f"GET {args.path} -> {response.status_code}, {len(response.content):,} bytes")

    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    profiler.start()
    for _ in range(args.repeat):
        client.get(args.path)
    profiler.stop()
    elapsed = (time.perf_counter() - started) * 1000 / args.repeat
    print(f"mean {elapsed:.1f} ms per request over {args.repeat} (in-process, profiled)")
    print(profiler.output_text(unicode=False, color=False, short_mode=False))
    if args.html:
        with open(args.html, "w") as out:
            out.write(profiler.output_html())

    with CaptureQueriesContext(connection) as captured:
        client.get(args.path)
    queries = captured.captured_queries
    total = sum(float(q["time"]) for q in queries) * 1000
    print(f"{len(queries)} queries, {total:.1f} ms in the database driver")
    for number, query in enumerate(queries, 1):
        print(f"--- {number}: {float(query['time']) * 1000:.2f} ms\n{query['sql'][:1500]}")
    if args.explain:
        slowest = sorted(queries, key=lambda q: float(q["time"]), reverse=True)[:3]
        for query in slowest:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
            print(f"--- plan of a slow query ({float(query['time']) * 1000:.2f} ms)")
            print(query["sql"][:600])
            print(plan)


if __name__ == "__main__":
    main()
