"""Real Varnish nodes for tests: start, query, purge, stop and restart a varnishd of our own."""

import glob
import http.client
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from api.delivery.cdn.vcl import RECOMMENDED_PARAMETERS
from tests.conftest import service_missing
from tests.factories import AuthorFactory, TopicFactory, series_with_members

# Where Debian (multiarch) and a source build put vmods.
XKEY_VMODS = tuple(
    f"{prefix}/varnish/vmods/libvmod_xkey.so"
    for prefix in ("/usr/lib/*", "/usr/lib", "/usr/local/lib")
)


def varnishd_missing() -> str | None:
    """What is missing to run Folio's VCL (varnishd, vmod xkey), or None when nothing is."""
    if shutil.which("varnishd") is None or shutil.which("varnishadm") is None:
        return "varnishd (Debian: apt-get install varnish varnish-modules)"
    if not any(glob.glob(pattern) for pattern in XKEY_VMODS):
        return "varnish-modules' vmod xkey (Debian: apt-get install varnish-modules)"
    return None


def require_varnishd() -> None:
    """Fail in CI (FOLIO_REQUIRE_SERVICES=1), skip elsewhere, when Varnish is not installed."""
    missing = varnishd_missing()
    if missing:
        service_missing(missing)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Headers(Mapping):
    """Response headers by case-insensitive name; repeated headers joined with ', '."""

    def __init__(self, pairs):
        self._items: dict[str, tuple[str, str]] = {}
        for name, value in pairs:
            key = name.lower()
            if key in self._items:
                value = f"{self._items[key][1]}, {value}"
            self._items[key] = (name, value)

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()][1]

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Headers({dict(self.items())!r})"


@dataclass
class EdgeResponse:
    status: int
    reason: str
    headers: Headers
    body: bytes


def http_request(
    port: int, method: str, path: str, headers: dict | None = None, timeout: float = 10.0
) -> EdgeResponse:
    """One request on a fresh connection; `headers` are sent as given (nothing is added but
    Host, and `Accept-Encoding: identity` unless the caller names an Accept-Encoding)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        return EdgeResponse(response.status, response.reason, Headers(response.getheaders()), body)
    finally:
        connection.close()


class VarnishNode:
    """One varnishd on a loopback port, with its own `-n` directory (several run at once).

    It runs Folio's recommended parameters and Varnish's own defaults otherwise (notably
    `default_grace`, 10 s), so a test sees what a deployed node does. `-j none`: no switch to
    the varnish users, which could not read a VCL under pytest's private (0700) tmp directory.
    """

    def __init__(self, vcl_text: str, workdir: Path, *, port: int | None = None):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.vcl_path = self.workdir / "edge.vcl"
        self.vcl_path.write_text(vcl_text)
        self.name_dir = self.workdir / "varnishd"
        self.log = self.workdir / "varnishd.log"
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, *, timeout: float = 30.0) -> "VarnishNode":
        self.process = subprocess.Popen(  # noqa: S603 - a fixed binary and our own arguments
            [  # noqa: S607 - varnishd from PATH, as the Makefile runs it
                "varnishd",
                "-F",
                "-j",
                "none",
                "-n",
                str(self.name_dir),
                "-a",
                f"127.0.0.1:{self.port}",
                "-f",
                str(self.vcl_path),
                "-s",
                "malloc,64m",
                *RECOMMENDED_PARAMETERS,
            ],
            stdin=subprocess.DEVNULL,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while not self._running():
            if self.process.poll() is not None:
                raise AssertionError(f"varnishd exited: {self.log.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"varnishd did not start: {self.log.read_text()[-3000:]}")
            time.sleep(0.1)
        return self

    def _running(self) -> bool:
        # The manager accepts connections before its child serves them: ask the child's state.
        status = subprocess.run(  # noqa: S603
            ["varnishadm", "-n", str(self.name_dir), "-t", "2", "status"],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        )
        return status.returncode == 0 and "running" in status.stdout

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None

    def restart(self) -> "VarnishNode":
        """Stop and start again on the same port, with an empty cache (a node that was down)."""
        self.stop()
        return self.start()

    def request(self, method: str, path: str, headers: dict | None = None) -> EdgeResponse:
        return http_request(self.port, method, path, headers)

    def get(self, path: str, headers: dict | None = None) -> EdgeResponse:
        return self.request("GET", path, headers)

    def purge(self, keys, headers: dict | None = None) -> EdgeResponse:
        """`PURGE /` with `xkey: <keys>` (a string or an iterable of keys)."""
        value = keys if isinstance(keys, str) else " ".join(keys)
        return self.request("PURGE", "/", {"xkey": value, **(headers or {})})


@pytest.fixture(name="varnish_nodes")
def varnish_nodes_fixture(tmp_path):
    """Start Varnish nodes on demand: `varnish_nodes(vcl_text)`; all stop when the test ends.

    Import `varnish_nodes_fixture` into a test module (or a conftest) to use it."""
    require_varnishd()
    started: list[VarnishNode] = []

    def start(vcl_text: str) -> VarnishNode:
        node = VarnishNode(vcl_text, tmp_path / f"varnish-{len(started)}")
        started.append(node)
        return node.start()

    yield start
    for node in started:
        node.stop()


def edge_world(make_article) -> dict:
    """`first` and `second` in a series by one author, `first` on `the-topic` with an image,
    `middle` published between them and `far`, `far` apart (its own author, topic and image),
    and `beyond` after it: an article with neighbours, one with none of its relations."""
    author = AuthorFactory(slug="the-author", name="Dr. Ada Byline")
    topic = TopicFactory(slug="the-topic", name="Sleep")
    first = make_article(slug="first", days=1, authors=[author], topics=[topic], image=True)
    second = make_article(slug="second", days=2, authors=[author])
    middle = make_article(slug="middle", days=3)
    far = make_article(slug="far", days=10, topics=[TopicFactory(slug="other")], image=True)
    beyond = make_article(slug="beyond", days=11)
    series = series_with_members(first, second, slug="the-series")
    return {
        "first": first,
        "second": second,
        "middle": middle,
        "far": far,
        "beyond": beyond,
        "series": series,
        "author": author,
        "topic": topic,
    }
