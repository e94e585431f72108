"""The read mix: its paths found on a running server, warming, and the sweep after a run."""

import gzip
import json
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

from bench.load import ROOT, get

SCRIPT = ROOT / "bench" / "edge_mix.lua"
# The lists of the read mix, and how many lines of the paths file each gets: with one line
# per article detail (2,000), the lists are a fifth of the requests.
LIST_WEIGHTS = {"list": 150, "list_limit_5": 100, "topic": 50, "series": 50, "feed": 50}
TOPICS = 3  # `?topic=` lists in the mix, 50 lines each
# `cursor=<payload>:<timestamp>:<signature>` (a TimestampSigner's value, URL-encoded).
SIGNED_CURSOR = re.compile(rb"(cursor=[A-Za-z0-9_-]+)%3A[A-Za-z0-9_-]+%3A[A-Za-z0-9_-]+")


def read_mix(base: str) -> tuple[list[tuple[str, int]], dict]:
    """Every article detail once, and the lists with LIST_WEIGHTS, found on a running server."""
    slugs, url = [], base + "/api/v1/articles/?limit=100"
    while url:
        page = _json(get(url))
        slugs += [item["slug"] for item in page["results"]]
        url = page["next"]
    topics = _json(get(base + "/api/v1/topics/?limit=100"))["results"]
    series = _json(get(base + "/api/v1/series/?limit=100"))["results"]
    chosen_series = min(series, key=lambda s: (abs(s["article_count"] - 6), s["slug"]))
    chosen_topics = sorted(topic["slug"] for topic in topics)[:TOPICS]
    mix = [(f"/api/v1/articles/{slug}/", 1) for slug in slugs]
    mix += [
        ("/api/v1/articles/", LIST_WEIGHTS["list"]),
        ("/api/v1/articles/?limit=5", LIST_WEIGHTS["list_limit_5"]),
        *(
            (f"/api/v1/articles/?{urlencode({'topic': slug})}", LIST_WEIGHTS["topic"])
            for slug in chosen_topics
        ),
        (f"/api/v1/series/{chosen_series['slug']}/", LIST_WEIGHTS["series"]),
        ("/feeds/articles.rss", LIST_WEIGHTS["feed"]),
    ]
    lines = sum(weight for _, weight in mix)
    facts = {
        "details": len(slugs),
        "lists": [path for path, weight in mix if weight > 1],
        "paths_file_lines": lines,
        "detail_share": round(len(slugs) / lines, 3),
        "slugs": slugs,
    }
    return mix, facts


def _json(answer: tuple[int, dict, bytes]) -> dict:
    status, _, body = answer
    if status != 200:
        raise RuntimeError(f"edge read mix discovery failed with {status}: {body[:300]!r}")
    return json.loads(body)


def write_paths(mix: list[tuple[str, int]], path: Path) -> None:
    path.write_text("".join(f"{line}\n" * weight for line, weight in mix))


def warm(base: str, paths: list[str], headers: dict) -> dict[str, int]:
    """One request for every path (four at a time); the statuses seen, by status."""

    def one(path: str) -> int:
        return get(base + path, headers)[0]

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = Counter(pool.map(one, paths))
    return {str(status): count for status, count in sorted(statuses.items())}


def sweep(edge: str, origin: str, paths: list[str], headers: dict) -> dict:
    """Every path through the edge and straight from the origin, after the publishing stopped.

    The origin's answer is current (its response cache is invalidated by every commit), so
    an edge body that differs from it is an object the purges missed: stale for a day.
    """

    def body(url: str) -> tuple[int, bytes]:
        status, response_headers, content = get(url, headers)
        encoding = {k.lower(): v for k, v in response_headers.items()}.get("content-encoding")
        content = gzip.decompress(content) if encoding == "gzip" else content
        # A list's `next` cursor is signed with the time it was made: the same page a second
        # later differs there alone.
        return status, SIGNED_CURSOR.sub(rb"\1", content)

    def compare(path: str) -> bool:
        return body(edge + path) == body(origin + path)

    with ThreadPoolExecutor(max_workers=4) as pool:
        same = list(pool.map(compare, paths))
    differing = [path for path, equal in zip(paths, same, strict=True) if not equal]
    return {"paths": len(paths), "stale": len(differing), "stale_paths": differing[:20]}
