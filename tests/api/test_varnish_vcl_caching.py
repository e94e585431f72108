"""The shipped VCL in a real varnishd: what it caches, passes and answers 304 itself."""

# ruff: noqa: F811  (the edge and origin fixtures come from varnish_support)

import gzip
import json
import uuid

import pytest

from tests.api.varnish_support import body, edge, fresh, key, origin  # noqa: F401


@pytest.mark.services
class TestCaching:
    def test_an_anonymous_read_is_a_miss_then_a_hit(self, edge, origin):
        path = origin.answer(fresh(), keys=(key(),))
        first = edge.get(path)
        second = edge.get(path)
        assert (first.status, first.headers["X-Cache"]) == (200, "MISS")
        assert (second.status, second.headers["X-Cache"]) == (200, "HIT")
        assert second.body == first.body
        assert origin.count(path) == 1

    def test_feeds_are_cached_too(self, edge, origin):
        path = origin.answer(fresh("/feeds/articles.rss"), keys=("articles",))
        edge.get(path)
        assert edge.get(path).headers["X-Cache"] == "HIT"
        assert origin.count(path) == 1

    def test_head_is_answered_from_the_object_a_get_fetched(self, edge, origin):
        path = origin.answer(fresh())
        assert edge.request("HEAD", path).headers["X-Cache"] == "MISS"
        assert edge.get(path).headers["X-Cache"] == "HIT"
        # Varnish fetches a HEAD miss with GET, so the object has a body to give later.
        assert [seen["method"] for seen in origin.seen(path)] == ["GET"]

    def test_clients_get_surrogate_key_but_never_xkey(self, edge, origin):
        keys = (key(), key())
        path = origin.answer(fresh(), keys=keys)
        for response in (edge.get(path), edge.get(path)):
            assert response.headers["Surrogate-Key"] == " ".join(keys)
            assert "xkey" not in response.headers

    def test_s_maxage_outranks_max_age_at_the_edge(self, edge, origin):
        path = origin.answer(fresh(), cache_control="public, max-age=0, s-maxage=60")
        edge.get(path)
        assert edge.get(path).headers["X-Cache"] == "HIT"
        assert origin.count(path) == 1

    def test_a_cookie_on_an_api_read_neither_prevents_caching_nor_reaches_the_origin(
        self, edge, origin
    ):
        path = origin.answer(fresh())
        assert edge.get(path, {"Cookie": "sessionid=one"}).headers["X-Cache"] == "MISS"
        assert edge.get(path, {"Cookie": "sessionid=two"}).headers["X-Cache"] == "HIT"
        assert "cookie" not in origin.seen(path)[0]

    def test_a_large_surrogate_key_header_is_cached_and_purgeable(self, edge, origin):
        # About 24 KB: three times Varnish's default http_resp_hdr_len.
        keys = tuple(key() for _ in range(1000))
        path = origin.answer(fresh(), keys=keys)
        assert edge.get(path).status == 200
        assert edge.get(path).headers["X-Cache"] == "HIT"
        assert edge.purge(keys[-1]).headers["X-Purged"] == "1"
        assert edge.get(path).headers["X-Cache"] == "MISS"


@pytest.mark.services
class TestPassing:
    def test_partner_requests_never_share_objects_with_anonymous_ones(self, edge, origin):
        partner = {"Authorization": "Bearer partner-key"}
        path = origin.answer(fresh())
        assert body(edge.get(path))["as"] == "anonymous"
        for _ in range(2):
            response = edge.get(path, partner)
            assert (body(response)["as"], response.headers["X-Cache"]) == (
                "Bearer partner-key",
                "MISS",
            )
        assert body(edge.get(path))["as"] == "anonymous"
        assert origin.count(path) == 3

        # ... and a partner's answer is not kept for the anonymous client that comes next.
        other = origin.answer(fresh())
        edge.get(other, partner)
        anonymous = edge.get(other)
        assert (body(anonymous)["as"], anonymous.headers["X-Cache"]) == ("anonymous", "MISS")
        assert [seen.get("authorization") for seen in origin.seen(other)] == [
            "Bearer partner-key",
            None,
        ]

    @pytest.mark.parametrize("query", ["?api_key=folio.secret", "?limit=5&api_key=folio.secret"])
    def test_a_key_in_the_query_string_is_passed(self, edge, origin, query):
        path = origin.answer(fresh("/api/v1/articles/" + query))
        assert [edge.get(path).headers["X-Cache"] for _ in range(2)] == ["MISS", "MISS"]
        assert origin.count(path) == 2

    @pytest.mark.parametrize(
        "prefix", ["/api/v1/preview/?token=t", "/admin/", "/healthz", "/readyz", "/"]
    )
    def test_preview_admin_and_probes_are_never_cached(self, edge, origin, prefix):
        # The origin even calls them public: the VCL passes them whatever the origin says.
        path = origin.answer(fresh(prefix))
        assert [edge.get(path).headers["X-Cache"] for _ in range(2)] == ["MISS", "MISS"]
        assert origin.count(path) == 2

    def test_schema_and_docs_are_cached_like_the_rest_of_the_api(self, edge, origin):
        path = origin.answer(fresh("/api/v1/schema/"))
        edge.get(path)
        assert edge.get(path).headers["X-Cache"] == "HIT"

    def test_the_admin_gets_its_cookies(self, edge, origin):
        path = origin.answer(fresh("/admin/pages/"))
        edge.get(path, {"Cookie": "sessionid=editor; csrftoken=t"})
        assert origin.seen(path)[0]["cookie"] == "sessionid=editor; csrftoken=t"

    def test_writes_are_passed(self, edge, origin):
        path = origin.answer(fresh("/api/v1/sync/"))
        for _ in range(2):
            response = edge.request("POST", path, {"Content-Length": "0"})
            assert response.headers["X-Cache"] == "MISS"
        assert origin.count(path) == 2


@pytest.mark.services
class TestUncacheableAnswers:
    @pytest.mark.parametrize(
        "cache_control",
        [
            "private, max-age=0, must-revalidate",
            "no-store",
            "public, max-age=60, no-cache",
            "public, max-age=0",
            "public, max-age=0, stale-while-revalidate=30",
        ],
    )
    def test_private_no_store_no_cache_and_max_age_0_are_never_cached(
        self, edge, origin, cache_control
    ):
        path = origin.answer(fresh(), cache_control=cache_control)
        assert [edge.get(path).headers["X-Cache"] for _ in range(2)] == ["MISS", "MISS"]
        assert origin.count(path) == 2

    @pytest.mark.parametrize("status", [400, 401, 404, 429, 500, 503])
    def test_only_a_200_is_cached(self, edge, origin, status):
        path = origin.answer(fresh(), status=status, keys=(key(),))
        responses = [edge.get(path) for _ in range(2)]
        assert [(r.status, r.headers["X-Cache"]) for r in responses] == [(status, "MISS")] * 2
        assert origin.count(path) == 2

    def test_a_set_cookie_answer_is_never_cached(self, edge, origin):
        path = origin.answer(fresh(), headers={"Set-Cookie": "csrftoken=abc; Path=/"})
        responses = [edge.get(path) for _ in range(2)]
        assert [r.headers["X-Cache"] for r in responses] == ["MISS", "MISS"]
        assert responses[1].headers["Set-Cookie"] == "csrftoken=abc; Path=/"
        assert origin.count(path) == 2


@pytest.mark.services
class TestConditionalRequests:
    def test_if_none_match_is_answered_304_by_the_edge(self, edge, origin):
        path = origin.answer(fresh())
        etag = edge.get(path).headers["ETag"]

        response = edge.get(path, {"If-None-Match": etag})

        assert (response.status, response.body) == (304, b"")
        assert response.headers["ETag"] == etag
        assert origin.count(path) == 1

    def test_if_modified_since_is_answered_304_by_the_edge(self, edge, origin):
        path = origin.answer(fresh())
        modified = edge.get(path).headers["Last-Modified"]
        assert edge.get(path, {"If-Modified-Since": modified}).status == 304
        assert origin.count(path) == 1

    def test_a_conditional_miss_fetches_the_whole_object_then_answers_304(self, edge, origin):
        path = origin.answer(fresh())
        etag = f'"{uuid.uuid5(uuid.NAMESPACE_URL, path).hex[:12]}-1"'

        assert edge.get(path, {"If-None-Match": etag}).status == 304
        assert "if-none-match" not in origin.seen(path)[0]
        assert edge.get(path).status == 200
        assert origin.count(path) == 1

    def test_a_gzipped_object_is_unzipped_for_clients_that_do_not_accept_gzip(self, edge, origin):
        path = origin.answer(fresh(), gzip=True)

        plain = edge.get(path)
        zipped = edge.get(path, {"Accept-Encoding": "gzip, br"})

        assert (plain.headers["X-Cache"], "Content-Encoding" in plain.headers) == ("MISS", False)
        assert body(plain)["path"] == path
        assert (zipped.headers["X-Cache"], zipped.headers["Content-Encoding"]) == ("HIT", "gzip")
        assert json.loads(gzip.decompress(zipped.body))["path"] == path
        # Varnish asks the origin for gzip whatever the client said, and keeps one object.
        assert origin.count(path) == 1
        assert origin.seen(path)[0]["accept-encoding"] == "gzip"
        # Its weak ETag still answers a client holding the strong one (weak comparison).
        weak = plain.headers["ETag"]
        assert weak.startswith('W/"')
        assert edge.get(path, {"If-None-Match": weak[2:]}).status == 304
        assert origin.count(path) == 1
