"""One webhook POST: to a checked address, no redirects followed, within a hard deadline."""

import contextlib
import http.client
import socket
import threading
import time
from dataclasses import dataclass

from api.webhooks.addresses import WebhookTarget
from cms.outbound import PinnedConnection

EXCERPT_CHARS = 500
_EXCERPT_BYTES = 4 * EXCERPT_CHARS  # enough for 500 characters of UTF-8


@dataclass(frozen=True)
class PostResult:
    status_code: int | None
    latency_ms: int
    response_excerpt: str = ""
    error: str = ""

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _connection(target: WebhookTarget, *, timeout: float, deadline: float) -> PinnedConnection:
    return PinnedConnection(
        scheme=target.scheme,
        host=target.host,
        port=target.port,
        addresses=target.addresses,
        timeout=timeout,
        deadline=deadline,
    )


def post(
    target: WebhookTarget, *, body: bytes, headers: dict[str, str], timeout: float
) -> PostResult:
    """POST `body` to `target` and report the answer; never raises for network failures.

    `timeout` bounds the whole exchange, not each socket operation: a receiver that trickles
    its answer a byte at a time is cut off when it runs out, so an attempt never outlives the
    lease its worker holds. The status line counts; the body is read for an excerpt only.
    """
    started = time.monotonic()
    connection = _connection(target, timeout=timeout, deadline=started + timeout)
    expired = threading.Event()

    def cut_off():
        expired.set()
        sock = connection.sock
        if sock is not None:
            # On the plain socket, even under TLS: wakes a read blocked in another thread.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    watchdog = threading.Timer(timeout, cut_off)
    watchdog.daemon = True
    watchdog.start()
    try:
        try:
            connection.request("POST", target.path, body=body, headers=headers)
            response = connection.getresponse()
        except (OSError, http.client.HTTPException, ValueError) as error:
            latency = _elapsed_ms(started)
            if expired.is_set() or isinstance(error, TimeoutError):
                return PostResult(None, latency, error=f"timed out after {timeout:g} s")
            return PostResult(None, latency, error=_describe(error))
        latency = _elapsed_ms(started)
        if expired.is_set():
            # Cut off while the headers trickled in: what was parsed is not an answer.
            return PostResult(None, latency, error=f"timed out after {timeout:g} s")
        return PostResult(response.status, latency, response_excerpt=_excerpt(response))
    finally:
        watchdog.cancel()
        connection.close()


def _excerpt(response: http.client.HTTPResponse) -> str:
    """The start of the response body, as far as it arrives before the deadline."""
    chunks, size = [], 0
    try:
        while size < _EXCERPT_BYTES:
            chunk = response.read1(_EXCERPT_BYTES - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except (OSError, http.client.HTTPException, ValueError):
        pass  # the status is what counts; keep what was read
    return b"".join(chunks).decode("utf-8", errors="replace")[:EXCERPT_CHARS]


def _describe(error: BaseException) -> str:
    text = str(error) or error.__class__.__name__
    return f"{error.__class__.__name__}: {text}"[:500]


def _elapsed_ms(started: float) -> int:
    return max(0, round((time.monotonic() - started) * 1000))
