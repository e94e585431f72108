"""The contract on the demo content: every endpoint conforms to the OpenAPI document, and the
demo's draft, scheduled and login-restricted articles are nowhere to be seen.

load_demo runs once for the module (rolled back at the end); every test only reads.
"""

from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction, Site

from api.content.images import renditions_generate
from articles.models import ArticlePage

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(autouse=True)
def _demo_media_root(settings, demo_media):
    settings.MEDIA_ROOT = demo_media


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, demo_media):
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=demo_media),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=StringIO())
        # What the worker does after the demo's commit: make the renditions.
        renditions_generate.call(list(get_image_model().objects.values_list("pk", flat=True)))
        hidden = {
            "draft": ArticlePage.objects.filter(live=False, go_live_at__isnull=True).get(),
            "scheduled": ArticlePage.objects.filter(live=False, go_live_at__isnull=False).get(),
            "restricted": PageViewRestriction.objects.get().page.specific,
        }
        yield {name: (page.pk, page.slug, page.title) for name, page in hidden.items()}
        transaction.set_rollback(True)
    Site.clear_site_root_paths_cache()


@pytest.fixture
def client():
    return Client(HTTP_HOST=urlsplit(settings.PUBLIC_BASE_URL).netloc)


@pytest.fixture
def openapi(client, demo):
    return OpenAPI.from_dict(client.get("/api/v1/schema/", {"format": "json"}).json())


def checked(client, openapi, path, **params):
    """GET `path`, assert a 200 that conforms to the OpenAPI document, return the JSON."""
    response = client.get(path, params)
    assert response.status_code == 200, (path, response.content[:300])
    request = DjangoOpenAPIRequest(response.wsgi_request)
    openapi.validate_request(request)
    openapi.validate_response(request, DjangoOpenAPIResponse(response))
    return response.json()


def crawl(client, openapi) -> list[bytes]:
    """Every response a client can reach from the list endpoints, all validated."""
    bodies = []

    def fetch(path, **params):
        data = checked(client, openapi, path, **params)
        bodies.append(str(data).encode())
        return data

    articles = fetch("/api/v1/articles/", limit=100)["results"]
    for item in articles:
        fetch(urlsplit(item["api_url"]).path)
    for ordering in ("published_at", "title", "-updated_at"):
        fetch("/api/v1/articles/", ordering=ordering, limit=100)
    for series in fetch("/api/v1/series/")["results"]:
        fetch(f"/api/v1/series/{series['slug']}/")
        fetch("/api/v1/articles/", series=series["slug"])
    for author in fetch("/api/v1/authors/", limit=100)["results"]:
        fetch(f"/api/v1/authors/{author['slug']}/")
        fetch("/api/v1/articles/", author=author["slug"])
    for topic in fetch("/api/v1/topics/", limit=100)["results"]:
        fetch(f"/api/v1/topics/{topic['slug']}/")
        fetch("/api/v1/articles/", topic=topic["slug"])
    for word in ("ketamine", "sleep", "depression"):
        fetch("/api/v1/articles/", search=word)
    sync = fetch("/api/v1/sync/", limit=100)
    assert not sync["has_more"]
    return bodies


def test_every_reachable_response_conforms_and_hides_what_is_not_public(client, openapi, demo):
    bodies = crawl(client, openapi)

    assert len(bodies) > 40
    for name, (_, slug, title) in demo.items():
        assert not any(slug.encode() in body for body in bodies), f"the {name} article leaked"
        assert not any(title.encode() in body for body in bodies), f"the {name} article leaked"
        assert client.get(f"/api/v1/articles/{slug}/").status_code == 404


def test_the_demo_series_are_numbered_without_gaps(client, openapi, demo):
    for series in checked(client, openapi, "/api/v1/series/")["results"]:
        detail = checked(client, openapi, f"/api/v1/series/{series['slug']}/")
        positions = [a["series"]["position"] for a in detail["articles"]]
        assert positions == list(range(1, len(positions) + 1))
        assert detail["article_count"] == len(positions) == series["article_count"]


def test_the_first_series_opens_with_ketamine_then_regenerative_medicine(client, openapi, demo):
    first = checked(client, openapi, "/api/v1/series/")["results"]
    frontiers = next(s for s in first if "frontier" in s["slug"])
    articles = checked(client, openapi, f"/api/v1/series/{frontiers['slug']}/")["articles"]

    assert "ketamine" in articles[0]["slug"]
    assert articles[0]["series"]["position"] == 1
    detail = checked(client, openapi, f"/api/v1/articles/{articles[0]['slug']}/")
    assert detail["navigation"]["series"]["next"]["slug"] == articles[1]["slug"]
    assert detail["navigation"]["series"]["previous"] is None


def test_internal_links_in_demo_bodies_are_public_urls(client, openapi, demo):
    bodies = [
        checked(client, openapi, urlsplit(item["api_url"]).path)["body_html"]
        for item in checked(client, openapi, "/api/v1/articles/", limit=100)["results"]
    ]

    html = "".join(bodies)
    assert "linktype" not in html
    assert f'href="{settings.PUBLIC_BASE_URL}/' in html
