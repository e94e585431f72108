"""The log's and the exposures' size on disk, their horizon and digest, and autovacuum's rule."""

import time

from bench.sync_log.databases import sql, tables


def sizes() -> dict:
    """Rows and bytes on disk (heap, and with indexes and TOAST) of the log and the exposures."""
    found = {}
    for name, table in tables().items():
        rows, total, heap = sql(
            "SELECT count(*), pg_total_relation_size(%s::regclass), "  # noqa: S608 (our tables)
            f'pg_relation_size(%s::regclass) FROM "{table}"',
            [table, table],
        )[0]
        found[f"{name}_rows"] = rows
        found[f"{name}_mb"] = round(total / 2**20, 2)
        found[f"{name}_heap_mb"] = round(heap / 2**20, 2)
    found["log_indexes_mb"] = {
        index: round(size / 2**20, 2)
        for index, size in sql(
            "SELECT indexrelname, pg_relation_size(indexrelid) FROM pg_stat_user_indexes "
            "WHERE relname = %s ORDER BY indexrelname",
            [tables()["log"]],
        )
    }
    return found


def horizon() -> int:
    from api.delivery.sync_retention import sync_log_horizon

    return sync_log_horizon()


def exposures_fingerprint() -> dict:
    """The exposures as a whole: counts, and a digest of every row, to compare two runs."""
    table = tables()["exposure"]
    columns = (
        "count(*), count(*) FILTER (WHERE public), count(*) FILTER (WHERE syndicated), "
        "md5(string_agg(article_id || ':' || public || ':' || syndicated, ',' ORDER BY article_id))"
    )
    count, public, syndicated, digest = sql(f'SELECT {columns} FROM "{table}"')[0]  # noqa: S608
    return {"rows": count, "public": public, "syndicated": syndicated, "md5": digest}


def vacuum_timed(command: str) -> dict:
    """Run a VACUUM of the log (plain or FULL) and say what it took and left."""
    started = time.perf_counter()
    sql(f'{command} "{tables()["log"]}"')
    return {"command": command, "seconds": round(time.perf_counter() - started, 2), **sizes()}


class Autovacuum:
    """Autovacuum's rule for the two tables, applied on the simulated clock.

    The real one wakes every minute of the wall clock, which is a simulated day or so here: it
    is switched off for the two tables, and its rule (the server's thresholds and scale factors,
    the tables' pg_stat counters) is checked once per simulated day instead.
    """

    SETTINGS = (
        "autovacuum",
        "autovacuum_vacuum_threshold",
        "autovacuum_vacuum_scale_factor",
        "autovacuum_vacuum_insert_threshold",
        "autovacuum_vacuum_insert_scale_factor",
        "autovacuum_analyze_threshold",
        "autovacuum_analyze_scale_factor",
    )

    def __init__(self):
        self.settings = dict(
            sql("SELECT name, setting FROM pg_settings WHERE name = ANY(%s)", [list(self.SETTINGS)])
        )
        self.events: list[dict] = []

    def take_over(self) -> None:
        for table in tables().values():
            sql(f'ALTER TABLE "{table}" SET (autovacuum_enabled = false)')
            sql(f'VACUUM ANALYZE "{table}"')

    def _counters(self, table: str) -> tuple[float, int, int, int]:
        try:
            # PostgreSQL 15: this backend's pending counters reach the views once it is idle.
            sql("SELECT pg_stat_force_next_flush()")
        except Exception:  # noqa: BLE001 (older servers flush within a second or so)
            time.sleep(1.1)
        return sql(
            "SELECT c.reltuples, s.n_dead_tup, s.n_ins_since_vacuum, s.n_mod_since_analyze "
            "FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relname = %s",
            [table],
        )[0]

    def round(self, day: int) -> list[dict]:
        """autovacuum.c's relation_needs_vacanalyze, then what it would run; returns the runs."""
        s = {k: float(v) for k, v in self.settings.items() if k != "autovacuum"}
        done = []
        for name, table in tables().items():
            reltuples, dead, inserted, modified = self._counters(table)
            reltuples = max(reltuples, 0)
            vacuum = dead > s["autovacuum_vacuum_threshold"] + (
                s["autovacuum_vacuum_scale_factor"] * reltuples
            ) or (
                s["autovacuum_vacuum_insert_threshold"] >= 0
                and inserted
                > s["autovacuum_vacuum_insert_threshold"]
                + s["autovacuum_vacuum_insert_scale_factor"] * reltuples
            )
            analyze = modified > s["autovacuum_analyze_threshold"] + (
                s["autovacuum_analyze_scale_factor"] * reltuples
            )
            if not (vacuum or analyze):
                continue
            before = sizes()[f"{name}_mb"]
            command = (
                "VACUUM (ANALYZE)" if vacuum and analyze else "VACUUM" if vacuum else "ANALYZE"
            )
            started = time.perf_counter()
            sql(f'{command} "{table}"')
            done.append(
                {
                    "day": day,
                    "table": name,
                    "command": command,
                    "dead_tuples": dead,
                    "inserted": inserted,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                    "mb_before": before,
                    "mb_after": sizes()[f"{name}_mb"],
                }
            )
        self.events += done
        return done
