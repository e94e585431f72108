"""Images of an export: read from a copy of wp-content/uploads or fetched from the old site.

Fetching goes to public addresses only (cms/outbound.py, as for webhooks), follows no
redirects, and stops at a deadline and a size cap; a file read or fetched must be an image
Pillow recognises in a format Wagtail accepts, or it is refused with a reason.
"""

import io
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from PIL import Image as PillowImage

from articles.importing.addresses import unsized
from cms.outbound import PinnedConnection, host_resolve, refused_address

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
_UPLOADS = "/wp-content/uploads/"


class MediaUnavailable(Exception):
    """The image cannot be imported; the message says why."""


@dataclass(frozen=True)
class MediaFile:
    data: bytes
    name: str  # the file's name, with the extension of its real format
    origin: str  # where it came from, for the report


def image_format(data: bytes) -> str:
    """The Pillow format of `data`, if it is an image Wagtail accepts; else MediaUnavailable."""
    try:
        with PillowImage.open(io.BytesIO(data)) as image:
            found = image.format
            image.verify()
    except Exception as error:  # noqa: BLE001 (Pillow raises many kinds for a non-image)
        raise MediaUnavailable(f"not an image ({error.__class__.__name__})") from None
    if found not in IMAGE_FORMATS:
        raise MediaUnavailable(f"a {found} image, where JPEG, PNG, GIF or WebP are accepted")
    return found


def _named(data: bytes, url: str, origin: str) -> MediaFile:
    found = image_format(data)
    stem = Path(unquote(urlsplit(url).path)).stem or "image"
    return MediaFile(data=data, name=f"{stem[:80]}.{IMAGE_FORMATS[found]}", origin=origin)


class MediaSource:
    """Where the bytes of an export's images are found, in the order given on the command line."""

    def __init__(self, *, media_dir: Path | None = None, fetch: bool = False):
        self.media_dir = media_dir.resolve() if media_dir else None
        self.fetch = fetch
        self._by_name: dict[str, Path] | None = None
        self.max_bytes = settings.IMPORT_MEDIA_MAX_BYTES

    @property
    def enabled(self) -> bool:
        return self.media_dir is not None or self.fetch

    def read(self, url: str, attached_file: str = "") -> MediaFile:
        """The image at `url` (an upload of the old site), original size preferred."""
        reasons = []
        if self.media_dir is not None:
            for relative in self._candidates(url, attached_file):
                path = (self.media_dir / relative).resolve()
                if not path.is_relative_to(self.media_dir) or not path.is_file():
                    continue
                if path.stat().st_size > self.max_bytes:
                    raise MediaUnavailable(f"{relative} is larger than the size cap")
                return _named(path.read_bytes(), str(path), f"media dir: {relative}")
            reasons.append("not in the media directory")
        if self.fetch and url:
            originals = list(dict.fromkeys([unsized(url), url]))
            for index, candidate in enumerate(originals):
                try:
                    return _named(
                        media_fetch(candidate, max_bytes=self.max_bytes), candidate, candidate
                    )
                except MediaUnavailable as error:
                    if index == len(originals) - 1:
                        reasons.append(f"fetching {candidate}: {error}")
        if not self.enabled:
            reasons.append("no --media-dir or --fetch-media given")
        raise MediaUnavailable("; ".join(reasons) or "no address")

    def _candidates(self, url: str, attached_file: str) -> list[str]:
        found = []
        if attached_file:
            found.append(attached_file.lstrip("/"))
        path = unquote(urlsplit(url).path) if url else ""
        if _UPLOADS in path:
            relative = path.split(_UPLOADS, 1)[1]
            found.extend([unsized(relative), relative])
        name = Path(path).name
        if name:
            # Squarespace and other hosts: the file by its name anywhere under the directory.
            for candidate in (unsized(name), name):
                located = self._index().get(candidate)
                if located is not None:
                    found.append(str(located.relative_to(self.media_dir)))
        return list(dict.fromkeys(found))

    def _index(self) -> dict[str, Path]:
        if self._by_name is None:
            self._by_name = {}
            for root, _dirs, files in os.walk(self.media_dir):
                for name in files:
                    self._by_name.setdefault(name, Path(root) / name)
        return self._by_name


def media_fetch(url: str, *, max_bytes: int, timeout: float | None = None) -> bytes:
    """The body of a GET of `url`: public addresses only, no redirects, bounded in time and size."""
    timeout = settings.IMPORT_MEDIA_TIMEOUT if timeout is None else timeout
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise MediaUnavailable("not a web address")
    port = parts.port or (443 if scheme == "https" else 80)
    try:
        addresses = host_resolve(parts.hostname, port)
    except OSError as error:
        raise MediaUnavailable(f"{parts.hostname} could not be resolved ({error})") from None
    if not settings.IMPORT_MEDIA_ALLOW_PRIVATE_ADDRESSES:
        refused = refused_address(addresses)
        if refused is not None:
            raise MediaUnavailable(
                f"{parts.hostname} resolves to {refused[0]}, a {refused[1]} address: images "
                "are fetched from public addresses only"
            )
    started = time.monotonic()
    connection = PinnedConnection(
        scheme=scheme,
        host=parts.hostname,
        port=port,
        addresses=addresses,
        timeout=timeout,
        deadline=started + timeout,
    )
    expired = threading.Event()

    def cut_off():
        expired.set()
        connection.close()

    watchdog = threading.Timer(timeout, cut_off)
    watchdog.daemon = True
    watchdog.start()
    try:
        path = parts.path or "/"
        connection.request(
            "GET",
            f"{path}?{parts.query}" if parts.query else path,
            headers={"User-Agent": "Folio-import"},
        )
        response = connection.getresponse()
        if response.status != 200:
            raise MediaUnavailable(f"the server answered {response.status}")
        declared = response.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise MediaUnavailable(f"{int(declared):,} bytes, over the {max_bytes:,}-byte cap")
        chunks, size = [], 0
        while chunk := response.read(64 * 1024):
            size += len(chunk)
            if size > max_bytes:
                raise MediaUnavailable(f"over the {max_bytes:,}-byte cap")
            chunks.append(chunk)
        return b"".join(chunks)
    except MediaUnavailable:
        raise
    except Exception as error:  # noqa: BLE001 (http.client raises many kinds; all are reasons)
        if expired.is_set() or isinstance(error, TimeoutError):
            raise MediaUnavailable(f"timed out after {timeout:g} s") from None
        raise MediaUnavailable(f"{error.__class__.__name__}: {error}"[:200]) from None
    finally:
        watchdog.cancel()
        connection.close()
