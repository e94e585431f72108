"""Gzip for every response, with each public body compressed once per worker, not per request."""

import hashlib

from django.core.cache import caches
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

# A local-memory cache of this process (settings: CACHES["compressed"]), bounded in entries.
COMPRESSED_CACHE = "compressed"
MIN_LENGTH = 200  # GZipMiddleware's own threshold: shorter bodies are sent as they are


class CompressOnceGZipMiddleware(GZipMiddleware):
    """Django's `GZipMiddleware`, compressing a public body once and finding it again later.

    Anonymous API responses are answered from the shared cache in well under a millisecond;
    compressing a list of 20 summaries (35 kB) took longer than that, on every request of every
    client that sends `Accept-Encoding: gzip`, which is all of them. So each worker keeps the
    compressed bytes, under what identifies the body (`_body_key`).

    Only for `Cache-Control: public` responses, which hold nothing secret: BREACH needs a
    secret in the body. Private and uncacheable responses (partners, previews, the admin) get
    Django's behaviour unchanged, random padding included.
    """

    def process_response(self, request, response):
        if (
            response.streaming
            or "public" not in response.get("Cache-Control", "")
            or response.has_header("Content-Encoding")
            or len(response.content) < MIN_LENGTH
            or not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        ):
            return super().process_response(request, response)

        patch_vary_headers(response, ("Accept-Encoding",))
        compressed_bodies = caches[COMPRESSED_CACHE]
        key = _body_key(request, response)
        compressed = compressed_bodies.get(key)
        if compressed is None:
            compressed = compress_string(response.content, max_random_bytes=self.max_random_bytes)
            compressed_bodies.set(key, compressed)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        # As GZipMiddleware does: the encoded body is another representation (RFC 9110 8.8.1).
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response


def _body_key(request, response) -> str:
    """What identifies a body: its strong ETag at this URL, or else a hash of the body itself.

    A strong validator changes whenever the resource's bytes do (RFC 9110 8.8.1), and the API's
    are a hash of the body already; hashing a 180 kB sync page again would cost a quarter of a
    millisecond. A weak or missing ETag promises nothing, so the body is hashed.
    """
    etag = response.get("ETag", "")
    if etag.startswith('"'):
        identity = "|".join(
            (request.META.get("HTTP_HOST", ""), request.get_full_path(), etag)
        ).encode()
        return "etag:" + hashlib.blake2b(identity, digest_size=20).hexdigest()
    return "body:" + hashlib.blake2b(response.content, digest_size=20).hexdigest()
