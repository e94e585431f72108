"""Whether the CDN settings describe an edge that can be purged, as readable problems.

Pure Python on a mapping of settings (a settings module's `globals()`, or the values of
django.conf.settings), so that `cms/settings/production.py` can refuse to start half-configured
and the system check in `checks` can say the same under every other settings module. Each
setting has the name of the environment variable it comes from, and each problem names it.
"""

import math
from collections.abc import Mapping
from urllib.parse import SplitResult, urlsplit

BACKENDS = ("varnish", "fastly", "cloudflare")

SETTING_NAMES = (
    "CDN_BACKEND",
    "CDN_VARNISH_URLS",
    "CDN_FASTLY_SERVICE_ID",
    "CDN_FASTLY_API_TOKEN",
    "CDN_FASTLY_API_URL",
    "CDN_FASTLY_SOFT_PURGE",
    "CDN_CLOUDFLARE_ZONE_ID",
    "CDN_CLOUDFLARE_API_TOKEN",
    "CDN_CLOUDFLARE_API_URL",
    "CDN_PURGE_TIMEOUT",
)

# What each backend cannot do without, and what to put there.
REQUIRED = {
    "fastly": {
        "CDN_FASTLY_SERVICE_ID": "the ID of the Fastly service to purge",
        "CDN_FASTLY_API_TOKEN": "a Fastly API token with the purge_select scope",
    },
    "cloudflare": {
        "CDN_CLOUDFLARE_ZONE_ID": "the ID of the Cloudflare zone to purge",
        "CDN_CLOUDFLARE_API_TOKEN": "a Cloudflare API token with the Cache Purge permission",
    },
}

API_URL_EXAMPLES = {
    "CDN_FASTLY_API_URL": "https://api.fastly.com",
    "CDN_CLOUDFLARE_API_URL": "https://api.cloudflare.com/client/v4",
}


def cdn_settings(source: object) -> dict[str, object]:
    """The CDN settings of `source` (django.conf.settings, or any object with them as
    attributes) as the mapping `cdn_configuration_problems` reads."""
    return {name: getattr(source, name) for name in SETTING_NAMES if hasattr(source, name)}


def cdn_backend(values: Mapping[str, object]) -> str:
    """The configured backend's name, normalised as the environment variable is read."""
    return str(values.get("CDN_BACKEND") or "").strip().lower()


def cdn_configuration_problems(values: Mapping[str, object]) -> list[str]:
    """Everything that keeps the CDN settings in `values` from working; empty when they do.

    A setting missing from `values` counts as unset; an empty `CDN_BACKEND` (no edge purging)
    needs nothing else, but the API URLs and the timeout are checked whatever the backend.
    """
    problems = []
    backend = cdn_backend(values)
    if backend and backend not in BACKENDS:
        problems.append(
            f"CDN_BACKEND={backend!r} is not a CDN Folio can purge: use one of "
            f"{', '.join(BACKENDS)}, or leave it empty for no edge purging."
        )
    if backend == "varnish":
        problems.extend(_varnish_url_problems(values.get("CDN_VARNISH_URLS")))
    for name, meaning in REQUIRED.get(backend, {}).items():
        if not str(values.get(name) or "").strip():
            problems.append(f"CDN_BACKEND={backend} needs {name}: {meaning}.")
    for name, example in API_URL_EXAMPLES.items():
        url = values.get(name)
        problem = "" if url is None else _url_problem(url, path_allowed=True)
        if problem:
            problems.append(
                f"{name}={_shown(url)!r} {problem}; it is the API's base URL (by default "
                f"{example})."
            )
    timeout = values.get("CDN_PURGE_TIMEOUT")
    if timeout is not None and not _positive_seconds(timeout):
        problems.append(f"CDN_PURGE_TIMEOUT={timeout!r} must be a positive number of seconds.")
    return problems


def _varnish_url_problems(urls: object) -> list[str]:
    if not urls:
        return [
            "CDN_BACKEND=varnish needs CDN_VARNISH_URLS: the comma-separated base URLs of every "
            "Varnish node, e.g. http://10.0.0.1:6081,http://10.0.0.2:6081."
        ]
    if isinstance(urls, str) or not isinstance(urls, list | tuple):
        return [f"CDN_VARNISH_URLS must be a list of URLs, not {type(urls).__name__}."]
    problems, seen = [], set()
    for url in urls:
        problem = _url_problem(url, path_allowed=False)
        if problem:
            problems.append(
                f"CDN_VARNISH_URLS: {_shown(url)!r} {problem}; each Varnish node is "
                f"http(s)://host[:port], e.g. http://10.0.0.1:6081."
            )
            continue
        node = str(url).rstrip("/")
        if node in seen:
            # Two nodes of one name would share one row of the purge queue.
            problems.append(f"CDN_VARNISH_URLS lists {node} more than once.")
        seen.add(node)
    return problems


def _url_problem(url: object, *, path_allowed: bool) -> str:
    """Why `url` is no base URL of an HTTP service ("" when it is one)."""
    if not isinstance(url, str):
        return "is not a string"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError:
        return "is not a URL"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "is not an http:// or https:// URL with a host"
    if parts.username is not None or parts.password is not None:
        # It would end up in the purge queue's rows and in the logs.
        return "carries a user name or password"
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        return "has a query or fragment"
    if not path_allowed and parts.path not in ("", "/"):
        return "has a path"
    return ""


def _shown(url: object) -> str:
    """`url` fit for an error message: a password in it is replaced by ***."""
    if not isinstance(url, str):
        return repr(url)
    try:
        parts = urlsplit(url)
        if parts.password is None and parts.username is None:
            return url
    except ValueError:
        return url
    host = parts.netloc.rpartition("@")[2]
    return SplitResult(parts.scheme, f"***@{host}", *parts[2:]).geturl()


def _positive_seconds(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return 0 < value < math.inf
