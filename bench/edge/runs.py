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

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.edge.editor import Editor
from bench.edge.measuring import mix_run
from bench.edge.mix import read_mix, sweep, warm, write_paths
from bench.edge.summary import mix_row, print_row, purge_summary, staleness_summary, summarize
from bench.edge.varnish import INSTALL_HINT, VarnishNode, varnish_missing
from bench.load import ROOT, Server, nice_prefix, wait_for_idle

# The edge keeps an answer for a day: every editorial change purges what it altered.
CDN_MAX_AGE = "86400"


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
