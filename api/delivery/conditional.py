"""Conditional GET: the ETag of a body, Last-Modified, and whether a request's validators match."""

import hashlib
from datetime import datetime

from django.http import HttpResponseNotModified
from django.utils.http import http_date, parse_http_date_safe

# Conditional GET


def etag_for(content: bytes) -> str:
    """A strong ETag from the body alone, so every worker tags the same content the same way."""
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def _etag_matches(if_none_match: str, etag: str) -> bool:
    if if_none_match.strip() == "*":
        return True
    # Weak comparison (RFC 9110): a gzip layer may have weakened our tag to W/"...".
    bare = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == bare for tag in if_none_match.split(","))


def is_not_modified(request, *, etag: str, last_modified: str | None) -> bool:
    # META, not request.headers, which first builds a dict of every request header.
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        return _etag_matches(if_none_match, etag)
    if_modified_since = request.META.get("HTTP_IF_MODIFIED_SINCE")
    if if_modified_since and last_modified:
        since = parse_http_date_safe(if_modified_since)
        modified = parse_http_date_safe(last_modified)
        return since is not None and modified is not None and modified <= since
    return False


def not_modified(headers: dict) -> HttpResponseNotModified:
    response = HttpResponseNotModified()
    for name in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
        if name in headers:
            response[name] = headers[name]
    return response


def last_modified_header(moment: datetime | None) -> str | None:
    return http_date(moment.timestamp()) if moment else None
