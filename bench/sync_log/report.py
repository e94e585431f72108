"""The result's summaries (steady state, versions) and the table printed at the end of a run."""

import platform
import statistics

from bench.sync_log.databases import sql


def versions() -> dict:
    import django
    import psycopg
    import wagtail

    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "psycopg": psycopg.__version__,
        "postgresql": sql("SHOW server_version")[0][0],
    }


def steady(days: list[dict], retention: int) -> dict:
    """The last 30 days (or fewer) once the window is full: what the log settles at.

    `retention_x_daily_rows` predicts the log's size from the year's mean daily writes; the
    rows of the last `retention` days are what a log pruned exactly at the cutoff would hold.
    """
    settled = [d for d in days if d["day"] > retention + 1][-30:]
    if not settled:
        return {}
    last = settled[-1]
    daily = statistics.mean(d["rows_written"] for d in days)
    return {
        "days": [settled[0]["day"], last["day"]],
        "log_rows_mean": round(statistics.mean(d["log_rows"] for d in settled)),
        "log_rows_min": min(d["log_rows"] for d in settled),
        "log_rows_max": max(d["log_rows"] for d in settled),
        "log_mb_max": max(d["log_mb"] for d in settled),
        "log_mb_last": last["log_mb"],
        "log_heap_mb_last": last["log_heap_mb"],
        "log_indexes_mb_last": last["log_indexes_mb"],
        "log_bytes_per_row_last": round(last["log_mb"] * 2**20 / max(last["log_rows"], 1)),
        "exposure_rows_last": last["exposure_rows"],
        "exposure_mb_last": last["exposure_mb"],
        "rows_written_per_day_mean": round(daily),
        "retention_x_daily_rows": round(retention * daily),
        "rows_written_last_retention_days": sum(d["rows_written"] for d in days[-retention:]),
    }


def _requests(lines: list[str], cases: dict) -> None:
    for case in cases.values():
        if "pages" in case:
            lines.append(
                f"  {case['case']:62} {case['pages']:>6,} pages in "
                f"{case['seconds']:7.1f}s ({case['ms_per_page']:.1f} ms/page)"
            )
        else:
            lines.append(
                f"  {case['case']:62} {case['status']} {case['p50_ms']:>8.1f} ms "
                f"{case['queries']:>3} queries"
            )


def report(result: dict) -> str:
    year, cf, p = result["year"], result.get("counterfactual") or {}, result["parameters"]
    lines = [
        f"Sync log, {p['articles']:,} articles, {p['days']} days, retention "
        f"{p['retention_days']} days:",
        f"{'day':>5} {'written':>9} {'pruned':>9} {'log rows':>10} {'log MB':>8} "
        f"{'exposures':>10} {'exp MB':>7} {'rounds':>6} {'batch ms':>9} {'lock ms':>8}  vacuum",
    ]
    for d in year["days"]:
        if d["day"] % 7 and d["day"] != len(year["days"]) and not d["rows_pruned"] > 50_000:
            continue
        lines.append(
            f"{d['day']:>5} {d['rows_written']:>9,} {d['rows_pruned']:>9,} {d['log_rows']:>10,} "
            f"{d['log_mb']:>8.1f} {d['exposure_rows']:>10,} {d['exposure_mb']:>7.1f} "
            f"{d['prune_rounds']:>6} {d.get('max_batch_ms', 0):>9.1f} "
            f"{d.get('max_lock_ms', 0):>8.1f}"
            f"  {', '.join(d['vacuum'])}"
        )
    s = result["steady_state"]
    if s:
        lines.append(
            f"Steady state (days {s['days'][0]}-{s['days'][1]}): {s['log_rows_mean']:,} rows "
            f"(max {s['log_rows_max']:,}; retention x daily rows = {s['retention_x_daily_rows']:,})"
            f", up to {s['log_mb_max']:.1f} MB; exposures {s['exposure_rows_last']:,} rows, "
            f"{s['exposure_mb_last']:.1f} MB"
        )
    for name, b in (("all year", year["batches"]), ("steady state", year["steady_batches"])):
        if b.get("batches"):
            lines.append(
                f"Prune batches, {name}: {b['batches']:,}, p50 {b['p50_batch_ms']:.1f} ms, "
                f"longest {b['max_batch_ms']:.1f} ms ({b['max_batch_rows']:,} rows), lock p99 "
                f"{b['p99_lock_ms']:.1f} ms, longest {b['max_lock_ms']:.1f} ms"
            )
    m = result["minute_rounds"]
    lines.append(
        f"Rounds a minute apart after the year: {m['rows_mean']} rows each, p50 {m['p50_ms']:.1f} "
        f"ms, max {m['max_ms']:.1f} ms (lock {m['max_lock_ms']:.1f} ms)"
    )
    lines.append("Sync requests (p50, queries):")
    _requests(lines, result["sync"])
    _requests(lines, cf.get("requests", {}))
    if cf:
        u, drain = cf["unpruned"], cf["drain"]
        lines.append(
            f"Unpruned after {p['days']} days: {u['log_rows']:,} rows, {u['log_mb']:.1f} MB. "
            f"Its backlog of {drain['rows']:,} rows drains in {drain['rounds']} scheduler rounds "
            f"({drain['seconds']:.1f}s of pruning; longest round {drain['max_round_ms'] / 1000:.1f}"
            f"s, longest lock {drain['batches'].get('max_lock_ms', 0):.0f} ms), "
            f"{drain['left_older_than_retention']} rows older than the retention left; "
            f"{cf['after_drain']['log_mb']:.1f} MB after it, "
            f"{cf['after_drain_vacuum']['log_mb']:.1f} MB after VACUUM, "
            f"{cf['after_drain_vacuum_full']['log_mb']:.1f} MB after VACUUM FULL "
            f"({cf['after_drain_vacuum_full']['seconds']:.1f}s); exposures "
            + ("match the daily run" if result["exposures_match"] else "DIFFER from the daily run")
        )
    return "\n".join(lines)
