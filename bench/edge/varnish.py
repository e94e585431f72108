"""The edge node: varnishd on a loopback port, its processes' CPU and its counters."""

import glob
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from bench.load import nice_prefix, process_cpu_seconds

INSTALL_HINT = "apt-get install varnish varnish-modules"
# Where Debian (multiarch) and a source build put vmods (as tests/edge_support.py looks).
XKEY_VMODS = tuple(
    f"{prefix}/varnish/vmods/libvmod_xkey.so"
    for prefix in ("/usr/lib/*", "/usr/lib", "/usr/local/lib")
)


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
