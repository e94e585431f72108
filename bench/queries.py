"""SQL queries per request, counted in-process with Django's test client (steady state).

Run by the harness as `python -m bench.queries CASES.json` under the benchmark settings; each
case is requested once to warm per-process caches (content types, the site, the response
cache when it is on), then again with the queries captured. Prints {name: count} as JSON.
"""

import json
import sys


def main(path: str) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    cases = json.loads(open(path).read())  # noqa: SIM115
    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for case in cases:
        headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in case["headers"].items()}
        client.get(case["path"], **headers)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(case["path"], **headers)
        counts[case["name"]] = {
            "queries": len(captured.captured_queries),
            "status": response.status_code,
        }
    print(json.dumps(counts))


if __name__ == "__main__":
    main(sys.argv[1])
