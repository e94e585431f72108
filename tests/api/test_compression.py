"""Gzip: a public body is compressed once per worker; private ones as Django always does."""

import gzip

import pytest
from django.core.cache import caches

from api.partners.provisioning import api_key_issue, partner_create
from cms import compression
from tests.factories import AuthorFactory, publish

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture(autouse=True)
def compressed_cache():
    caches[compression.COMPRESSED_CACHE].clear()


@pytest.fixture
def content(make_article):
    author = AuthorFactory(slug="the-author")
    return [make_article(slug=f"article-{n}", authors=[author]) for n in range(3)]


@pytest.fixture
def compressions(monkeypatch):
    """The bodies compressed, counted around Django's own compress_string."""
    bodies = []
    real = compression.compress_string

    def counted(content, **kwargs):
        bodies.append(content)
        return real(content, **kwargs)

    monkeypatch.setattr(compression, "compress_string", counted)
    return bodies


@pytest.fixture
def partner_key(db):
    _record, key = api_key_issue(partner=partner_create(name="Gzip Media"), name="app")
    return key


@pytest.mark.usefixtures("content")
class TestPublicBodies:
    @pytest.mark.parametrize("path", ["/api/v1/articles/", "/feeds/articles.rss"])
    def test_the_gzipped_body_is_the_plain_body(self, api, path):
        plain = api.get(path)
        packed = api.get(path, **GZIP)

        assert packed["Content-Encoding"] == "gzip"
        assert gzip.decompress(packed.content) == plain.content
        assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content)
        assert packed["ETag"] == "W/" + plain["ETag"]
        assert "accept-encoding" in packed["Vary"].lower()
        assert "accept-encoding" in plain["Vary"].lower()

    def test_a_repeated_body_is_compressed_once(self, api, compressions):
        first = api.get("/api/v1/articles/", **GZIP)
        again = api.get("/api/v1/articles/", **GZIP)

        assert len(compressions) == 1
        assert again.content == first.content

    def test_a_changed_body_is_compressed_anew(self, api, compressions, content):
        before = api.get("/api/v1/articles/", **GZIP)
        content[0].title = "A new title, a new body"
        publish(content[0])

        after = api.get("/api/v1/articles/", **GZIP)

        assert len(compressions) == 2
        assert b"A new title, a new body" in gzip.decompress(after.content)
        assert after["ETag"] != before["ETag"]

    def test_the_weak_tag_of_a_gzipped_body_revalidates(self, api):
        etag = api.get("/api/v1/articles/", **GZIP)["ETag"]

        response = api.get("/api/v1/articles/", HTTP_IF_NONE_MATCH=etag, **GZIP)

        assert response.status_code == 304

    def test_a_client_that_does_not_ask_gets_the_plain_body(self, api, compressions):
        response = api.get("/api/v1/articles/", HTTP_ACCEPT_ENCODING="identity")

        assert response.get("Content-Encoding") is None
        assert compressions == []


@pytest.mark.usefixtures("content")
class TestPrivateBodies:
    def test_a_partner_response_is_gzipped_but_never_kept_in_the_worker(self, api, partner_key):
        headers = {"HTTP_AUTHORIZATION": f"Api-Key {partner_key}", **GZIP}
        first = api.get("/api/v1/articles/", **headers)
        again = api.get("/api/v1/articles/", **headers)

        assert first["Cache-Control"].startswith("private")
        assert first["Content-Encoding"] == again["Content-Encoding"] == "gzip"
        assert gzip.decompress(first.content) == gzip.decompress(again.content)
        assert caches[compression.COMPRESSED_CACHE]._cache == {}


class TestWhatIdentifiesABody:
    """The middleware alone, on responses other views could give."""

    @staticmethod
    def gzipped(path: str, body: bytes, **headers):
        from django.http import HttpResponse
        from django.test import RequestFactory

        request = RequestFactory().get(path, HTTP_ACCEPT_ENCODING="gzip")
        response = HttpResponse(body, content_type="text/plain", headers=headers)
        response["Cache-Control"] = "public, max-age=60"
        middleware = compression.CompressOnceGZipMiddleware(lambda request: response)
        return gzip.decompress(middleware(request).content)

    def test_one_strong_etag_at_two_urls_keeps_two_bodies(self):
        first, second = b"first version " * 40, b"second version " * 40

        assert self.gzipped("/a", first, ETag='"v1"') == first
        assert self.gzipped("/b", second, ETag='"v1"') == second

    def test_a_body_without_a_strong_etag_is_found_by_its_bytes(self, compressions):
        first, second = b"first version " * 40, b"second version " * 40

        assert self.gzipped("/page", first, ETag='W/"same"') == first
        assert self.gzipped("/page", second, ETag='W/"same"') == second
        assert self.gzipped("/page", second) == second
        assert compressions == [first, second]
