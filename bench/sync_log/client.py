"""Delta sync as a client sees it: single requests and whole catch-ups through the full stack."""

import statistics
import time

from bench.sync_log.prune import percentile


class SyncClient:
    """Sync requests in-process, through the whole stack (Django's test client), no cache."""

    def __init__(self, reps: int):
        from django.test import Client

        from api.delivery.sync import read_sync_token

        self.client = Client(HTTP_HOST="127.0.0.1")
        self.reps = reps
        first = self.client.get("/api/v1/sync/?limit=1")
        if first.status_code != 200:
            raise SystemExit(f"/api/v1/sync/ answered {first.status_code}: {first.content[:300]}")
        self.site = read_sync_token(first.json()["next_token"]).site

    def token(self, after: int) -> str:
        """The delta token a client holds when it has applied the log up to row `after`."""
        from api.delivery.sync import DELTA, SyncPosition, sync_token

        return sync_token(SyncPosition(phase=DELTA, after=after, since=after, site=self.site))

    def path(self, after: int | None) -> str:
        return "/api/v1/sync/" + ("" if after is None else f"?token={self.token(after)}")

    def request(self, name: str, after: int | None) -> dict:
        """`reps` timed requests after one to warm up, and one more with its queries counted."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        path = self.path(after)
        self.client.get(path)
        timings = []
        for _ in range(self.reps):
            started = time.perf_counter()
            self.client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(path)
        row = {
            "case": name,
            "after": after,
            "status": response.status_code,
            "p50_ms": round(statistics.median(timings), 2),
            "min_ms": round(min(timings), 2),
            "max_ms": round(max(timings), 2),
            "queries": len(captured.captured_queries),
            "query_ms": round(sum(float(q["time"]) for q in captured.captured_queries) * 1000, 2),
        }
        if response.status_code == 200:
            body = response.json()
            row.update(
                changed=len(body["changed"]),
                deleted=len(body["deleted"]),
                has_more=body["has_more"],
            )
        else:
            row["code"] = response.json().get("error", {}).get("code")
        return row

    def catch_up(self, name: str, after: int | None, *, max_pages: int = 100_000) -> dict:
        """Follow `next_token` until `has_more` is false: what a returning client pays in all."""
        path, pages, changed, deleted, page_ms = self.path(after), 0, 0, 0, []
        started = time.perf_counter()
        while pages < max_pages:
            began = time.perf_counter()
            response = self.client.get(path)
            page_ms.append((time.perf_counter() - began) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{name}: page {pages + 1} answered {response.status_code}")
            body = response.json()
            pages += 1
            changed += len(body["changed"])
            deleted += len(body["deleted"])
            if not body["has_more"]:
                break
            path = "/api/v1/sync/?token=" + body["next_token"]
        seconds = time.perf_counter() - started
        return {
            "case": name,
            "after": after,
            "pages": pages,
            "finished": not body["has_more"],
            "changed": changed,
            "deleted": deleted,
            "seconds": round(seconds, 2),
            "ms_per_page": round(seconds * 1000 / pages, 2),
            "p50_page_ms": round(percentile(page_ms, 50), 2),
            "p99_page_ms": round(percentile(page_ms, 99), 2),
        }


def sync_cases(
    client: SyncClient,
    *,
    label: str,
    yesterday: int,
    horizon: int,
    oldest: int,
    catch_up: bool,
) -> dict:
    """The same requests against either log: the first page of a full sync; delta tokens from
    yesterday, at the horizon, just below it and from before the year (the oldest position);
    and, with `catch_up`, what following them to the end costs.

    Against the pruned log the tokens below the horizon are 410s, and what such a client pays
    instead is the full sync followed to its end; the unpruned log serves and follows them.
    """
    cases = {
        "full_first_page": client.request(f"{label}full sync, first page", None),
        "delta_yesterday": client.request(f"{label}delta, token from yesterday", yesterday),
        "delta_horizon": client.request(f"{label}delta, token at the horizon", horizon),
    }
    if horizon > 0:
        cases["delta_below_horizon"] = client.request(
            f"{label}delta, token just below the horizon", horizon - 1
        )
    cases["delta_oldest"] = client.request(f"{label}delta, token from before the year", oldest)
    cases["catch_up_yesterday"] = client.catch_up(f"{label}catch-up from yesterday", yesterday)
    if catch_up:
        cases["catch_up_horizon"] = client.catch_up(f"{label}catch-up from the horizon", horizon)
        cases["catch_up_full"] = client.catch_up(f"{label}full sync, followed to its end", None)
        if cases["delta_oldest"]["status"] == 200:
            cases["catch_up_oldest"] = client.catch_up(
                f"{label}catch-up from before the year", oldest
            )
    return cases
