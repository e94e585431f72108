"""The edge case: Varnish in front of the benchmark's gunicorn, read while an editor publishes.

One gunicorn (production settings plus bench/settings.py, the Redis response cache on,
`CDN_MAX_AGE` so the edge may keep answers for a day) behind a varnishd running the VCL of
`manage.py varnish_vcl`. The same read mix (mostly article details over every slug, plus the
lists, a series and the feed) is sent by wrk twice, each time while `bench.edge_editor`
publishes a new title of a random article every second:

- edge: through Varnish, the editor configured to purge it (`CDN_BACKEND=varnish`);
- origin: straight to gunicorn, the editor with no CDN (a deployment without an edge).

The editor times how long each new title takes to show through what is being read (the
staleness). The result holds both runs as rows, and a summary with the ratio of their req/s,
the edge's hit ratio, the staleness percentiles and the acceptance targets.
"""

import glob
import gzip
import json
import math
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from bench.load import (
    ROOT,
    Server,
    cpu_used,
    database_cpu_seconds,
    get,
    nice_prefix,
    process_cpu_seconds,
    wait_for_idle,
    wrk_output,
)

SCRIPT = ROOT / "bench" / "edge_mix.lua"
INSTALL_HINT = "apt-get install varnish varnish-modules"
# Where Debian (multiarch) and a source build put vmods (as tests/edge_support.py looks).
XKEY_VMODS = tuple(
    f"{prefix}/varnish/vmods/libvmod_xkey.so"
    for prefix in ("/usr/lib/*", "/usr/lib", "/usr/local/lib")
)

# The edge keeps an answer for a day: every editorial change purges what it altered.
CDN_MAX_AGE = "86400"
# The lists of the read mix, and how many lines of the paths file each gets: with one line
# per article detail (2,000), the lists are a fifth of the requests.
LIST_WEIGHTS = {"list": 150, "list_limit_5": 100, "topic": 50, "series": 50, "feed": 50}
TOPICS = 3  # `?topic=` lists in the mix, 50 lines each
# `cursor=<payload>:<timestamp>:<signature>` (a TimestampSigner's value, URL-encoded).
SIGNED_CURSOR = re.compile(rb"(cursor=[A-Za-z0-9_-]+)%3A[A-Za-z0-9_-]+%3A[A-Za-z0-9_-]+")

# The acceptance targets (issue "Edge delivery", point 6).
TARGET_P99_STALENESS_S = 5.0
TARGET_HIT_RATIO = 0.95


def varnish_missing() -> str | None:
    """What is missing to run the edge case, or None when nothing is."""
    if shutil.which("varnishd") is None or shutil.which("varnishstat") is None:
        return "varnishd"
    if not any(glob.glob(pattern) for pattern in XKEY_VMODS):
        return "varnish-modules' vmod xkey"
    return None


class VarnishNode:
    """varnishd in the foreground on a loopback port, with a `-n` directory of its own.

    Started as tests/edge_support.py starts it (`-j none`: no switch to the varnish users,
    which could not read a VCL in a private temporary directory) with Folio's recommended
    parameters and Varnish's defaults otherwise, at the harness's nice level.
    """

    def __init__(self, *, vcl: Path, workdir: Path, port: int):
        self.vcl = vcl
        self.name_dir = workdir / "varnishd"
        self.log_path = workdir / "varnishd.log"
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "VarnishNode":
        from api.delivery.cdn.vcl import RECOMMENDED_PARAMETERS

        self.process = subprocess.Popen(  # noqa: S603 - varnishd from the Debian package
            [
                *nice_prefix(),
                shutil.which("varnishd") or "varnishd",
                "-F",
                "-j",
                "none",
                "-n",
                str(self.name_dir),
                "-a",
                f"127.0.0.1:{self.port}",
                "-f",
                str(self.vcl),
                "-s",
                "malloc,256m",
                *RECOMMENDED_PARAMETERS,
            ],
            stdin=subprocess.DEVNULL,
            stdout=self.log_path.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while not self._running():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError(f"varnishd did not start: {self.log_path.read_text()[-2000:]}")
            time.sleep(0.2)
        return self

    def _running(self) -> bool:
        # The manager accepts connections before its child serves them: ask the child's state.
        status = subprocess.run(  # noqa: S603
            [shutil.which("varnishadm") or "varnishadm", "-n", str(self.name_dir), "status"],
            capture_output=True,
            text=True,
            check=False,
        )
        return status.returncode == 0 and "running" in status.stdout

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def pids(self) -> list[int]:
        """The manager and its child (the cache process that serves every request)."""
        if not self.process:
            return []
        found = [self.process.pid]
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == self.process.pid:
                found.append(int(stat.parent.name))
        return found

    def cpu_seconds(self) -> dict[int, float]:
        return {pid: process_cpu_seconds(pid) for pid in self.pids()}

    def counters(self) -> dict[str, int]:
        """varnishstat's MAIN counters, by name without the prefix."""
        output = subprocess.run(  # noqa: S603
            [shutil.which("varnishstat") or "varnishstat", "-n", str(self.name_dir), "-1", "-j"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        counters = json.loads(output)
        counters = counters.get("counters", counters)  # Varnish 6.5+ nests them
        return {
            name.removeprefix("MAIN."): entry["value"]
            for name, entry in counters.items()
            if name.startswith("MAIN.") and isinstance(entry, dict) and "value" in entry
        }


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


class Editor:
    """`bench.edge_editor` in a subprocess, driven over its stdin and stdout."""

    def __init__(self, env: dict, spec: dict, workdir: Path, name: str):
        self.spec_path = workdir / f"{name}-editor-spec.json"
        self.output = workdir / f"{name}-editor.json"
        self.log = workdir / f"{name}-editor.log"
        self.spec_path.write_text(json.dumps(spec))
        self.process = subprocess.Popen(  # noqa: S603 - our own module
            [
                *nice_prefix(),
                sys.executable,
                "-m",
                "bench.edge_editor",
                str(self.spec_path),
                str(self.output),
            ],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log.open("ab"),
            text=True,
        )
        self.expect("ready")

    def expect(self, word: str) -> str:
        line = self.process.stdout.readline().strip()
        if not line.startswith(word):
            self.process.kill()
            raise RuntimeError(
                f"edge editor said {line!r}, not {word!r}: {self.log.read_text()[-3000:]}"
            )
        return line

    def say(self, word: str) -> None:
        self.process.stdin.write(word + "\n")
        self.process.stdin.flush()

    def cpu_seconds(self) -> float:
        return process_cpu_seconds(self.process.pid)

    def finish(self) -> dict:
        self.expect("measured")
        return json.loads(self.output.read_text())

    def restore(self) -> str:
        self.say("restore")
        line = self.expect("restored")
        self.process.stdin.close()
        self.process.wait(timeout=120)
        return line


def percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile: a value that was measured, never an interpolation."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def staleness_summary(samples: list[dict]) -> dict:
    seen = [s["staleness_s"] for s in samples if s.get("seen")]
    unseen = len(samples) - len(seen)
    # A title never seen counts as stale for the whole give-up time, so it weighs on the p99.
    from bench.edge_editor import POLL_GIVE_UP

    values = seen + [POLL_GIVE_UP] * unseen
    return {
        "publishes": len(samples),
        "seen": len(seen),
        "not_seen_within_s": POLL_GIVE_UP if unseen else None,
        "not_seen": unseen,
        "p50_s": percentile(values, 0.5),
        "p99_s": percentile(values, 0.99),
        "max_s": max(values) if values else None,
        "mean_s": round(sum(values) / len(values), 4) if values else None,
    }


def purge_summary(editor: dict) -> dict:
    """The purges the edge run's publishes queued: their keys, and when they were sent."""
    rows, samples = editor.get("purges", []), editor["samples"]
    keys = [len(row["keys"]) for row in rows]
    queued = [s["queued_after_commit_ms"] for s in samples if "queued_after_commit_ms" in s]
    sent = [s["sent_after_commit_ms"] for s in samples if "sent_after_commit_ms" in s]
    return {
        "rows": len(rows),
        "pending_at_end": sum(1 for row in rows if row["status"] != "done"),
        "retried": sum(1 for row in rows if row["attempts"] > 1),
        "keys_per_purge_p50": percentile(keys, 0.5),
        "keys_per_purge_max": max(keys) if keys else None,
        # An article the edge was never told was visible (`EdgeVisibleArticle`) is planned as
        # appearing: its neighbours' navigation and the series list are purged too.
        "planned_as_appearing": sum(1 for s in samples if "series" in s.get("purge_keys", ())),
        "queued_after_commit_ms_p50": percentile(queued, 0.5),
        "sent_after_commit_ms_p50": percentile(sent, 0.5),
        "sent_after_commit_ms_p99": percentile(sent, 0.99),
        "sent_after_commit_ms_max": max(sent) if sent else None,
    }


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has been busy (every core, every process, interrupts)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values) - idle) / os.sysconf("SC_CLK_TCK")


class CpuTracker(threading.Thread):
    """CPU used by a changing set of processes, sampled every second while it runs.

    gunicorn closes its database connections after DATABASE_CONN_MAX_AGE (60 s), so over a
    minute's run PostgreSQL backends end and new ones start: one sample before and one after
    would lose the CPU of every backend that ended in between. A backend that ends loses at
    most its last second here.
    """

    def __init__(self, sample):
        super().__init__(daemon=True)
        self.sample = sample
        self.first = sample()
        self.last = dict(self.first)
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(1.0):
            self.last.update(self.sample())

    def stop(self) -> float:
        self.stopping.set()
        self.join()
        self.last.update(self.sample())
        return sum(max(0.0, cpu - self.first.get(pid, 0.0)) for pid, cpu in self.last.items())


def mix_run(server, node, editor: Editor | None, url: str, args, paths: Path, *, duration: int):
    """wrk over the read mix (while the editor publishes, if any); load and CPU figures."""
    database = urlsplit(args.database_url).path.lstrip("/")
    app, edge = server.worker_cpu_seconds(), node.cpu_seconds()
    db = CpuTracker(lambda: database_cpu_seconds(database))
    db.start()
    editor_cpu = editor.cpu_seconds() if editor else 0.0
    counters = node.counters()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy, started = machine_busy_seconds(), time.monotonic()
    if editor:
        editor.say("go")
    result, output = wrk_output(
        url,
        duration=duration,
        threads=args.threads,
        connections=args.connections,
        headers=args.edge_headers,
        script=SCRIPT,
        script_args=(str(paths), "count" if args.edge_count else "nocount"),
    )
    busy, elapsed = machine_busy_seconds() - busy, time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # wrk is the only child the harness waited for during the run.
    wrk_cpu = (after.ru_utime - children.ru_utime) + (after.ru_stime - children.ru_stime)
    # Neither gunicorn's workers (no recycling) nor varnishd's processes change in a run.
    app, edge = cpu_used(app, server.worker_cpu_seconds()), cpu_used(edge, node.cpu_seconds())
    db = db.stop()
    editor_cpu = editor.cpu_seconds() - editor_cpu if editor else 0.0
    ours = app + db + edge + wrk_cpu + editor_cpu
    counted = {}
    for line in output.splitlines():
        if line.startswith("EDGE_MIX "):
            counted = json.loads(line.removeprefix("EDGE_MIX "))
    stats = node.counters()
    stats = {name: stats.get(name, 0) - counters.get(name, 0) for name in VARNISH_COUNTERS}
    per_request = max(result.requests, 1) / 1000
    return result, {
        "app_cpu_ms": round(app / per_request, 3),
        "db_cpu_ms": round(db / per_request, 3),
        "varnish_cpu_ms": round(edge / per_request, 3),
        "wrk_cpu_ms": round(wrk_cpu / per_request, 3),
        "editor_cpu_s": round(editor_cpu, 2),
        # Cores in use during the run, and those not used by the processes above: other
        # users of the machine, Redis, interrupts (a shared machine's share of the run).
        "machine_busy_cores": round(busy / elapsed, 2),
        "other_busy_cores": round(max(0.0, busy - ours) / elapsed, 2),
        "counted": counted,
        "varnish_counters": stats,
    }


# The varnishstat counters kept per run (differences over the wrk run).
VARNISH_COUNTERS = (
    "client_req",
    "cache_hit",
    "cache_hit_grace",
    "cache_miss",
    "cache_hitmiss",
    "cache_hitpass",
    "s_pass",
    "backend_req",
    "n_expired",
    "n_lru_nuked",
    "n_obj_purged",
)


def hit_ratio(counted: dict) -> float | None:
    total = sum(counted.get(name, 0) for name in ("hits", "misses", "uncached"))
    return round(counted["hits"] / total, 5) if total else None


def run_edge(args, env: dict, *, log: Path) -> dict:
    """Both runs and their summary; {"skipped": why} when Varnish is not installed."""
    missing = varnish_missing()
    if missing:
        message = f"the edge case needs {missing}: {INSTALL_HINT}"
        print(f"== edge: skipped; {message}", flush=True)
        return {"skipped": message}
    node_url = f"http://127.0.0.1:{args.edge_port}"
    cdn = {"CDN_BACKEND": "varnish", "CDN_VARNISH_URLS": node_url}
    tasks = {
        "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        "db": "django_tasks_db.DatabaseBackend",
    }[args.edge_tasks]
    # The server as `make edge` runs it: the CDN settings, and s-maxage for the edge.
    server_env = {**env, "API_RESPONSE_CACHE": "1", "CDN_MAX_AGE": CDN_MAX_AGE, **cdn}
    editor_env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "TASKS_BACKEND": tasks,
        "LOG_LEVEL": "WARNING",
    }
    rows, runs = [], {}
    with tempfile.TemporaryDirectory(prefix="folio-bench-edge-") as workdir_name:
        workdir = Path(workdir_name)
        vcl = workdir / "folio.vcl"
        subprocess.run(  # noqa: S603 - our own manage.py
            [
                sys.executable,
                "manage.py",
                "varnish_vcl",
                "--backend",
                f"127.0.0.1:{args.port}",
                "--output",
                str(vcl),
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        with (
            Server(env=server_env, port=args.port, log_path=log) as server,
            VarnishNode(vcl=vcl, workdir=workdir, port=args.edge_port) as node,
        ):
            mix, facts = read_mix(server.base)
            paths_file = workdir / "paths.txt"
            write_paths(mix, paths_file)
            distinct = [path for path, _ in mix]
            slugs = facts.pop("slugs")
            worker = None
            if args.edge_tasks == "db":
                # The production path: purges (and every other task) sent by the worker.
                worker = subprocess.Popen(  # noqa: S603 - our own manage.py
                    [*nice_prefix(), sys.executable, "manage.py", "db_worker", "--no-reload"],
                    cwd=ROOT,
                    env={**editor_env, **cdn},
                    stdout=log.open("ab"),
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            try:
                for name, base, editor_cdn in (
                    ("edge", node.base, cdn),
                    ("origin", server.base, {}),
                ):
                    runs[name] = run_one(
                        args,
                        name=name,
                        server=server,
                        node=node,
                        base=base,
                        paths=(paths_file, distinct),
                        editor_env={**editor_env, **editor_cdn},
                        slugs=slugs,
                        workdir=workdir,
                    )
                    rows += runs[name].pop("rows")
            finally:
                if worker is not None and worker.poll() is None:
                    os.killpg(worker.pid, signal.SIGTERM)
                    worker.wait(timeout=30)
            rss = server.worker_rss_mb()
    summary = summarize(args, rows, runs)
    summary.update(
        read_mix=facts,
        tasks_backend=tasks,
        cdn_max_age=int(CDN_MAX_AGE),
        headers=args.edge_headers,
        worker_rss_mb=rss,
    )
    return {"rows": rows, "summary": summary}


def run_one(args, *, name, server, node, base, paths, editor_env, slugs, workdir) -> dict:
    """Warm `base` with every path; the read mix alone, then while the editor publishes."""
    paths_file, distinct = paths
    warmed = warm(base, distinct, args.edge_headers)
    # The same mix with nothing published: what publishing every second costs each side.
    idle, waited = wait_for_idle(threshold=args.idle, max_wait=args.idle_wait)
    load_before = os.getloadavg()[0]
    result, extra = mix_run(server, node, None, base, args, paths_file, duration=args.duration)
    quiet = mix_row(name, "edge_mix_no_publish", result, extra, (idle, waited, load_before))
    quiet["warm_statuses"] = warmed
    print_row(quiet)
    spec = {
        "base": base,
        "headers": args.edge_headers,
        "slugs": slugs,
        "seconds": args.edge_duration,
        "interval": 1.0,
        "seed": f"{name}-{args.edge_seed}",
        "run": f"{name[0]}{int(time.time())}",
    }
    # Django set up in the editor before the machine is found idle: the run starts at once.
    editor = Editor(editor_env, spec, workdir, name)
    idle, waited = wait_for_idle(threshold=args.idle, max_wait=args.idle_wait)
    load_before = os.getloadavg()[0]
    try:
        result, extra = mix_run(
            server, node, editor, base, args, paths_file, duration=args.edge_duration
        )
        editor_result = editor.finish()
        stale = (
            sweep(node.base, server.base, distinct, args.edge_headers) if name == "edge" else None
        )
        restored = editor.restore()
    finally:
        if editor.process.poll() is None:
            editor.process.kill()
            editor.process.wait()
    row = mix_row(name, "edge_mix", result, extra, (idle, waited, load_before))
    row["staleness"] = staleness_summary(editor_result["samples"])
    print_row(row)
    return {
        "rows": [quiet, row],
        "editor": {key: value for key, value in editor_result.items() if key != "purges"},
        "purges": purge_summary(editor_result),
        "sweep": stale,
        "restored": restored,
    }


def mix_row(name: str, case: str, result, extra: dict, before: tuple) -> dict:
    idle, waited, load_before = before
    counted = extra["counted"]
    return {
        "case": case,
        "mode": name,
        "path": "the read mix (bench/edge_mix.lua)",
        "note": ("through Varnish" if name == "edge" else "straight to gunicorn")
        + (", publishing every second" if case == "edge_mix" else ", nothing published"),
        "one_client_ms": None,
        "load_average_before": round(load_before, 2),
        "cpu_idle_before": idle,
        "waited_for_idle_s": waited,
        **asdict(result),
        **{key: value for key, value in extra.items() if key != "counted"},
        "responses": counted,
        "hit_ratio": hit_ratio(counted) if counted and name == "edge" else None,
        "responses_5xx": counted.get("s5xx") if counted else None,
    }


def print_row(row: dict) -> None:
    staleness = row.get("staleness")
    print(
        f"  {row['mode']:6} {row['case']:19} {row['requests_per_second']:9.1f} req/s  "
        f"p50 {row['p50_ms'] or 0:8.2f} ms  p99 {row['p99_ms'] or 0:8.2f} ms  "
        f"hit {row['hit_ratio'] if row['hit_ratio'] is not None else '-'}  "
        + (
            f"staleness p50 {staleness['p50_s']} s p99 {staleness['p99_s']} s "
            f"max {staleness['max_s']} s ({staleness['publishes']} publishes)  "
            if staleness
            else ""
        )
        + f"other cores {row['other_busy_cores']}  idle {row['cpu_idle_before']:.0%} "
        f"(waited {row['waited_for_idle_s']:.0f}s)"
        + (f"  ERRORS {row['errors']}" if row["errors"] else ""),
        flush=True,
    )


def summarize(args, rows: list[dict], runs: dict) -> dict:
    by_mode = {row["mode"]: row for row in rows if row["case"] == "edge_mix"}
    edge, origin = by_mode["edge"], by_mode["origin"]
    quiet = {row["mode"]: row for row in rows if row["case"] == "edge_mix_no_publish"}
    fives = [row.get("responses_5xx") for row in rows]
    # Without the Lua counts, wrk's non-2xx/3xx count bounds the 5xx from above.
    fives_known = all(value is not None for value in fives)
    total_5xx = sum(fives) if fives_known else sum(row["errors"] for row in rows)
    # The editor's polls read the same edge and origin.
    poll_5xx = sum(
        count
        for run in runs.values()
        for sample in run["editor"]["samples"]
        for status, count in sample.get("poll_statuses", {}).items()
        if status.isdigit() and int(status) >= 500
    )
    staleness = edge["staleness"]
    ratio = (
        round(edge["requests_per_second"] / origin["requests_per_second"], 2)
        if origin["requests_per_second"]
        else None
    )
    targets = {
        "p99 staleness <= 5 s": staleness["p99_s"] is not None
        and staleness["p99_s"] <= TARGET_P99_STALENESS_S,
        "hit ratio >= 95%": edge["hit_ratio"] is not None and edge["hit_ratio"] >= TARGET_HIT_RATIO,
        "no 5xx": total_5xx == 0 and poll_5xx == 0 and not any(row["errors"] for row in rows),
    }
    return {
        "duration_s": args.edge_duration,
        "no_publish_duration_s": args.duration,
        "edge_rps": edge["requests_per_second"],
        "origin_rps": origin["requests_per_second"],
        "edge_rps_no_publish": quiet["edge"]["requests_per_second"],
        "origin_rps_no_publish": quiet["origin"]["requests_per_second"],
        "edge_over_origin": ratio,
        "hit_ratio": edge["hit_ratio"],
        "staleness": staleness,
        "origin_staleness": origin["staleness"],
        "responses_5xx": {f"{row['mode']} {row['case']}": row.get("responses_5xx") for row in rows},
        "poll_5xx": poll_5xx,
        "errors": {f"{row['mode']} {row['case']}": row["errors"] for row in rows},
        "purges": runs["edge"]["purges"],
        "sweep": runs["edge"]["sweep"],
        "editor": {name: run["editor"] for name, run in runs.items()},
        "targets": {name: "PASS" if held else "FAIL" for name, held in targets.items()},
    }
