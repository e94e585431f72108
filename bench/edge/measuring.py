"""One wrk run over the read mix, and the CPU each part (and the whole machine) used in it."""

import json
import os
import resource
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench.edge.editor import Editor
from bench.edge.mix import SCRIPT
from bench.edge.varnish import VARNISH_COUNTERS
from bench.load import cpu_used, database_cpu_seconds, wrk_output


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
