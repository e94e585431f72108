"""Shared fixtures: a journal as site root, editorial users, and the real services for CI."""

import os

import pytest
from wagtail.models import Page, Site

from articles.editorial import EDITORS, MEDICAL_REVIEWERS, WRITERS
from tests.factories import ArticleIndexPageFactory, UserFactory

REQUIRE_SERVICES = os.environ.get("FOLIO_REQUIRE_SERVICES") == "1"


def service_missing(what: str) -> None:
    """Fail in CI (services are promised there), skip on a developer's embedded set-up."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{what} is required in CI (FOLIO_REQUIRE_SERVICES=1) but is not configured")
    pytest.skip(f"{what} not configured")


def cache_clear() -> None:
    """Empty this test process's own cache namespace.

    On Redis, Django's `cache.clear()` is FLUSHDB: it would also wipe the keys of the other
    test workers (and of the live servers they started), such as rate-limit counters a test is
    in the middle of counting. Each test process has a key prefix of its own (test settings).
    """
    from django.conf import settings
    from django.core.cache import cache

    backend = getattr(cache, "_cache", None)
    if not hasattr(backend, "get_client"):
        cache.clear()
        return
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    client = backend.get_client(None, write=True)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _fresh_counters():
    """Each test starts with an empty cache: test databases reuse ids (of partners, keys),
    so counters and usage totals kept under an id must not survive into the next test."""
    from api.partners import usage

    cache_clear()
    usage._last_flush.clear()
    usage._keys_used.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_rendition_cache():
    from django.core.cache import caches

    caches["renditions"].clear()


@pytest.fixture
def journal(db):
    """The journal (an ArticleIndexPage) as the root page of the default site."""
    root = Page.get_first_root_node()
    index = ArticleIndexPageFactory(parent=root, title="Folio Health", slug="folio-health")
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": index, "site_name": "Folio"},
    )
    return index


@pytest.fixture
def writer(journal):
    return UserFactory(username="writer", groups=[WRITERS])


@pytest.fixture
def reviewer(journal):
    return UserFactory(username="reviewer", groups=[MEDICAL_REVIEWERS])


@pytest.fixture
def editor(journal):
    return UserFactory(username="editor", groups=[EDITORS])


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)
