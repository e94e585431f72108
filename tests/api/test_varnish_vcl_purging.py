"""The shipped VCL in a real varnishd: purges by key, and stale copies served in grace."""

# ruff: noqa: F811  (its fixtures come from edge_support and varnish_support)

import time

import pytest

from api.delivery.cdn.vcl import render_vcl
from tests.api.varnish_support import body, edge, fresh, key, origin, wait_until  # noqa: F401
from tests.edge_support import varnish_nodes_fixture  # noqa: F401


@pytest.mark.services
class TestPurging:
    def test_purging_a_key_removes_exactly_the_objects_carrying_it(self, edge, origin):
        shared, other = key(), key()
        first = origin.answer(fresh(), keys=(shared, "articles"))
        second = origin.answer(fresh(), keys=("topics", shared))
        kept = origin.answer(fresh(), keys=(other,))
        for path in (first, second, kept):
            edge.get(path)

        purged = edge.purge(shared)

        assert purged.status == 200
        assert purged.reason == "Purged 2 objects"
        assert purged.body == b"Purged 2 objects\n"
        assert edge.get(first).headers["X-Cache"] == "MISS"
        assert edge.get(second).headers["X-Cache"] == "MISS"
        assert edge.get(kept).headers["X-Cache"] == "HIT"
        assert (origin.count(first), origin.count(second), origin.count(kept)) == (2, 2, 1)

    def test_one_purge_takes_several_space_separated_keys(self, edge, origin):
        keys = [key(), key(), key()]
        paths = [origin.answer(fresh(), keys=(k,)) for k in keys]
        kept = origin.answer(fresh(), keys=(key(),))
        for path in [*paths, kept]:
            edge.get(path)

        assert edge.purge(keys).headers["X-Purged"] == "3"

        assert [edge.get(path).headers["X-Cache"] for path in paths] == ["MISS"] * 3
        assert edge.get(kept).headers["X-Cache"] == "HIT"

    def test_a_purge_as_long_as_the_purge_queue_sends_is_accepted(self, edge, origin):
        # api.delivery.cdn.backends sends at most 6000 bytes of keys in one xkey header.
        keys = [f"{key()}-{n:03d}" for n in range(260)]
        assert 5900 < len(" ".join(keys)) <= 6000
        path = origin.answer(fresh(), keys=(keys[-1],))
        edge.get(path)
        assert edge.purge(keys).headers["X-Purged"] == "1"
        assert edge.get(path).headers["X-Cache"] == "MISS"

    def test_a_key_no_object_carries_purges_nothing(self, edge):
        response = edge.purge(key())
        assert (response.status, response.headers["X-Purged"]) == (200, "0")

    def test_a_purge_without_xkey_is_a_bad_request(self, edge, origin):
        path = origin.answer(fresh(), keys=(key(),))
        edge.get(path)
        assert edge.request("PURGE", "/").status == 400
        assert edge.request("PURGE", "/", {"xkey": "  "}).status == 400
        assert edge.get(path).headers["X-Cache"] == "HIT"

    def test_both_accept_variants_go_with_one_purge(self, edge, origin):
        tag = key()
        path = origin.answer(fresh(), keys=(tag,))
        json_, html = {"Accept": "application/json"}, {"Accept": "text/html"}
        assert edge.get(path, json_).headers["X-Cache"] == "MISS"
        assert edge.get(path, html).headers["X-Cache"] == "MISS"
        assert body(edge.get(path, json_))["accept"] == "application/json"
        assert body(edge.get(path, html))["accept"] == "text/html"
        assert origin.count(path) == 2

        assert edge.purge(tag).headers["X-Purged"] == "2"

        assert edge.get(path, json_).headers["X-Cache"] == "MISS"
        assert edge.get(path, html).headers["X-Cache"] == "MISS"
        assert origin.count(path) == 4

    def test_a_purge_from_outside_the_acl_is_forbidden(self, varnish_nodes, origin):
        vcl = render_vcl(
            backend_host="127.0.0.1", backend_port=origin.port, purge_from=["10.0.0.0/8"]
        )
        node = varnish_nodes(vcl)
        path = origin.answer(fresh(), keys=(tag := key(),))
        node.get(path)

        assert node.purge(tag).status == 403
        assert node.get(path).headers["X-Cache"] == "HIT"

    def test_a_restarted_node_answers_on_its_port_with_an_empty_cache(self, varnish_nodes, origin):
        node = varnish_nodes(render_vcl(backend_host="127.0.0.1", backend_port=origin.port))
        path = origin.answer(fresh())
        node.get(path)
        port = node.port

        node.restart()

        assert node.port == port
        assert node.get(path).headers["X-Cache"] == "MISS"
        assert origin.count(path) == 2


@pytest.mark.services
class TestGrace:
    def test_stale_while_revalidate_serves_stale_until_a_purge_makes_it_a_miss(self, edge, origin):
        tag = key()
        path = origin.answer(
            fresh(), cache_control="public, max-age=1, stale-while-revalidate=30", keys=(tag,)
        )
        assert body(edge.get(path))["n"] == 1
        time.sleep(1.2)

        # Past max-age: the stale copy at once, and a refetch in the background.
        stale = edge.get(path)
        assert (stale.headers["X-Cache"], body(stale)["n"]) == ("HIT", 1)
        wait_until(lambda: body(edge.get(path))["n"] == 2, what="the background refetch")
        time.sleep(1.2)

        # Stale again, in grace: a purge drops it for good.
        assert edge.purge(tag).headers["X-Purged"] == "1"
        after = edge.get(path)
        assert (after.headers["X-Cache"], body(after)["n"]) == ("MISS", 3)
        assert origin.count(path) == 3

    @pytest.mark.parametrize("failure", [{"status": 503}, {"status": 429}, {"drop": True}])
    def test_a_failing_refetch_keeps_the_stale_copy(self, edge, origin, failure):
        path = fresh()
        origin.answer(path, cache_control="public, max-age=1, stale-while-revalidate=30")
        edge.get(path)
        origin.answer(path, cache_control="public, max-age=1, stale-while-revalidate=30", **failure)
        time.sleep(1.2)

        assert body(edge.get(path))["n"] == 1
        wait_until(lambda: origin.count(path) == 2, what="the background refetch")
        time.sleep(0.3)

        # Each later request refetches again (and fails again), and still gets the stale copy.
        for _ in range(3):
            response = edge.get(path)
            assert (response.status, body(response)["n"]) == (200, 1)
