"""What a result was measured on: the commit and the machine."""

import os
import platform
import shutil
import subprocess
from pathlib import Path

from bench.load import ROOT


def commit() -> str:
    """The code measured: the checkout's commit, marked when the work tree has changes."""
    try:
        git = shutil.which("git") or "git"
        head = subprocess.run(  # noqa: S603
            [git, "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(  # noqa: S603
            [git, "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{head}+changes" if dirty else head


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    except OSError:
        memory = "0"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(int(memory) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "load_average_at_start": os.getloadavg()[0],
    }
