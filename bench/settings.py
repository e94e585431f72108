"""Benchmark settings: production, plus Wagtail's API v2 and a bare view beside /api/v1/."""

from cms.settings.production import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.api.v2"]  # noqa: F405
ROOT_URLCONF = "bench.urls"

# v2's list may return as many items as ours (sync pages hold 100), so equal cases compare.
WAGTAILAPI_LIMIT_MAX = 100
WAGTAILAPI_BASE_URL = PUBLIC_BASE_URL  # noqa: F405
