"""The VCL tests' loopback origin, which counts requests, and a varnishd in front of it."""

import gzip
import json
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from api.delivery.cdn.vcl import render_vcl
from tests.edge_support import VarnishNode, require_varnishd

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
