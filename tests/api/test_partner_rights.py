"""What partners receive: only syndicated articles, their rights, bodies only with the right."""

import json

import pytest

from api.partners.provisioning import api_key_issue, partner_create
from articles.models import ArticlePage
from tests.factories import series_with_members

pytestmark = pytest.mark.django_db

CLOSED = "zqclosedmarker"


@pytest.fixture
def world(journal, make_article):
    """Two open articles around a closed one, all in one series, with bodies worth stealing."""
    first = make_article(
        slug="open-first",
        body=[("paragraph", "<p>Open body one sentence.</p>")],
        syndication_license="cc-by-nc-nd-4.0",
        syndication_attribution="Folio Health, by the author",
    )
    closed = make_article(
        slug=f"{CLOSED}-slug",
        title=f"Closed {CLOSED} title",
        summary=f"Closed {CLOSED} summary",
        body=[("paragraph", f"<p>Closed {CLOSED} body.</p>")],
        syndication_allowed=False,
    )
    last = make_article(slug="open-last", body=[("paragraph", "<p>Open body two.</p>")])
    series_with_members(first, closed, last, slug="the-series", title="The series")
    return first, closed, last


def key_for(*, full_text: bool) -> str:
    partner = partner_create(name=f"Partner full={full_text}", full_text=full_text)
    return api_key_issue(partner=partner, name="web")[1]


def get(api, path, key=None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {key}"} if key else {}
    response = api.get(path, params, **headers)
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    return response.json()


def every_response(api, key) -> list[bytes]:
    paths = [
        "/api/v1/articles/",
        "/api/v1/articles/?search=body",
        "/api/v1/articles/?series=the-series",
        "/api/v1/articles/open-first/",
        "/api/v1/articles/open-last/",
        "/api/v1/series/",
        "/api/v1/series/the-series/",
        "/api/v1/sync/",
    ]
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {key}"}
    return [api.get(path, **headers).content for path in paths]


class TestSyndicationOff:
    @pytest.mark.parametrize("full_text", [True, False])
    def test_a_closed_article_is_invisible_to_every_partner_everywhere(self, api, world, full_text):
        key = key_for(full_text=full_text)
        for content in every_response(api, key):
            assert CLOSED.encode() not in content

        response = api.get(f"/api/v1/articles/{CLOSED}-slug/", HTTP_AUTHORIZATION=f"Api-Key {key}")
        assert response.status_code == 404

    def test_the_public_still_sees_the_closed_article(self, api, world):
        slugs = [item["slug"] for item in get(api, "/api/v1/articles/")["results"]]
        assert f"{CLOSED}-slug" in slugs

    def test_series_positions_count_what_the_partner_can_see(self, api, world):
        key = key_for(full_text=True)
        series = get(api, "/api/v1/series/the-series/", key)
        assert [(a["slug"], a["series"]["position"]) for a in series["articles"]] == [
            ("open-first", 1),
            ("open-last", 2),
        ]
        assert series["article_count"] == 2
        detail = get(api, "/api/v1/articles/open-first/", key)
        assert detail["navigation"]["series"]["next"]["slug"] == "open-last"
        public = get(api, "/api/v1/articles/open-first/")
        assert public["navigation"]["series"]["next"]["slug"] == f"{CLOSED}-slug"

    def test_turning_syndication_off_hides_an_article_from_partners(self, api, world):
        key = key_for(full_text=True)
        first, _closed, _last = world
        first.syndication_allowed = False
        first.save_revision().publish()

        slugs = [a["slug"] for a in get(api, "/api/v1/articles/", key)["results"]]
        assert slugs == ["open-last"]


class TestFullTextRight:
    def test_without_the_right_no_body_is_sent_anywhere(self, api, world):
        key = key_for(full_text=False)
        detail = get(api, "/api/v1/articles/open-first/", key)

        assert detail["body"] == []
        assert detail["body_html"] == ""
        assert detail["syndication"]["full_text"] is False
        for content in every_response(api, key):
            assert b"Open body" not in content

    def test_with_the_right_the_body_comes_with_the_rights(self, api, world):
        key = key_for(full_text=True)
        detail = get(api, "/api/v1/articles/open-first/", key)

        assert "Open body one sentence." in detail["body_html"]
        assert detail["body"][0]["type"] == "paragraph"
        assert detail["syndication"] == {
            "allowed": True,
            "canonical_url": detail["url"],
            "license": "cc-by-nc-nd-4.0",
            "attribution": "Folio Health, by the author",
            "full_text": True,
        }

    def test_anonymous_readers_get_the_body_but_no_partner_flag(self, api, world):
        detail = get(api, "/api/v1/articles/open-first/")
        assert "Open body one sentence." in detail["body_html"]
        assert "full_text" not in detail["syndication"]


class TestRightsOnSummaries:
    def test_partner_summaries_carry_the_rights(self, api, world):
        key = key_for(full_text=False)
        for path, items_of in (
            ("/api/v1/articles/", lambda body: body["results"]),
            ("/api/v1/series/the-series/", lambda body: body["articles"]),
            ("/api/v1/sync/", lambda body: body["changed"]),
        ):
            items = items_of(get(api, path, key))
            assert items, path
            for item in items:
                assert item["syndication"]["allowed"] is True
                assert item["syndication"]["canonical_url"] == item["url"]
                assert item["syndication"]["full_text"] is False

    def test_an_override_canonical_url_is_passed_on(self, api, world):
        first, _closed, _last = world
        ArticlePage.objects.filter(pk=first.pk).update(
            canonical_url="https://elsewhere.example/original"
        )
        key = key_for(full_text=True)
        items = get(api, "/api/v1/articles/", key)["results"]
        rights = {item["slug"]: item["syndication"]["canonical_url"] for item in items}
        assert rights["open-first"] == "https://elsewhere.example/original"

    def test_public_summaries_are_unchanged(self, api, world):
        items = get(api, "/api/v1/articles/")["results"]
        assert all("syndication" not in item for item in items)

    def test_sparse_partner_lists_still_carry_the_rights(self, api, world):
        key = key_for(full_text=True)
        items = get(api, "/api/v1/articles/", key, fields="id,slug")["results"]
        assert set(items[0]) == {"id", "slug", "syndication"}
        assert json.dumps(items).count("canonical_url") == 2
