"""Cursor pagination: every visible article exactly once, stable while editors publish."""

import time
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import signing

from articles.models import ArticlePage
from tests.api.conftest import EPOCH, error_of, get_json

pytestmark = pytest.mark.django_db


def create_articles(journal, count: int, *, start: int = 0, prefix: str = "Article") -> list[int]:
    """Live articles with distinct publication dates, cheaper than publishing one by one."""
    ids = []
    for n in range(start, start + count):
        when = EPOCH + timedelta(hours=n)
        article = ArticlePage(
            title=f"{prefix} {n:05d}",
            slug=f"{prefix.lower()}-{n:05d}",
            summary="s",
            live=True,
            first_published_at=when,
            last_published_at=when,
        )
        journal.add_child(instance=article)
        ids.append(article.pk)
    return ids


def follow(api, first_url: str, link: str = "next", on_each_page=None) -> list[list[int]]:
    """Follow `link` from `first_url` to the end; the ids of each page, in order."""
    pages, url = [], first_url
    while url:
        parsed = urlparse(url)
        params = {k: v[0] for k, v in parse_qs(parsed.query).items()}
        body = get_json(api, parsed.path, **params)
        pages.append([item["id"] for item in body["results"]])
        if on_each_page:
            on_each_page(len(pages))
        url = body[link]
        assert len(pages) < 1000, "pagination does not terminate"
    return pages


class TestThousandArticles:
    """One set of 1,000 articles walked three ways (creating them is the slow part)."""

    def test_every_article_exactly_once_in_order_and_while_publishing(self, api, journal):
        thousand = create_articles(journal, 1000)

        pages = follow(api, "/api/v1/articles/?limit=7&fields=id")
        seen = [pk for page in pages for pk in page]
        assert len(pages) == 143
        assert all(len(page) == 7 for page in pages[:-1]) and len(pages[-1]) == 6
        assert seen == list(reversed(thousand))  # newest first

        by_title = [
            pk
            for page in follow(api, "/api/v1/articles/?limit=50&ordering=title&fields=id")
            for pk in page
        ]
        assert by_title == thousand  # titles were numbered in creation order

        published = []

        def publish_more(page_number):
            # Newer articles, and older ones slotted between existing dates, appear mid-walk.
            if page_number % 10 == 0:
                published.extend(
                    create_articles(journal, 2, start=5000 + page_number, prefix="Late")
                )
                backdated = ArticlePage(
                    title=f"Backdated {page_number}",
                    slug=f"backdated-{page_number}",
                    summary="s",
                    live=True,
                    first_published_at=EPOCH + timedelta(hours=500, minutes=page_number),
                    last_published_at=EPOCH,
                )
                journal.add_child(instance=backdated)
                published.append(backdated.pk)

        pages = follow(api, "/api/v1/articles/?limit=7&fields=id", on_each_page=publish_more)
        seen = [pk for page in pages for pk in page]
        assert published, "the test published nothing in between"
        assert len(seen) == len(set(seen)), "an article was returned twice"
        assert set(thousand) <= set(seen), "an article visible throughout was skipped"


class TestBothDirections:
    def test_previous_links_walk_back_through_the_same_pages(self, api, journal):
        create_articles(journal, 23)
        forward = follow(api, "/api/v1/articles/?limit=5&fields=id")

        last_page = get_json(api, "/api/v1/articles/", limit=5, fields="id")
        url = last_page["next"]
        while True:
            body = get_json(
                api,
                urlparse(url).path,
                **{k: v[0] for k, v in parse_qs(urlparse(url).query).items()},
            )
            if not body["next"]:
                break
            url = body["next"]
        backward = follow(api, url, link="previous")

        assert list(reversed(backward)) == forward
        assert get_json(api, "/api/v1/articles/", limit=5)["previous"] is None

    def test_links_are_absolute_and_keep_the_other_parameters(self, api, journal):
        create_articles(journal, 3)

        body = get_json(api, "/api/v1/articles/", limit=1, ordering="title", fields="id,slug")
        parsed = urlparse(body["next"])

        assert parsed.scheme in ("http", "https") and parsed.netloc
        params = parse_qs(parsed.query)
        assert params["ordering"] == ["title"]
        assert params["fields"] == ["id,slug"]
        assert params["limit"] == ["1"]

    def test_the_last_page_has_no_next(self, api, journal):
        create_articles(journal, 3)

        body = get_json(api, "/api/v1/articles/", limit=3)

        assert body["next"] is None
        assert len(body["results"]) == 3


class TestCursorsAreStable:
    def test_the_same_page_rendered_a_second_later_has_the_same_bytes_and_etag(self, api, journal):
        from api.delivery.caching import content_generation_bump

        create_articles(journal, 3)
        first = api.get("/api/v1/articles/", {"limit": 1})
        time.sleep(1.1)  # a cursor that carried the time would differ now
        content_generation_bump()  # rendered again, not served from the response cache
        again = api.get("/api/v1/articles/", {"limit": 1}, HTTP_IF_NONE_MATCH=first["ETag"])

        assert first.status_code == 200 and again.status_code == 304
        assert again["ETag"] == first["ETag"]

    def test_a_cursor_issued_with_a_timestamp_by_an_earlier_release_is_still_followed(
        self, api, journal
    ):
        create_articles(journal, 3)
        cursor = parse_qs(urlparse(get_json(api, "/api/v1/articles/", limit=1)["next"]).query)[
            "cursor"
        ][0]
        payload = signing.Signer(salt="folio.api.cursor.v1").unsign_object(cursor)
        earlier = signing.dumps(payload, salt="folio.api.cursor.v1", compress=True)
        assert earlier.count(":") == 2 and earlier != cursor

        assert get_json(api, "/api/v1/articles/", limit=1, cursor=earlier) == get_json(
            api, "/api/v1/articles/", limit=1, cursor=cursor
        )


class TestCursorsAreTamperProof:
    def test_a_cursor_edited_by_the_client_is_rejected(self, api, journal):
        create_articles(journal, 3)
        cursor = parse_qs(urlparse(get_json(api, "/api/v1/articles/", limit=1)["next"]).query)[
            "cursor"
        ][0]
        payload = signing.Signer(salt="folio.api.cursor.v1").unsign_object(cursor)
        payload["k"][1] = 1  # jump elsewhere
        forged = signing.dumps(payload, salt="not-ours", compress=True)

        error = error_of(api, "/api/v1/articles/", 400, limit=1, cursor=forged)
        assert error["code"] == "invalid_parameter"
        assert "cursor" in error["details"]

    def test_an_unsigned_cursor_is_rejected(self, api, journal):
        create_articles(journal, 3)

        error_of(api, "/api/v1/articles/", 400, cursor="eyJvIjoiLXB1Ymxpc2hlZF9hdCJ9")

    def test_a_cursor_of_another_ordering_is_rejected(self, api, journal):
        create_articles(journal, 3)
        next_url = get_json(api, "/api/v1/articles/", limit=1, ordering="title")["next"]
        cursor = parse_qs(urlparse(next_url).query)["cursor"][0]

        error = error_of(api, "/api/v1/articles/", 400, limit=1, cursor=cursor)
        assert "ordering" in error["message"]


class TestSearchPages:
    def test_search_pages_cover_all_matches_once(self, api, journal):
        from django.core.management import call_command

        create_articles(journal, 12, prefix="Melatonin")
        call_command("update_index", verbosity=0)

        pages = follow(api, "/api/v1/articles/?search=melatonin&limit=5&fields=id")
        seen = [pk for page in pages for pk in page]

        assert len(seen) == 12 == len(set(seen))
        assert [len(page) for page in pages] == [5, 5, 2]
