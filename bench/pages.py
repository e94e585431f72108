"""Cases compared interleaved in one process, so that all see the same machine load.

    DJANGO_SETTINGS_MODULE=bench.settings ... python -m bench.pages bench/results/<file>.json
        [--cases list,deep_cursor] [--rounds 15]

Takes the paths a results file measured (by default the first page, `list`, and the last
cursor page, `deep_cursor`), requests each once, then requests them in turn `--rounds` times
and prints the median wall and process-CPU time of each (in-process: no HTTP, no PostgreSQL
CPU in the CPU column).
"""

import argparse
import json
import statistics
import time
from pathlib import Path


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("--cases", default="list,deep_cursor")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args(argv)
    rows = json.loads(Path(args.results).read_text())["rows"]
    paths = {row["case"]: row["path"] for row in rows if row["mode"] == "cold"}

    import django

    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    pages = {name: paths[name] for name in args.cases.split(",")}
    for path in pages.values():
        status = client.get(path).status_code
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
    timings = {name: [] for name in pages}
    for _ in range(args.rounds):
        for name, path in pages.items():
            cpu, wall = time.process_time(), time.perf_counter()
            client.get(path)
            timings[name].append(
                ((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000)
            )
    for name, values in timings.items():
        wall = statistics.median(v[0] for v in values)
        cpu = statistics.median(v[1] for v in values)
        print(f"{name}: wall p50 {wall:.1f} ms, process CPU p50 {cpu:.1f} ms")


if __name__ == "__main__":
    main()
