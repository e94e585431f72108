"""A bounded soak: wrk drives lists, details, search, feeds and 304s at a real server while an
editor publishes every few seconds. Nothing may fail: no 5xx, no other error status, no socket
error, and every publish is visible on the next request (no stale cached body survives it).

`FOLIO_SOAK_SECONDS` (default 60) and `FOLIO_SOAK_CONNECTIONS` (default 32) size the run; the
latency figures are printed and recorded in docs/reliability.md.
"""

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import service_missing
from tests.factories import series_with_members
from tests.live.conftest import ROOT

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SECONDS = int(os.environ.get("FOLIO_SOAK_SECONDS", "60"))
CONNECTIONS = int(os.environ.get("FOLIO_SOAK_CONNECTIONS", "32"))
PUBLISH_EVERY = 3.0

# Requests picked at random by each wrk connection; `etag` ones revalidate with If-None-Match.
SCRIPT = """
local paths = {PATHS}
local etags = {ETAGS}
local seed = 0
setup = function(thread) seed = seed + 1; thread:set("seed", seed) end
init = function(args) math.randomseed(seed * 7919) end
request = function()
  if math.random() < 0.2 then
    local i = math.random(#etags)
    return wrk.format("GET", etags[i][1], {["Host"] = "localhost", ["If-None-Match"] = etags[i][2]})
  end
  return wrk.format("GET", paths[math.random(#paths)], {["Host"] = "localhost"})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'SOAK {"requests": %d, "connect": %d, "read": %d, "write": %d, "status": %d, '
    .. '"timeout": %d, "p50_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, "rps": %.1f}\\n',
    summary.requests, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests / (summary.duration / 1e6)))
end
"""


def lua_list(items) -> str:
    return "{" + ", ".join(items) + "}"


@pytest.fixture
def wrk():
    binary = shutil.which("wrk")
    if binary is None:
        service_missing("wrk (Debian's package, the soak test's load generator)")
    return binary


def test_soak_under_publishing(app_servers, wrk, make_article, tmp_path):
    articles = [make_article(slug=f"soak-{n}", tags=["soak"]) for n in range(12)]
    series_with_members(*articles[:5], slug="soak-series")
    (server,) = app_servers(1, API_ANONYMOUS_RATE="", GUNICORN_WORKERS="2", GUNICORN_THREADS="4")
    paths = [
        "/api/v1/articles/",
        "/api/v1/articles/?limit=5",
        "/api/v1/articles/soak-3/",
        "/api/v1/articles/soak-7/",
        "/api/v1/articles/?search=soak",
        "/api/v1/series/soak-series/",
        "/api/v1/topics/",
        "/api/v1/sync/",
        "/feeds/articles.rss",
        "/feeds/articles.json",
    ]
    etags = []
    for path in paths[:3] + paths[8:9]:
        response = server.get(path)
        assert response.status == 200
        etags.append(f'{{"{path}", {json.dumps(response.headers["ETag"])}}}')
    script = tmp_path / "soak.lua"
    script.write_text(
        SCRIPT.replace("{PATHS}", lua_list(f'"{p}"' for p in paths)).replace(
            "{ETAGS}", lua_list(etags)
        )
    )
    load = subprocess.Popen(  # noqa: S603
        [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "10s", "-s", str(script),
         server.base],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT,
    )  # fmt: skip

    published, stale = 0, []
    deadline = time.monotonic() + SECONDS - PUBLISH_EVERY
    while time.monotonic() < deadline:
        time.sleep(PUBLISH_EVERY)
        published += 1
        slug = f"fresh-{published}"
        make_article(slug=slug, days=10_000 + published, tags=["soak"])
        newest = json.loads(server.get("/api/v1/articles/?limit=1").body)["results"][0]["slug"]
        if newest != slug:
            stale.append((slug, newest))
    output, _ = load.communicate(timeout=SECONDS + 60)

    summary_line = next((line for line in output.splitlines() if line.startswith("SOAK ")), None)
    assert summary_line, output
    summary = json.loads(summary_line.removeprefix("SOAK "))
    print(f"\nsoak: {published} publishes; {summary}")
    Path(ROOT / "test-artifacts").mkdir(exist_ok=True)
    (ROOT / "test-artifacts" / "soak.json").write_text(
        json.dumps({**summary, "publishes": published, "seconds": SECONDS}, indent=2)
    )
    assert load.returncode == 0, output
    assert summary["requests"] > 0
    errors = {k: summary[k] for k in ("connect", "read", "write", "status", "timeout")}
    assert errors == dict.fromkeys(errors, 0), output
    assert published >= max(3, SECONDS // 10)  # each publish takes a while under load
    assert stale == []
    # The server process survived the whole run.
    assert server.process.poll() is None
    assert server.get("/healthz").status == 200
