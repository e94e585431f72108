"""The edge case: Varnish in front of the benchmark's gunicorn, read while an editor publishes."""

from bench.edge.editor import Editor
from bench.edge.measuring import CpuTracker, machine_busy_seconds, mix_run
from bench.edge.mix import (
    LIST_WEIGHTS,
    SCRIPT,
    SIGNED_CURSOR,
    TOPICS,
    read_mix,
    sweep,
    warm,
    write_paths,
)
from bench.edge.runs import CDN_MAX_AGE, run_edge, run_one
from bench.edge.summary import (
    TARGET_HIT_RATIO,
    TARGET_P99_STALENESS_S,
    hit_ratio,
    mix_row,
    percentile,
    print_row,
    purge_summary,
    staleness_summary,
    summarize,
)
from bench.edge.varnish import (
    INSTALL_HINT,
    VARNISH_COUNTERS,
    XKEY_VMODS,
    VarnishNode,
    varnish_missing,
)

__all__ = [
    "CDN_MAX_AGE",
    "INSTALL_HINT",
    "LIST_WEIGHTS",
    "SCRIPT",
    "SIGNED_CURSOR",
    "TARGET_HIT_RATIO",
    "TARGET_P99_STALENESS_S",
    "TOPICS",
    "VARNISH_COUNTERS",
    "XKEY_VMODS",
    "CpuTracker",
    "Editor",
    "VarnishNode",
    "hit_ratio",
    "machine_busy_seconds",
    "mix_row",
    "mix_run",
    "percentile",
    "print_row",
    "purge_summary",
    "read_mix",
    "run_edge",
    "run_one",
    "staleness_summary",
    "summarize",
    "sweep",
    "varnish_missing",
    "warm",
    "write_paths",
]
