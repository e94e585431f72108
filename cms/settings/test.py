"""Test settings: fast hashing, plain static storage, tasks run inline."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-any-deployment-0123456789abcdef"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
MEDIA_ROOT = BASE_DIR / "test-media"

# Tasks run inline unless a test exercises the real database queue and worker.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}

if REDIS_URL:
    # A separate prefix per run so tests never read a developer's cached responses.
    CACHES["default"]["KEY_PREFIX"] = f"folio-test-{os.getpid()}"

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING["root"]["level"] = "WARNING"
WHITENOISE_AUTOREFRESH = True

# Tests roll back instead of committing, so the commit-time invalidation never runs in most of
# them: the response cache is off unless a test switches it on (tests/api/test_caching.py).
API_RESPONSE_CACHE = False
API_SITE_RULE_MEMO = False

# Wagtail caches renditions by image id; test databases reuse ids after a rollback, so each
# test gets an empty rendition cache of its own (tests/conftest.py clears it).
CACHES["renditions"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}

# No anonymous rate limit unless a test sets one (tests/api/test_throttling.py).
API_ANONYMOUS_RATE = ""
# Test receivers listen on loopback over plain HTTP; the SSRF tests switch these off.
WEBHOOK_ALLOW_HTTP = True
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
WEBHOOK_TIMEOUT = 5.0

# Uploaded exports of the admin import tests go beside the test media, not into private/.
STORAGES["imports"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(BASE_DIR / "test-media" / "imports")},
}
