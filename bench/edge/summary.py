"""The edge case's figures: rows, staleness and purge percentiles, the summary and targets."""

import math
from dataclasses import asdict

# The acceptance targets (issue "Edge delivery", point 6).
TARGET_P99_STALENESS_S = 5.0
TARGET_HIT_RATIO = 0.95


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


def hit_ratio(counted: dict) -> float | None:
    total = sum(counted.get(name, 0) for name in ("hits", "misses", "uncached"))
    return round(counted["hits"] / total, 5) if total else None


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
