"""The shipped VCL, run by a real varnishd in front of a loopback origin that counts requests."""

import gzip
import io
import json
import subprocess
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from api.delivery.cdn.vcl import RECOMMENDED_PARAMETERS, render_vcl
from tests.edge_support import VarnishNode, require_varnishd, varnish_nodes_fixture  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_VCL = ROOT / "deploy" / "varnish" / "folio.vcl"

# What Folio gives an anonymous read, with short lifetimes so that tests can outwait them.
PUBLIC = "public, max-age=60, stale-while-revalidate=300"
VARY = "Accept, Accept-Encoding, Authorization"


@dataclass
class Answer:
    status: int = 200
    cache_control: str = PUBLIC
    keys: tuple[str, ...] = ()
    headers: dict = field(default_factory=dict)
    gzip: bool = False  # compress when the request accepts gzip, as Folio does
    drop: bool = False  # close the connection without answering (an origin going away)


class Origin:
    """A loopback HTTP origin: a canned answer per path (query string included), and every
    request's headers kept per path. Bodies say which request they answer (`n`) and for whom."""

    def __init__(self):
        self.answers: dict[str, Answer] = {}
        self.requests: dict[str, list[dict]] = defaultdict(list)
        self.lock = threading.Lock()
        origin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                origin.handle(self)

            do_HEAD = do_POST = do_GET

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer(self, path: str, **options) -> str:
        self.answers[path] = Answer(**options)
        return path

    def count(self, path: str) -> int:
        with self.lock:
            return len(self.requests[path])

    def seen(self, path: str) -> list[dict]:
        with self.lock:
            return list(self.requests[path])

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        headers = {name.lower(): value for name, value in request.headers.items()}
        if request.command == "POST":
            request.rfile.read(int(headers.get("content-length") or 0))
        with self.lock:
            self.requests[request.path].append({"method": request.command, **headers})
            number = len(self.requests[request.path])
        answer = self.answers.get(request.path, Answer())
        if answer.drop:
            request.close_connection = True
            return
        body = json.dumps(
            {
                "path": request.path,
                "n": number,
                "as": headers.get("authorization", "anonymous"),
                "accept": headers.get("accept", ""),
            }
        ).encode()
        sent = {
            "Content-Type": "application/json",
            "Cache-Control": answer.cache_control,
            "Vary": VARY,
            "ETag": f'"{uuid.uuid5(uuid.NAMESPACE_URL, request.path).hex[:12]}-{number}"',
            "Last-Modified": "Tue, 01 Dec 2026 10:00:00 GMT",
            **answer.headers,
        }
        if answer.keys:
            sent["Surrogate-Key"] = " ".join(answer.keys)
        if answer.gzip and "gzip" in headers.get("accept-encoding", ""):
            # Like Django's GZipMiddleware: the compressed body's ETag is the weak form.
            body = gzip.compress(body)
            sent["Content-Encoding"] = "gzip"
            sent["ETag"] = f"W/{sent['ETag']}"
        request.send_response(answer.status)
        for name, value in sent.items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        if request.command != "HEAD":
            request.wfile.write(body)

    def start(self) -> "Origin":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def fresh(prefix: str = "/api/v1/articles/") -> str:
    """A path no other test caches: the node and origin are shared by the module."""
    separator = "&" if "?" in prefix else "?"
    return f"{prefix}{separator}case={uuid.uuid4().hex[:10]}"


def key() -> str:
    return f"article-{uuid.uuid4().hex[:10]}"


def wait_until(predicate, *, timeout: float = 10.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def body(response) -> dict:
    return json.loads(response.body)


@pytest.fixture(scope="module")
def origin():
    server = Origin().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def edge(origin, tmp_path_factory):
    """The rendered VCL in a varnishd of its own, in front of the module's origin."""
    require_varnishd()
    vcl = render_vcl(backend_host="127.0.0.1", backend_port=origin.port)
    node = VarnishNode(vcl, tmp_path_factory.mktemp("edge")).start()
    yield node
    node.stop()


class TestRendering:
    def test_the_shipped_file_is_what_the_command_renders(self):
        out = io.StringIO()
        call_command("varnish_vcl", "--backend", "127.0.0.1:8000", stdout=out)
        assert SHIPPED_VCL.read_text() == out.getvalue(), (
            "deploy/varnish/folio.vcl is stale: manage.py varnish_vcl --backend 127.0.0.1:8000 "
            "--output deploy/varnish/folio.vcl"
        )

    def test_the_header_names_the_generator_and_the_parameters(self):
        vcl = render_vcl(backend_host="127.0.0.1", backend_port=8000)
        assert "manage.py varnish_vcl" in vcl
        assert " ".join(RECOMMENDED_PARAMETERS) in vcl
        assert "vcl 4.1;" in vcl
        assert "import xkey;" in vcl
        assert "import std;" in vcl
        assert "softpurge" not in vcl

    def test_the_default_purge_acl_is_loopback(self):
        vcl = render_vcl(backend_host="127.0.0.1", backend_port=8000)
        assert 'acl purgers {\n    "127.0.0.1";\n    "::1";\n}' in vcl

    def test_purge_from_addresses_and_networks_become_acl_entries(self):
        vcl = render_vcl(
            backend_host="folio.internal",
            backend_port=8080,
            purge_from=["10.0.0.0/8", "2001:db8::/32", "192.168.1.5", "10.0.0.0/8"],
        )
        assert (
            'acl purgers {\n    "10.0.0.0"/8;\n    "2001:db8::"/32;\n    "192.168.1.5";\n}' in vcl
        )
        assert '.host = "folio.internal";' in vcl
        assert '.port = "8080";' in vcl

    @pytest.mark.parametrize("entry", ["10.0.0.0/33", "not-an-address", "10.1.0.0/8", ""])
    def test_a_bad_purge_from_entry_is_named(self, entry):
        with pytest.raises(ValueError, match=f"purge_from: {entry!r}"):
            render_vcl(backend_host="127.0.0.1", backend_port=8000, purge_from=["::1", entry])

    def test_an_empty_purge_acl_is_refused(self):
        with pytest.raises(ValueError, match="purge_from"):
            render_vcl(backend_host="127.0.0.1", backend_port=8000, purge_from=[])

    @pytest.mark.parametrize("host", ['evil"; }', "", "a b", "host/path"])
    def test_a_bad_backend_host_is_refused(self, host):
        with pytest.raises(ValueError, match="backend_host"):
            render_vcl(backend_host=host, backend_port=8000)

    @pytest.mark.parametrize("port", [0, 65536, True])
    def test_a_bad_backend_port_is_refused(self, port):
        with pytest.raises(ValueError, match="backend_port"):
            render_vcl(backend_host="127.0.0.1", backend_port=port)


class TestCommand:
    def test_output_writes_the_file_and_purge_from_repeats(self, tmp_path):
        target = tmp_path / "edge.vcl"
        call_command(
            "varnish_vcl",
            "--backend",
            "[::1]:9000",
            "--purge-from",
            "10.0.0.0/8",
            "--purge-from",
            "::1",
            "--output",
            str(target),
            stderr=io.StringIO(),
        )
        assert target.read_text() == render_vcl(
            backend_host="::1", backend_port=9000, purge_from=["10.0.0.0/8", "::1"]
        )

    @pytest.mark.parametrize("backend", ["127.0.0.1", "host:port", ":8000", "::1:8000", "h:70000"])
    def test_a_bad_backend_is_a_command_error(self, backend):
        with pytest.raises(CommandError, match="--backend"):
            call_command("varnish_vcl", "--backend", backend, stdout=io.StringIO())

    def test_a_bad_cidr_is_a_command_error_naming_it(self):
        with pytest.raises(CommandError, match=r"--purge-from: '10\.0\.0\.0/99'"):
            call_command(
                "varnish_vcl",
                "--backend",
                "127.0.0.1:8000",
                "--purge-from",
                "10.0.0.0/99",
                stdout=io.StringIO(),
            )


@pytest.mark.services
class TestCompiles:
    @pytest.mark.parametrize(
        "options",
        [
            {"backend_host": "127.0.0.1", "backend_port": 8000},
            {"backend_host": "::1", "backend_port": 8000, "purge_from": ["10.0.0.0/8", "::1/128"]},
        ],
    )
    def test_varnishd_compiles_the_vcl(self, tmp_path, options):
        require_varnishd()
        path = tmp_path / "folio.vcl"
        path.write_text(render_vcl(**options))
        compiled = subprocess.run(  # noqa: S603
            ["varnishd", "-j", "none", "-n", str(tmp_path / "n"), "-C", "-f", str(path)],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        )
        assert compiled.returncode == 0, compiled.stderr[-3000:]


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
