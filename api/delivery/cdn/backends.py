"""Purge targets: Varnish nodes, Fastly and Cloudflare, each purged by surrogate key over HTTP.

The purge queue (`purges`) keeps a row per target `name` and splits a change's keys with
`chunks(target, keys)` to the target's per-request limits; `target.purge(chunk)` then sends
exactly one request, follows no redirect, and raises `PurgeFailed` unless the target confirmed
the purge, so the queue can retry it. Targets are built from the settings on every call of
`configured_targets()`; none holds a connection or any other state.
"""

import json
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar
from urllib.parse import quote

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from api.delivery.cdn.config import cdn_backend, cdn_configuration_problems, cdn_settings

logger = logging.getLogger("folio.api.cdn")

USER_AGENT = "Folio-Purge/1.0"
EXCERPT_CHARS = 200
# Neither Fastly nor Cloudflare documents a body limit; this bound of our own keeps one request
# reasonable (their key counts are what binds).
JSON_BODY_BYTES = 64 * 1024
# An answer is read this far at most: enough for Fastly's purge ids for 256 keys.
_ANSWER_BYTES = 1024 * 1024
# What a surrogate key may be made of: printable ASCII (Fastly ignores any other key, and it
# travels in HTTP headers), without the space (Surrogate-Key, xkey) or the comma (Cache-Tag)
# that separate keys.
_KEY_CHARACTERS = frozenset(chr(code) for code in range(0x21, 0x7F)) - {","}


class PurgeFailed(Exception):
    """A purge request that the target did not confirm: refused, unanswered or unreachable."""

    def __init__(self, target: str, reason: str, *, status: int | None = None, excerpt: str = ""):
        self.target = target
        self.reason = reason
        self.status = status  # None: no HTTP answer at all
        self.excerpt = excerpt
        super().__init__(f"{target}: {reason}" + (f": {excerpt}" if excerpt else ""))


class PurgeTarget:
    """Somewhere to purge keys from, one request of at most `max_keys` keys at a time.

    `max_bytes` bounds a request's keys counted as by `key_bytes`. `name` is stable across
    restarts (the queue stores it), so it names the target, never its credentials.
    """

    name: str
    max_keys: ClassVar[int]
    max_bytes: ClassVar[int]

    def purge(self, keys: Sequence[str]) -> None:
        """Purge `keys` (one chunk) in one request; raise `PurgeFailed` unless confirmed."""
        raise NotImplementedError

    def _send(
        self,
        method: str,
        url: str,
        keys: Sequence[str],
        *,
        headers: dict[str, str],
        body: bytes | None = None,
        secret: str = "",
    ) -> tuple[int, bytes]:
        """One request; its status and the start of its body, or `PurgeFailed` for no answer.

        `CDN_PURGE_TIMEOUT` bounds the connection and each read (requests' timeout), not
        their sum. `secret` (the API token) is struck from anything the target says back
        before it can reach an exception or a log line.
        """
        timeout = settings.CDN_PURGE_TIMEOUT
        started = time.monotonic()
        try:
            with requests.Session() as session:
                # Straight to the target, as configured: no proxy variables, no .netrc.
                session.trust_env = False
                response = session.request(
                    method,
                    url,
                    headers={"User-Agent": USER_AGENT, **headers},
                    data=body,
                    timeout=timeout,
                    allow_redirects=False,
                    stream=True,
                )
                with response:
                    answer = _read(response)
        except requests.Timeout:
            self._log(keys, f"timed out after {timeout:g} s", started)
            raise PurgeFailed(self.name, f"timed out after {timeout:g} s") from None
        except requests.RequestException as error:
            reason = f"network error: {_redacted(_describe(error), secret)}"
            self._log(keys, reason, started)
            raise PurgeFailed(self.name, reason) from None
        self._log(keys, f"HTTP {response.status_code}", started)
        return response.status_code, _redacted_bytes(answer, secret)

    def _log(self, keys: Sequence[str], outcome: str, started: float) -> None:
        elapsed_ms = round((time.monotonic() - started) * 1000)
        logger.info("purge %s: %d keys, %s, %d ms", self.name, len(keys), outcome, elapsed_ms)

    def _refused(self, status: int, answer: bytes, reason: str = "") -> PurgeFailed:
        return PurgeFailed(
            self.name, reason or f"HTTP {status}", status=status, excerpt=_excerpt(answer)
        )


@dataclass(frozen=True)
class VarnishNode(PurgeTarget):
    """One Varnish node: `PURGE /` with the keys in an `xkey` header (vmod xkey), answered 200.

    Varnish refuses a request header line over `http_req_hdr_len` (8 KB by default); 6000 bytes
    of keys leave room for the header's name and the rest of the request.
    """

    base_url: str

    max_keys: ClassVar[int] = 3000  # never the binding limit: each key costs at least 2 bytes
    max_bytes: ClassVar[int] = 6000

    def __post_init__(self):
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))

    @property
    def name(self) -> str:
        return f"varnish {self.base_url}"

    def purge(self, keys: Sequence[str]) -> None:
        status, answer = self._send(
            "PURGE", f"{self.base_url}/", keys, headers={"xkey": " ".join(keys)}
        )
        if status != 200:
            raise self._refused(status, answer)


@dataclass(frozen=True)
class Fastly(PurgeTarget):
    """A Fastly service: `POST /service/{id}/purge` with `{"surrogate_keys": [...]}`.

    Fastly's API reference (bulk purge by surrogate key): "Up to 256 surrogate keys can be
    purged in one batch request"; `Fastly-Soft-Purge: 1` marks the objects stale instead of
    removing them. Success is 200 with a JSON object of the keys' purge ids.
    """

    service_id: str
    token: str = field(repr=False)
    api_url: str = "https://api.fastly.com"
    soft: bool = False

    name: ClassVar[str] = "fastly"
    max_keys: ClassVar[int] = 256
    max_bytes: ClassVar[int] = JSON_BODY_BYTES

    def purge(self, keys: Sequence[str]) -> None:
        headers = {
            "Fastly-Key": self.token,
            "Accept": "application/json",
            "Content-Type": "application/json",
        }
        if self.soft:
            headers["Fastly-Soft-Purge"] = "1"
        url = f"{self.api_url.rstrip('/')}/service/{quote(self.service_id, safe='')}/purge"
        body = json.dumps({"surrogate_keys": list(keys)}).encode()
        status, answer = self._send(
            "POST", url, keys, headers=headers, body=body, secret=self.token
        )
        if status != 200:
            raise self._refused(status, answer)
        if not isinstance(_json(answer), dict):
            raise self._refused(status, answer, "HTTP 200 without a JSON object")


@dataclass(frozen=True)
class Cloudflare(PurgeTarget):
    """A Cloudflare zone: `POST /zones/{id}/purge_cache` with `{"tags": [...]}`.

    Cloudflare's purge documentation allows up to 100 operations (here: tags) per request on
    every plan for tag, hostname and prefix purges (older documentation said 30 tags a call).
    Success is HTTP 200 with `"success": true` in the JSON envelope.
    """

    zone_id: str
    token: str = field(repr=False)
    api_url: str = "https://api.cloudflare.com/client/v4"

    name: ClassVar[str] = "cloudflare"
    max_keys: ClassVar[int] = 100
    max_bytes: ClassVar[int] = JSON_BODY_BYTES

    def purge(self, keys: Sequence[str]) -> None:
        headers = {
            "Authorization": f"Bearer {self.token}",
            "Accept": "application/json",
            "Content-Type": "application/json",
        }
        url = f"{self.api_url.rstrip('/')}/zones/{quote(self.zone_id, safe='')}/purge_cache"
        body = json.dumps({"tags": list(keys)}).encode()
        status, answer = self._send(
            "POST", url, keys, headers=headers, body=body, secret=self.token
        )
        if status != 200:
            raise self._refused(status, answer)
        envelope = _json(answer)
        if not isinstance(envelope, dict) or envelope.get("success") is not True:
            raise self._refused(status, answer, 'HTTP 200 without "success": true')


def key_bytes(key: str) -> int:
    """What `key` counts against `max_bytes`: its UTF-8 bytes and one separator."""
    return len(key.encode()) + 1


def chunks(target: PurgeTarget, keys: Iterable[str]) -> list[list[str]]:
    """`keys` sorted and de-duplicated, split into requests within the target's limits.

    Raises ValueError for a key no request can carry: empty, with a separator or anything but
    printable ASCII in it, or longer than `max_bytes` on its own.
    """
    result: list[list[str]] = []
    current: list[str] = []
    size = 0
    for key in sorted(set(keys)):
        if not key or not _KEY_CHARACTERS.issuperset(key):
            raise ValueError(f"not a surrogate key: {key[:100]!r}")
        cost = key_bytes(key)
        if cost > target.max_bytes:
            raise ValueError(f"surrogate key longer than {target.name} accepts: {key[:100]!r}")
        if current and (len(current) >= target.max_keys or size + cost > target.max_bytes):
            result.append(current)
            current, size = [], 0
        current.append(key)
        size += cost
    if current:
        result.append(current)
    return result


def configured_targets() -> list[PurgeTarget]:
    """Every target the settings name: one per Varnish node, or Fastly, or Cloudflare.

    Empty when `CDN_BACKEND` is; raises ImproperlyConfigured for settings that are half there
    (production refuses to start with them, so this is for the other settings modules).
    """
    values = cdn_settings(settings)
    problems = cdn_configuration_problems(values)
    if problems:
        raise ImproperlyConfigured(" ".join(problems))
    backend = cdn_backend(values)
    if backend == "varnish":
        return [VarnishNode(url) for url in settings.CDN_VARNISH_URLS]
    if backend == "fastly":
        return [
            Fastly(
                settings.CDN_FASTLY_SERVICE_ID.strip(),
                settings.CDN_FASTLY_API_TOKEN.strip(),
                settings.CDN_FASTLY_API_URL,
                bool(settings.CDN_FASTLY_SOFT_PURGE),
            )
        ]
    if backend == "cloudflare":
        return [
            Cloudflare(
                settings.CDN_CLOUDFLARE_ZONE_ID.strip(),
                settings.CDN_CLOUDFLARE_API_TOKEN.strip(),
                settings.CDN_CLOUDFLARE_API_URL,
            )
        ]
    return []


def target_named(name: str) -> PurgeTarget | None:
    """The configured target called `name`; None once the settings no longer name it."""
    return next((target for target in configured_targets() if target.name == name), None)


def _read(response: requests.Response) -> bytes:
    received = bytearray()
    for chunk in response.iter_content(64 * 1024):
        received += chunk
        if len(received) >= _ANSWER_BYTES:
            break
    return bytes(received[:_ANSWER_BYTES])


def _json(answer: bytes) -> object:
    try:
        return json.loads(answer)
    except ValueError:
        return None


def _excerpt(answer: bytes) -> str:
    text = " ".join(answer.decode("utf-8", errors="replace").split())
    return text[:EXCERPT_CHARS] + ("..." if len(text) > EXCERPT_CHARS else "")


def _describe(error: BaseException) -> str:
    return f"{error.__class__.__name__}: {error}"[:300]


def _redacted(text: str, secret: str) -> str:
    return text.replace(secret, "[token]") if secret else text


def _redacted_bytes(answer: bytes, secret: str) -> bytes:
    return answer.replace(secret.encode(), b"[token]") if secret else answer
