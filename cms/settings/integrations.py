"""Settings of what Folio talks to besides its database and cache: the CDN it purges on every
change, and the old site the WordPress importer may fetch images from."""

import os

from .environment import env_bool, env_list

# The edge (docs/edge.md): which CDN is purged by surrogate key after every editorial change.
# Unset: no edge purging (the origin's own response cache is still invalidated).
CDN_BACKEND = os.environ.get("CDN_BACKEND", "").strip().lower()
CDN_VARNISH_URLS = env_list("CDN_VARNISH_URLS")
CDN_FASTLY_SERVICE_ID = os.environ.get("CDN_FASTLY_SERVICE_ID", "")
CDN_FASTLY_API_TOKEN = os.environ.get("CDN_FASTLY_API_TOKEN", "")
CDN_FASTLY_API_URL = os.environ.get("CDN_FASTLY_API_URL", "https://api.fastly.com").rstrip("/")
CDN_FASTLY_SOFT_PURGE = env_bool("CDN_FASTLY_SOFT_PURGE", False)
CDN_CLOUDFLARE_ZONE_ID = os.environ.get("CDN_CLOUDFLARE_ZONE_ID", "")
CDN_CLOUDFLARE_API_TOKEN = os.environ.get("CDN_CLOUDFLARE_API_TOKEN", "")
CDN_CLOUDFLARE_API_URL = os.environ.get(
    "CDN_CLOUDFLARE_API_URL", "https://api.cloudflare.com/client/v4"
).rstrip("/")
# Seconds one purge request may take before it counts as failed (and is retried).
CDN_PURGE_TIMEOUT = float(os.environ.get("CDN_PURGE_TIMEOUT", "10"))
# A failed purge is retried with exponential backoff, at most this many seconds apart.
CDN_PURGE_RETRY_MAX = float(os.environ.get("CDN_PURGE_RETRY_MAX", "300"))
# `s-maxage` for shared caches: with purging configured an edge can keep a response much longer
# than clients do, since every change purges it; unset, shared caches use `max-age`.
CDN_MAX_AGE = int(os.environ["CDN_MAX_AGE"]) if os.environ.get("CDN_MAX_AGE") else None

# Importing media over HTTP (import_wxr --fetch-media): per file, a deadline and a size cap;
# public addresses only, as for webhooks, unless switched off for a test or a private network.
IMPORT_MEDIA_TIMEOUT = float(os.environ.get("IMPORT_MEDIA_TIMEOUT", "10"))
IMPORT_MEDIA_MAX_BYTES = int(os.environ.get("IMPORT_MEDIA_MAX_BYTES", str(20 * 1024 * 1024)))
IMPORT_MEDIA_ALLOW_PRIVATE_ADDRESSES = env_bool("IMPORT_MEDIA_ALLOW_PRIVATE_ADDRESSES", False)
# The largest export the admin accepts for upload (the command line reads any size).
IMPORT_UPLOAD_MAX_BYTES = int(os.environ.get("IMPORT_UPLOAD_MAX_BYTES", str(512 * 1024 * 1024)))
