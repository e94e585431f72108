"""The measured cases: Folio's endpoints, their Wagtail API v2 equivalents, the bare ceiling."""

from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit

from bench.fields import SUMMARY_FIELDS
from bench.load import get

SEARCH_TERM = "migraine"
V2_PAGES = "/v2/pages/"
V2_TYPE = "articles.ArticlePage"

# Folio case -> the v2 case it is compared with ("nearest" where v2 has no such endpoint).
V2_EQUIVALENT = {
    "list": "v2_list",
    "list_search": "v2_search",
    "deep_cursor": "v2_deep",
    "detail": "v2_detail",
    "series": "v2_list",
    "sync": "v2_sync",
}
FOLIO_CASES = tuple(V2_EQUIVALENT)


@dataclass
class Case:
    name: str
    path: str
    headers: dict = field(default_factory=dict)
    note: str = ""


def v2_list_path(**params) -> str:
    query = {"type": V2_TYPE, "fields": ",".join(SUMMARY_FIELDS), "limit": 20, **params}
    return f"{V2_PAGES}?{urlencode(query)}"


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def discover(base: str) -> tuple[list[Case], dict]:
    """Find the URLs to measure on a running server: a detail, a series, the deepest cursor."""
    facts = {}
    status, _, body = get(base + "/api/v1/series/?limit=100")
    series = _json(status, body)["results"]
    chosen = min(series, key=lambda s: (abs(s["article_count"] - 6), s["slug"]))
    status, _, body = get(base + f"/api/v1/series/{chosen['slug']}/")
    members = _json(status, body)["articles"]
    article = members[min(1, len(members) - 1)]
    facts.update(series=chosen["slug"], series_members=len(members), detail=article["slug"])

    # The last page of the default order, reached by following `next` as a client would.
    url, cursor_path, pages = base + "/api/v1/articles/?limit=100", None, 0
    while url:
        status, _, body = get(url)
        page = _json(status, body)
        pages += 1
        cursor = parse_qs(urlsplit(url).query).get("cursor")
        if cursor:
            cursor_path = "/api/v1/articles/?" + urlencode({"cursor": cursor[0]})
        url = page["next"]
    facts["cursor_pages_followed"] = pages

    status, _, body = get(base + v2_list_path(limit=1))
    total = _json(status, body)["meta"]["total_count"]
    facts["v2_total_count"] = total
    newest_first = {"order": "-first_published_at"}
    # Each Folio case next to its v2 equivalent, so both see the same machine load.
    cases = [
        Case("list", "/api/v1/articles/"),
        Case("v2_list", v2_list_path(**newest_first)),
        Case("list_search", f"/api/v1/articles/?search={SEARCH_TERM}"),
        Case("v2_search", v2_list_path(search=SEARCH_TERM)),
        Case("deep_cursor", cursor_path or "/api/v1/articles/", note="last cursor page"),
        Case("v2_deep", v2_list_path(offset=max(0, total - 20), **newest_first)),
        Case("detail", f"/api/v1/articles/{article['slug']}/"),
        Case("v2_detail", f"{V2_PAGES}{article['id']}/"),
        Case("series", f"/api/v1/series/{chosen['slug']}/", note=f"{len(members)} members"),
        Case("sync", "/api/v1/sync/", note="first page of a full sync (100)"),
        Case("v2_sync", v2_list_path(limit=100, order="id")),
        Case("v2_list_bodies", v2_list_path(fields=",".join([*SUMMARY_FIELDS, "body"]))),
        Case("ceiling", "/bench/ceiling"),
    ]
    return cases, facts


def _json(status: int, body: bytes) -> dict:
    import json

    if status != 200:
        raise RuntimeError(f"discovery request failed with {status}: {body[:300]!r}")
    return json.loads(body)


def with_etag(base: str, case: Case) -> Case:
    """The same request revalidated: If-None-Match with the ETag the server just gave."""
    _, headers, _ = get(base + case.path)
    etag = {k.lower(): v for k, v in headers.items()}["etag"]
    return Case(f"{case.name}_304", case.path, {"If-None-Match": etag}, note="If-None-Match")


def with_gzip(case: Case) -> Case:
    """The same request from a client that accepts gzip, as every mobile app and browser does."""
    return Case(f"{case.name}_gzip", case.path, {"Accept-Encoding": "gzip"}, note="gzip")
