"""What the served process answers to requests gunicorn refuses and to unsupported methods: JSON.

Raw sockets, since no HTTP client sends a malformed request; one server for the module.
"""

import contextlib
import json
import os
import socket
from dataclasses import dataclass

import pytest

from tests.live.conftest import AppServer

# No data of their own (the site the migrations create answers a list), so no transactional
# database: the mark only has the test database created for the server.
pytestmark = [pytest.mark.services, pytest.mark.django_db]


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]  # names lower-cased
    body: bytes

    def error(self) -> dict:
        """The contract's error object, after checking the envelope around it."""
        assert self.headers.get("content-type") == "application/json", self.headers
        assert b"<html" not in self.body.lower()
        error = json.loads(self.body)["error"]
        assert error["status"] == self.status
        assert error["code"] and error["message"]
        assert isinstance(error["details"], dict)
        return error

    def refusal(self) -> dict:
        """The error of a request the HTTP server refused: nothing of it is echoed back."""
        error = self.error()
        assert error["details"] == {}
        assert self.headers["connection"] == "close"
        return error


def exchange(server: AppServer, raw: bytes, *, body: bool = True) -> RawResponse:
    """Send `raw` on a new connection and read one response (without its body for HEAD)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        # Refused mid-send (100 KB), the answer is already waiting to be read.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(raw)
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = sock.recv(65536)
            assert chunk, f"connection closed after {received!r}"
            received += chunk
        head, _, content = received.partition(b"\r\n\r\n")
        status_line, *lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", 0)) if body else 0
        while len(content) < length:
            chunk = sock.recv(65536)
            assert chunk, "connection closed mid-body"
            content += chunk
    return RawResponse(int(status_line.split()[1]), headers, content)


def get(path: str, *headers: str) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: localhost", *headers, "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


@pytest.fixture(scope="module")
def server(services, django_db_setup):
    server = AppServer(redis_url=os.environ["REDIS_URL"]).start()
    yield server
    server.stop()


def assert_still_serving(server: AppServer) -> None:
    response = exchange(server, get("/api/v1/articles/"))
    assert response.status == 200
    assert "results" in json.loads(response.body)


class TestRefusedByTheHttpServer:
    @pytest.mark.parametrize("length", [5 * 1024, 9 * 1024, 100 * 1024])
    def test_an_overlong_request_line_is_414(self, server, length):
        response = exchange(server, get("/api/v1/articles/?search=" + "a" * length))

        assert response.status == 414
        assert response.refusal()["code"] == "uri_too_long"
        assert_still_serving(server)

    def test_a_request_line_at_the_limit_is_served(self, server):
        # 4,094 bytes of method, target and version: the largest gunicorn reads (not a 414).
        path = "/api/v1/articles/?search="
        path += "a" * (4094 - len(f"GET {path} HTTP/1.1"))
        response = exchange(server, get(path))

        assert response.status == 400  # search over 200 characters: the API's own refusal
        assert response.error()["code"] == "invalid_parameter"

    def test_an_oversized_header_is_431(self, server):
        response = exchange(server, get("/api/v1/articles/", "X-Large: " + "b" * 20 * 1024))

        assert response.status == 431
        assert response.refusal()["code"] == "headers_too_large"
        assert_still_serving(server)

    def test_too_many_headers_is_431(self, server):
        headers = [f"X-Header-{n}: value" for n in range(200)]
        response = exchange(server, get("/api/v1/articles/", *headers))

        assert response.status == 431
        assert response.refusal()["code"] == "headers_too_large"
        assert_still_serving(server)

    @pytest.mark.parametrize(
        "raw",
        [
            b"GARBAGE\r\n\r\n",
            b"GET /api/v1/ HTTP/9.9\r\nHost: localhost\r\n\r\n",
            b"GET /api/v1/\x00articles/ HTTP/1.1\r\nHost: localhost\r\n\r\n",
            b"GET /api/v1/articles/ HTTP/1.1\r\nHost: localhost\r\nBad Name: x\r\n\r\n",
            b"GET /api/v1/articles/ HTTP/1.1\r\nHost: localhost\r\nX-Nul: a\x00b\r\n\r\n",
        ],
        ids=["garbage", "http-9.9", "nul-in-request-line", "space-in-header-name", "nul-in-header"],
    )
    def test_a_malformed_request_is_400(self, server, raw):
        response = exchange(server, raw)

        assert response.status == 400
        assert response.refusal()["code"] == "bad_request"
        assert_still_serving(server)

    def test_an_expectation_other_than_100_continue_is_417(self, server):
        response = exchange(server, get("/api/v1/articles/", "Expect: 200-ok"))

        assert response.status == 417
        assert response.refusal()["code"] == "expectation_failed"
        assert_still_serving(server)

    def test_an_unknown_transfer_coding_is_501(self, server):
        raw = (
            b"POST /api/v1/articles/ HTTP/1.1\r\nHost: localhost\r\n"
            b"Transfer-Encoding: brotli\r\n\r\n"
        )
        response = exchange(server, raw)

        assert response.status == 501
        assert response.refusal()["code"] == "not_implemented"
        assert_still_serving(server)

    def test_a_proxy_protocol_line_when_none_is_configured_is_400(self, server):
        raw = b"PROXY TCP4 192.0.2.1 192.0.2.2 5000 80\r\n" + get("/api/v1/articles/")
        response = exchange(server, raw)

        assert response.status == 400
        assert response.refusal()["code"] == "bad_request"


@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "PATCH", "PUT", "DELETE", "POST"])
@pytest.mark.parametrize(
    ("path", "allow"),
    [
        ("/api/v1/articles/", "GET, HEAD, OPTIONS"),
        ("/feeds/articles.rss", "GET, HEAD"),
        ("/healthz", "GET, HEAD"),
        ("/readyz", "GET, HEAD"),
    ],
)
def test_an_unsupported_method_is_a_json_405(server, method, path, allow):
    raw = f"{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n".encode()
    response = exchange(server, raw)

    assert response.status == 405
    assert response.error()["code"] == "method_not_allowed"
    assert response.headers["allow"] == allow


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_the_probes_answer_get_and_head(server, path):
    assert exchange(server, get(path)).status == 200
    head = exchange(server, f"HEAD {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode(), body=False)
    assert head.status == 200
    assert head.body == b""
