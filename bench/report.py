"""The results tables (ratios against v2 and the ceiling; the edge case) and the plot against N."""

import json
from pathlib import Path

from bench.cases import FOLIO_CASES, V2_EQUIVALENT

PLOTTED = ("list", "list_search", "deep_cursor", "detail")


def _rows(result: dict) -> dict[tuple[str, str], dict]:
    return {(row["mode"], row["case"]): row for row in result["rows"]}


def cpu_ms(row: dict | None) -> float | None:
    """App plus database CPU per request: the cost that does not depend on the machine's load.

    From the wrk run when it completed many requests (the work on the few still running at its
    end is then negligible, and /proc's 10 ms clock ticks average out); otherwise from the
    sequential requests, which all complete.
    """
    if not row:
        return None
    if row.get("app_cpu_ms") is not None and row.get("requests", 0) >= 200:
        return round(row["app_cpu_ms"] + (row.get("db_cpu_ms") or 0), 2)
    if row.get("serial_app_cpu_ms") is not None:
        return round(row["serial_app_cpu_ms"] + (row.get("serial_db_cpu_ms") or 0), 2)
    if row.get("app_cpu_ms") is not None and row.get("requests", 0) >= 50:
        # Older results without the sequential figures: at most 16 requests were in flight.
        return round(row["app_cpu_ms"] + (row.get("db_cpu_ms") or 0), 2)
    return None


def ratios(result: dict) -> list[dict]:
    """One line per Folio case and mode, with its v2 equivalent and the ceiling."""
    rows = _rows(result)
    ceiling = {mode: rows.get((mode, "ceiling")) for mode in ("cold", "warm")}
    lines = []
    for mode, suffix in (("cold", ""), ("warm", ""), ("warm", "_304"), ("warm", "_gzip")):
        for name in FOLIO_CASES:
            row = rows.get((mode, name + suffix))
            if row is None:
                continue
            v2 = rows.get(("cold", V2_EQUIVALENT[name]))
            top = ceiling[mode]
            label = {"": mode, "_304": "304", "_gzip": "warm gzip"}[suffix]
            lines.append(
                {
                    "case": name,
                    "mode": label,
                    "rps": row["requests_per_second"],
                    "p50": row["p50_ms"],
                    "p99": row["p99_ms"],
                    "one_client": row["one_client_ms"],
                    "queries": row.get("queries"),
                    "cpu": cpu_ms(row),
                    "v2_cpu": cpu_ms(v2),
                    "v2_case": V2_EQUIVALENT[name],
                    "v2_rps": v2["requests_per_second"] if v2 else None,
                    "v2_p50": v2["p50_ms"] if v2 else None,
                    "v2_one_client": v2["one_client_ms"] if v2 else None,
                    "v2_queries": v2.get("queries") if v2 else None,
                    # Too few requests in the run make a throughput ratio meaningless.
                    "x_v2": round(row["requests_per_second"] / v2["requests_per_second"], 2)
                    if v2 and v2["requests"] >= 10 and row["requests"] >= 10
                    else None,
                    "x_v2_one_client": round(v2["one_client_ms"] / row["one_client_ms"], 2)
                    if v2 and row["one_client_ms"]
                    else None,
                    "x_v2_cpu": round(cpu_ms(v2) / cpu_ms(row), 2)
                    if cpu_ms(v2) and cpu_ms(row)
                    else None,
                    "of_ceiling_cpu": _of_ceiling_cpu(row, top),
                    "of_ceiling": _of_ceiling(row, top),
                }
            )
    return lines


def _of_ceiling(row: dict, top: dict | None) -> float | None:
    """The case's req/s against the ceiling's: the one measured right after it, if it was."""
    ceiling_rps = row.get("paired_ceiling_rps") or (top or {}).get("requests_per_second")
    if not ceiling_rps:
        return None
    return round(row["requests_per_second"] / ceiling_rps, 2)


def _of_ceiling_cpu(row: dict, top: dict | None) -> float | None:
    ceiling_cpu = row.get("paired_ceiling_cpu_ms") or cpu_ms(top)
    if not ceiling_cpu or not cpu_ms(row):
        return None
    return round(ceiling_cpu / cpu_ms(row), 2)


def table(result: dict) -> str:
    """A Markdown table: the same text goes to the terminal and into docs/performance.md."""
    lines = ratios(result)
    load = (
        f"wrk {result['load']['threads']} threads, {result['load']['connections']} connections, "
        f"{result['load']['duration_s']} s per case; "
        if lines
        else ""
    )
    out = [
        f"N = {result['n']:,} articles; {load}gunicorn {result['gunicorn']['workers']} workers "
        f"x {result['gunicorn']['threads']} threads",
    ]
    if lines:
        out += [
            "",
            "| case | mode | req/s | p50 ms | p99 ms | 1-client ms | CPU ms | SQL | v2 case "
            "| v2 req/s | v2 p50 ms | v2 1-client ms | v2 CPU ms | v2 SQL | x v2 req/s "
            "| x v2 1-client | x v2 CPU | of ceiling req/s | of ceiling CPU |",
            "|---|---|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
        ]

    def fmt(value, digits=1):
        if value is None:
            return "-"
        return f"{value:,.{digits}f}" if isinstance(value, float) else str(value)

    for line in lines:
        out.append(
            f"| {line['case']} | {line['mode']} | {fmt(line['rps'])} | {fmt(line['p50'], 2)} "
            f"| {fmt(line['p99'], 2)} | {fmt(line['one_client'], 2)} | {fmt(line['cpu'], 2)} "
            f"| {fmt(line['queries'])} | {line['v2_case']} | {fmt(line['v2_rps'])} "
            f"| {fmt(line['v2_p50'], 2)} | {fmt(line['v2_one_client'], 2)} "
            f"| {fmt(line['v2_cpu'], 2)} | {fmt(line['v2_queries'])} "
            f"| {fmt(line['x_v2'], 2)} | {fmt(line['x_v2_one_client'], 2)} "
            f"| {fmt(line['x_v2_cpu'], 2)} "
            f"| {fmt(line['of_ceiling'], 2)} | {fmt(line['of_ceiling_cpu'], 2)} |"
        )
    rows = _rows(result)
    others = [
        rows[key]
        for key in (("cold", "v2_list_bodies"), ("cold", "ceiling"), ("warm", "ceiling"))
        if key in rows
    ]
    if others:
        out += ["", "| reference | server | req/s | p50 ms | p99 ms | 1-client ms | CPU ms | SQL |"]
        out.append("|---|---|--:|--:|--:|--:|--:|--:|")
    for row in others:
        out.append(
            f"| {row['case']} | {row['mode']} | {fmt(row['requests_per_second'])} "
            f"| {fmt(row['p50_ms'], 2)} | {fmt(row['p99_ms'], 2)} | {fmt(row['one_client_ms'], 2)} "
            f"| {fmt(cpu_ms(row), 2)} | {fmt(row.get('queries'))} |"
        )
    page_sizes = result.get("facts", {}).get("list_queries_by_limit")
    if page_sizes:
        out += ["", f"SQL queries of the uncached list by page size (limit): {page_sizes}."]
    rss = result["worker_rss_mb"]
    if rss:
        out += [
            "",
            "Worker RSS after the run (MB): "
            + ", ".join(f"{name} server {sizes}" for name, sizes in rss.items())
            + ".",
        ]
    errors = [row for row in result["rows"] if row["errors"]]
    if errors:
        out.append(
            "Errors: " + ", ".join(f"{r['mode']} {r['case']}: {r['errors']}" for r in errors)
        )
    if "edge" in result:
        out += ["", edge_table(result)]
    return "\n".join(out)


def edge_table(result: dict) -> str:
    """The edge case: edge and origin under the same read mix, alone and while publishing."""
    summary = result["edge"]
    if "skipped" in summary:
        return f"Edge case skipped: {summary['skipped']}."
    rows = _rows(result)

    def fmt(value, digits=2):
        if value is None:
            return "-"
        return f"{value:,.{digits}f}" if isinstance(value, float) else str(value)

    mix = summary["read_mix"]
    out = [
        f"Edge (Varnish) while publishing every second: {mix['details']:,} article details and "
        f"{len(mix['lists'])} lists ({mix['detail_share']:.0%} of requests are details), "
        f"wrk {result['load']['threads']} threads, {result['load']['connections']} connections, "
        f"{summary['duration_s']} s per run while publishing"
        + (
            f" ({summary['no_publish_duration_s']} s with nothing published)"
            if "no_publish_duration_s" in summary
            else ""
        )
        + f"; headers {summary['headers'] or 'none'}; s-maxage "
        f"{summary['cdn_max_age']}; purges sent by {summary['tasks_backend'].rsplit('.', 1)[-1]}",
        "",
        "| run | req/s | p50 ms | p99 ms | hit ratio | 5xx | CPU ms app + db + varnish "
        "| wrk CPU ms | other cores | publishes | staleness p50 s | p99 s | max s | not seen |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    runs = [
        (f"{name}{label}", rows.get((name, case)))
        for case, label in (("edge_mix_no_publish", ", nothing published"), ("edge_mix", ""))
        for name in ("edge", "origin")
    ]
    for label, row in runs:
        if row is None:
            continue
        name = row["mode"]
        stale = row.get("staleness") or {}
        cpu = f"{row['app_cpu_ms']:.3f} + {row['db_cpu_ms']:.3f} + {row['varnish_cpu_ms']:.3f}"
        out.append(
            f"| {label} | {fmt(row['requests_per_second'], 1)} | {fmt(row['p50_ms'])} "
            f"| {fmt(row['p99_ms'])} | {fmt(row['hit_ratio'], 4) if name == 'edge' else '-'} "
            f"| {fmt(row.get('responses_5xx'))} | {cpu} | {fmt(row['wrk_cpu_ms'], 3)} "
            f"| {fmt(row.get('other_busy_cores'))} | {fmt(stale.get('publishes', 0))} "
            f"| {fmt(stale.get('p50_s'), 3)} | {fmt(stale.get('p99_s'), 3)} "
            f"| {fmt(stale.get('max_s'), 3)} | {fmt(stale.get('not_seen'))} |"
        )
    purges, sweep = summary["purges"], summary["sweep"]
    out += [
        "",
        f"Edge over origin: {fmt(summary['edge_over_origin'])}x req/s. Purges: {purges['rows']} "
        f"rows, {purges['keys_per_purge_p50']} keys each (p50; max "
        f"{purges['keys_per_purge_max']}; {fmt(purges.get('planned_as_appearing'))} publishes "
        f"planned as an article appearing), confirmed by Varnish "
        f"{fmt(purges.get('sent_after_commit_ms_p50'), 1)} ms after the commit (p50; p99 "
        f"{fmt(purges.get('sent_after_commit_ms_p99'), 1)}, max "
        f"{fmt(purges.get('sent_after_commit_ms_max'), 1)}), {purges['pending_at_end']} pending "
        f"at the end. After the run, {sweep['stale']} of {sweep['paths']} paths answered "
        "differently at the edge than at the origin.",
        "",
        "Targets: "
        + ", ".join(f"{name}: **{verdict}**" for name, verdict in summary["targets"].items())
        + ".",
    ]
    return "\n".join(out)


def latest_per_size(results_dir: Path, *, mode: str = "cold") -> list[dict]:
    """The newest result of each size that measured `mode` (`--only edge` runs measure no
    cold server, and must not hide the newest cold one from the plot)."""
    latest: dict[int, dict] = {}
    for path in sorted(results_dir.glob("*.json")):
        result = json.loads(path.read_text())
        # Other benchmarks' results (sync-log-*, import-*) share the folder and have no rows.
        if any(row["mode"] == mode for row in result.get("rows", ())):
            latest[result["n"]] = result  # names sort by time
    return [latest[n] for n in sorted(latest)]


def plot(results_dir: Path, output: Path) -> None:
    """One-client latency, requests/s and CPU per request against N, Folio (cold) and v2."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    results = latest_per_size(results_dir)
    if not results:
        return
    sizes = [r["n"] for r in results]
    figure, panels = plt.subplots(1, 3, figsize=(16, 5))
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    metrics = (
        ("one-client latency, median (uncached)", "ms", lambda p: p["one_client_ms"]),
        ("throughput under wrk (uncached)", "requests/s", lambda p: p["requests_per_second"]),
        ("CPU per request, app + database", "ms", cpu_ms),
    )
    for colour, name in zip(colours, PLOTTED, strict=False):
        for system, case, style in (("Folio", name, "-o"), ("v2", V2_EQUIVALENT[name], "--s")):
            points = [_rows(r).get(("cold", case)) for r in results]
            label = f"{system} {name}" + (f" ({case})" if system == "v2" else "")
            for axes, (_, _, value) in zip(panels, metrics, strict=True):
                values = [value(p) if p else None for p in points]
                values = [v if v else None for v in values]  # nothing measured: no point
                axes.plot(sizes, values, style, color=colour, label=label)
    ceiling = [_rows(r).get(("cold", "ceiling")) for r in results]
    for axes, (_, _, value) in zip(panels, metrics, strict=True):
        axes.plot(
            sizes,
            [value(c) if c else None for c in ceiling],
            ":",
            color="grey",
            label="bare Django ceiling",
        )
    for axes, (title, unit, _) in zip(panels, metrics, strict=True):
        axes.set_xscale("log")
        axes.set_yscale("log")
        axes.set_xlabel("articles (N)")
        axes.set_ylabel(unit)
        axes.set_title(title, fontsize=10)
        axes.grid(True, which="both", alpha=0.3)
        axes.set_xticks(sizes, [f"{n:,}" for n in sizes])
    panels[1].legend(fontsize=7, loc="best")
    figure.suptitle(
        "Folio /api/v1/ vs Wagtail API v2: same data, same gunicorn, shared 2-core machine"
    )
    figure.tight_layout()
    output.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(output, dpi=100)
    plt.close(figure)


def main() -> None:
    """`python -m bench.report`: the tables of the newest result per size, and the plot again."""
    root = Path(__file__).resolve().parent.parent
    printed = []
    for result in latest_per_size(root / "bench" / "results"):
        print(table(result), end="\n\n")
        printed.append(result["finished_at"])
    for result in latest_per_size(root / "bench" / "results", mode="edge"):
        if result["finished_at"] not in printed:
            print(edge_table(result), end="\n\n")
    plot(root / "bench" / "results", root / "docs" / "performance.png")


if __name__ == "__main__":
    main()
