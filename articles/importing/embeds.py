"""Embedded players from known providers: an iframe's player address turned into the page URL.

The body's embed block stores the URL readers would share (a YouTube watch page, a Vimeo
video); clients render it through oEmbed. Players from anyone else are not embedded.
"""

import re
from urllib.parse import parse_qs, urlsplit

_PLAYERS = [
    (re.compile(r"^(?:www\.)?youtube(?:-nocookie)?\.com/embed/([\w-]{6,})"), "https://www.youtube.com/watch?v={}"),
    (re.compile(r"^player\.vimeo\.com/video/(\d+)"), "https://vimeo.com/{}"),
    (re.compile(r"^open\.spotify\.com/embed/(\w+/\w+)"), "https://open.spotify.com/{}"),
    (re.compile(r"^embed\.ted\.com/talks/([\w-]+)"), "https://www.ted.com/talks/{}"),
    (re.compile(r"^(?:www\.)?instagram\.com/(p|reel)/([\w-]+)"), "https://www.instagram.com/{}/{}/"),
]  # fmt: skip
# Addresses that are already what the embed block stores.
_PAGES = re.compile(
    r"^(?:www\.|m\.)?(youtube\.com/watch|youtu\.be/|vimeo\.com/\d|open\.spotify\.com/|"
    r"(twitter|x)\.com/\w+/status/|soundcloud\.com/|(www\.)?ted\.com/talks/|"
    r"(www\.)?instagram\.com/(p|reel)/|(www\.)?tiktok\.com/@)"
)


def embed_url(source: str) -> str | None:
    """The shareable URL of a known provider's player or page at `source`, else None."""
    source = (source or "").strip()
    if source.startswith("//"):
        source = "https:" + source
    try:
        parts = urlsplit(source)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    where = parts.netloc.lower() + parts.path
    if where.startswith("w.soundcloud.com/player"):
        inner = (parse_qs(parts.query).get("url") or [""])[0]
        return embed_url(inner)
    for pattern, template in _PLAYERS:
        match = pattern.match(where)
        if match:
            return template.format(*match.groups())
    if _PAGES.match(where):
        return f"https://{parts.netloc.lower()}{parts.path}" + (
            f"?{parts.query}" if parts.query else ""
        )
    return None
