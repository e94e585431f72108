"""The warm path in microseconds: cached responses and the bare view, through the WSGI handler.

    DJANGO_SETTINGS_MODULE=bench.settings ... python -m bench.warm_path [--repeat 2000] [--profile]

wrk measures the whole server (gunicorn's HTTP handling, the network, the other processes on
two cores); this measures only what Django does for a request, in-process, with the shared
Redis cache of the benchmark settings: the ceiling view, then a warm list, search, series and
detail, a 304 and a gzipped list, each the best of five rounds of `--repeat` requests.
`--profile` adds cProfile's view of the warm list.
"""

import argparse
import io
import json
import sys
import time


def _environ(path: str, headers: dict | None = None) -> dict:
    path_info, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8765",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8765",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        **(headers or {}),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()
    statuses = []

    def call(path: str, headers: dict | None = None) -> bytes:
        body = handler(_environ(path, headers), lambda status, _headers: statuses.append(status))
        content = b"".join(body)
        body.close()
        return content

    def microseconds(path: str, headers: dict | None = None) -> float:
        call(path, headers)  # stores the response, and warms per-process caches
        call(path, headers)
        rounds = []
        for _ in range(5):
            start = time.perf_counter()
            for _ in range(args.repeat):
                call(path, headers)
            rounds.append((time.perf_counter() - start) / args.repeat * 1e6)
        return min(rounds)

    series = json.loads(call("/api/v1/series/?limit=1"))["results"][0]["slug"]
    detail = json.loads(call(f"/api/v1/series/{series}/"))["articles"][0]["slug"]
    paths = {
        "ceiling": "/bench/ceiling",
        "list": "/api/v1/articles/",
        "list_search": "/api/v1/articles/?search=migraine",
        "series": f"/api/v1/series/{series}/",
        "detail": f"/api/v1/articles/{detail}/",
    }
    print(f"{'case':<12} {'µs':>8}  status")
    for name, path in paths.items():
        print(f"{name:<12} {microseconds(path):8.1f}  {statuses[-1]}")
    handler_response = handler(_environ(paths["list"]), lambda status, headers: None)
    etag = handler_response.headers["ETag"]
    handler_response.close()
    revalidation = {"HTTP_IF_NONE_MATCH": etag}
    print(f"{'list 304':<12} {microseconds(paths['list'], revalidation):8.1f}  {statuses[-1]}")
    compressed = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
    print(f"{'list gzip':<12} {microseconds(paths['list'], compressed):8.1f}  {statuses[-1]}")

    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.repeat):
            call(paths["list"])
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
