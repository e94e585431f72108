"""Processes the harness drives: gunicorn under the benchmark settings, and wrk against it."""

import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def nice_prefix() -> list[str]:
    """Heavy steps run at a lower priority: the machine is shared with test runs."""
    return ["nice", "-n", os.environ.get("BENCH_NICE", "10")]


def django_env(base: dict, **overrides: str) -> dict:
    env = {**os.environ, **base, **overrides}
    env["PYTHONPATH"] = str(ROOT)
    return env


class Server:
    """gunicorn with cms/gunicorn.py and the benchmark settings, on loopback."""

    def __init__(self, *, env: dict, port: int, log_path: Path):
        self.env = env
        self.port = port
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "Server":
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 (our own venv's gunicorn)
            [
                *nice_prefix(),
                str(VENV_BIN / "gunicorn"),
                "cms.wsgi",
                "-c",
                "python:cms.gunicorn",
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            try:
                status, _, _ = get(self.base + "/healthz")
                if status == 200 and len(self.worker_pids()) >= self.expected_workers():
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer in 60 s; see {self.log_path}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            # The process group of the gunicorn we started (nice execs into gunicorn).
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def expected_workers(self) -> int:
        return gunicorn_settings(self.env)["workers"]

    def worker_pids(self) -> list[int]:
        if not self.process:
            return []
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == self.process.pid:  # ppid
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def worker_cpu_seconds(self) -> dict[int, float]:
        """CPU time (user + system) each worker has used so far, by pid."""
        return {pid: process_cpu_seconds(pid) for pid in self.worker_pids()}

    def worker_rss_mb(self) -> list[float]:
        sizes = []
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
            if match:
                sizes.append(round(int(match.group(1)) / 1024, 1))
        return sizes


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def database_cpu_seconds(database: str) -> dict[int, float]:
    """CPU time of each PostgreSQL backend serving `database`, by pid (same machine)."""
    times = {}
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if command.startswith("postgres:") and f" {database} " in command:
            pid = int(cmdline.parent.name)
            times[pid] = process_cpu_seconds(pid)
    return times


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU used between two samples by the processes alive at the second (new ones in full)."""
    return sum(max(0.0, cpu - before.get(pid, 0.0)) for pid, cpu in after.items())


def cpu_idle_fraction(seconds: float = 1.0) -> float:
    """The share of the machine's CPU time that was idle over the next `seconds`."""

    def sample() -> tuple[int, int]:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
        return idle, sum(values[:8])

    idle_before, total_before = sample()
    time.sleep(seconds)
    idle_after, total_after = sample()
    total = total_after - total_before
    return (idle_after - idle_before) / total if total else 1.0


def wait_for_idle(*, threshold: float, max_wait: float) -> tuple[float, float]:
    """Wait (up to `max_wait` s) until at least `threshold` of the CPU is idle.

    The machine may be shared (test runs of other work): each case starts when the others are
    quiet, so that Folio and v2 get the same machine. Returns (idle share, seconds waited).
    """
    started = time.monotonic()
    idle = cpu_idle_fraction()
    while idle < threshold and time.monotonic() - started < max_wait:
        idle = cpu_idle_fraction(2.0)
    return round(idle, 2), round(time.monotonic() - started, 1)


def get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


def serial_latency_ms(url: str, headers: dict | None = None, count: int = 20) -> float:
    """Median latency of one client making requests one after another (no queueing)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        connection.request("GET", path, headers=headers or {})
        connection.getresponse().read()
        timings.append((time.perf_counter() - started) * 1000)
    connection.close()
    return round(statistics.median(timings), 2)


@dataclass
class WrkResult:
    requests_per_second: float
    p50_ms: float | None
    p99_ms: float | None
    requests: int
    errors: int  # socket errors plus non-2xx/3xx responses


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s|m)", value).groups()
    return round(float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit], 3)


def wrk(
    url: str,
    *,
    duration: int,
    threads: int,
    connections: int,
    headers: dict | None = None,
) -> WrkResult:
    return wrk_output(
        url, duration=duration, threads=threads, connections=connections, headers=headers
    )[0]


def wrk_output(
    url: str,
    *,
    duration: int,
    threads: int,
    connections: int,
    headers: dict | None = None,
    script: Path | None = None,
    script_args: tuple[str, ...] = (),
) -> tuple[WrkResult, str]:
    """wrk's figures and its whole output (a Lua script's `done()` prints there)."""
    command = [
        *nice_prefix(),
        shutil.which("wrk") or "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        "30s",
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script is not None:
        command += ["-s", str(script)]
    command.append(url)
    if script_args:
        command += ["--", *script_args]
    output = subprocess.run(  # noqa: S603 (wrk from the Debian package)
        command, capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    if not requests:  # nothing finished within the run: no latency to report
        return WrkResult(0.0, None, None, 0, 0), output
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = sum(
        int(n)
        for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output)
        + re.findall(r"Non-2xx or 3xx responses: (\d+)", output)
    )
    return WrkResult(rps, p50, p99, requests, errors), output


def gunicorn_settings(env: dict) -> dict:
    """The workers and threads cms/gunicorn.py gives a server started with `env`."""
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, runpy; c = runpy.run_path('cms/gunicorn.py'); "
            "print(json.dumps({'workers': c['workers'], 'threads': c['threads']}))",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(found.stdout)
