"""A loopback recorder standing in for a Varnish node, Fastly's API or Cloudflare's API.

It records each request as it arrived (method, path, headers, body) and answers as a test
scripts it: the next scripted answer, then `default`.
"""

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.loopback import loopback_serve, loopback_stop

FASTLY_OK = b'{"status": "ok"}'


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    body: bytes

    @property
    def json(self) -> object:
        return json.loads(self.body)


@dataclass
class Answer:
    status: int = 200
    body: bytes = FASTLY_OK
    sleep: float = 0.0
    location: str = ""


@dataclass
class Recorder:
    """Answers every request with the next scripted answer (then `default`), recording it."""

    default: Answer = field(default_factory=Answer)
    requests: list[Recorded] = field(default_factory=list)
    scripted: list[Answer] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, times: int = 1, **answer) -> None:
        with self.lock:
            self.scripted.extend(Answer(**answer) for _ in range(times))

    def next_answer(self) -> Answer:
        with self.lock:
            return self.scripted.pop(0) if self.scripted else self.default


def _handler(recorder: Recorder):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            self.record_and_answer()

        def do_PURGE(self):
            self.record_and_answer()

        def record_and_answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            recorded = Recorded(
                method=self.command,
                path=self.path,
                headers={name.lower(): value for name, value in self.headers.items()},
                body=self.rfile.read(length),
            )
            answer = recorder.next_answer()
            with recorder.lock:
                recorder.requests.append(recorded)
            if answer.sleep:
                time.sleep(answer.sleep)
            try:
                self.send_response(answer.status)
                if answer.location:
                    self.send_header("Location", answer.location)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)
            except OSError:
                pass  # the client gave up waiting

        def log_message(self, *args):
            pass

    return Handler


def recorder_start() -> Recorder:
    running = Recorder()
    running.server = loopback_serve(_handler(running))
    return running


def recorder_stop(running: Recorder) -> None:
    loopback_stop(running.server)


@pytest.fixture
def recorder():
    running = recorder_start()
    yield running
    recorder_stop(running)


@pytest.fixture
def closed_url() -> str:
    """A loopback address where nothing listens."""
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    return f"http://127.0.0.1:{port}"
