"""The old site's addresses: which imported post a link points at, and each post's old paths."""

import re
from collections import Counter
from urllib.parse import parse_qs, urlsplit

from wagtail.contrib.redirects.models import Redirect

from articles.importing.wxr import WxrItem

# WordPress resizes uploads into name-300x200.jpg beside name.jpg.
_SIZED = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")


def unsized(path: str) -> str:
    """An upload's path without WordPress's -WIDTHxHEIGHT size suffix."""
    return _SIZED.sub("", path)


def _host(netloc: str) -> str:
    host = netloc.lower().rsplit("@", 1)[-1].split(":", 1)[0]
    return host.removeprefix("www.")


def old_path(url: str) -> str:
    """The path (and sorted query) of `url`, normalised as Wagtail's redirects match it."""
    parts = urlsplit(url.strip())
    path = f"{parts.path or '/'}?{parts.query}" if parts.query else parts.path or "/"
    return Redirect.normalise_path(path)


class OldSite:
    """Resolves links written on the old site to the posts of the export they name."""

    def __init__(self, base_url: str, posts: list[WxrItem]):
        self.hosts = {_host(urlsplit(base_url).netloc)} - {""}
        self.post_ids = {post.post_id for post in posts}
        self._by_path: dict[str, int] = {}
        slugs = Counter(post.slug for post in posts if post.slug)
        self._by_slug = {
            post.slug: post.post_id for post in posts if post.slug and slugs[post.slug] == 1
        }
        for post in posts:
            for url in (post.link, post.guid):
                if url and self.is_local(url):
                    self._by_path.setdefault(self._path_key(url), post.post_id)
                    self.hosts.add(_host(urlsplit(url).netloc))
        self.hosts.discard("")

    def is_local(self, href: str) -> bool:
        """Whether `href` points at the old site itself (relative, or on its host)."""
        try:
            parts = urlsplit(href.strip())
        except ValueError:
            return False
        if parts.scheme and parts.scheme not in ("http", "https"):
            return False
        return not parts.netloc or _host(parts.netloc) in self.hosts or not self.hosts

    @staticmethod
    def _path_key(url: str) -> str:
        parts = urlsplit(url.strip())
        path = parts.path.rstrip("/").lower() or "/"
        return f"{path}?{parts.query}" if parts.query else path

    def post_for(self, href: str) -> int | None:
        """The id of the exported post `href` links to, or None."""
        if not href or href.startswith("#") or not self.is_local(href):
            return None
        try:
            parts = urlsplit(href.strip())
        except ValueError:
            return None
        query = parse_qs(parts.query)
        for name in ("p", "page_id"):
            value = (query.get(name) or [""])[0]
            if value.isdigit() and int(value) in self.post_ids:
                return int(value)
        found = self._by_path.get(self._path_key(href.split("#", 1)[0]))
        if found is None:
            found = self._by_path.get(parts.path.rstrip("/").lower() or "/")
        if found is None:
            last = parts.path.rstrip("/").rsplit("/", 1)[-1]
            found = self._by_slug.get(last)
        return found

    def old_paths(self, post: WxrItem) -> list[str]:
        """Where readers reached `post` on the old site: its permalink and `/?p=<id>`."""
        paths = []
        if post.link and self.is_local(post.link):
            paths.append(old_path(post.link))
        if post.post_id:
            paths.append(old_path(f"/?p={post.post_id}"))
        if post.guid and self.is_local(post.guid):
            paths.append(old_path(post.guid))
        return list(dict.fromkeys(paths))
