"""The article list: summary shape, filters, orderings, sparse fields and search."""

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction

from tests.api.conftest import EPOCH, error_of, get_json
from tests.factories import AuthorFactory, TopicFactory, publish, series_with_members

pytestmark = pytest.mark.django_db

SUMMARY_FIELDS = {
    "id",
    "slug",
    "title",
    "subtitle",
    "summary",
    "url",
    "api_url",
    "published_at",
    "updated_at",
    "reading_time_minutes",
    "hero_image",
    "authors",
    "topics",
    "tags",
    "series",
}


def slugs(body) -> list[str]:
    return [item["slug"] for item in body["results"]]


class TestSummaryShape:
    def test_every_summary_field_with_its_value(self, api, make_article, topic):
        first, second = AuthorFactory(name="Ada Byline"), AuthorFactory(name="Ben Byline")
        article = make_article(
            title="Ketamine and depression",
            slug="ketamine",
            subtitle="What the trials show",
            summary="A careful look.",
            authors=[second, first],
            topics=[topic],
            tags=["depression", "ketamine"],
            image=True,
            days=10,
        )
        series = series_with_members(article, title="New frontiers", slug="new-frontiers")

        item = get_json(api, "/api/v1/articles/")["results"][0]

        assert set(item) == SUMMARY_FIELDS
        assert item["id"] == article.pk
        assert item["slug"] == "ketamine"
        assert item["subtitle"] == "What the trials show"
        assert item["url"] == "http://127.0.0.1:8000/ketamine/"
        assert item["api_url"] == "http://127.0.0.1:8000/api/v1/articles/ketamine/"
        assert item["published_at"] == (EPOCH + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert item["reading_time_minutes"] == 1
        assert [a["name"] for a in item["authors"]] == ["Ben Byline", "Ada Byline"]
        assert item["authors"][0] == {"slug": second.slug, "name": "Ben Byline", "credentials": ""}
        assert item["topics"] == [{"slug": "mental-health", "name": "Mental health"}]
        assert item["tags"] == ["depression", "ketamine"]
        assert item["series"] == {
            "slug": series.slug,
            "title": "New frontiers",
            "position": 1,
            "total": 1,
        }
        hero = item["hero_image"]
        assert hero["alt"] == "A described image"
        assert set(hero["renditions"]) == {
            "thumbnail",
            "card",
            "hero",
            "thumbnail_webp",
            "card_webp",
            "hero_webp",
        }
        assert (hero["renditions"]["card"]["width"], hero["renditions"]["card"]["height"]) == (
            640,
            360,
        )
        assert hero["renditions"]["card"]["url"].startswith("http://127.0.0.1:8000/media/")
        assert hero["renditions"]["card_webp"]["url"].endswith(".webp")

    def test_the_api_url_answers(self, api, make_article):
        make_article(slug="reachable")
        item = get_json(api, "/api/v1/articles/")["results"][0]

        detail = get_json(api, item["api_url"].removeprefix("http://127.0.0.1:8000"))
        assert detail["id"] == item["id"]


class TestOrderings:
    @pytest.fixture
    def three(self, make_article):
        return [
            make_article(title="Bravo", slug="bravo", days=1),
            make_article(title="Alpha", slug="alpha", days=3),
            make_article(title="Charlie", slug="charlie", days=2),
        ]

    def test_newest_first_by_default(self, api, three):
        assert slugs(get_json(api, "/api/v1/articles/")) == ["alpha", "charlie", "bravo"]

    def test_oldest_first(self, api, three):
        body = get_json(api, "/api/v1/articles/", ordering="published_at")
        assert slugs(body) == ["bravo", "charlie", "alpha"]

    def test_by_title(self, api, three):
        assert slugs(get_json(api, "/api/v1/articles/", ordering="title")) == [
            "alpha",
            "bravo",
            "charlie",
        ]

    def test_recently_updated_first(self, api, three):
        from articles.models import ArticlePage

        ArticlePage.objects.filter(slug="bravo").update(last_published_at=EPOCH + timedelta(days=9))
        body = get_json(api, "/api/v1/articles/", ordering="-updated_at")
        assert slugs(body)[0] == "bravo"


class TestFilters:
    def test_topic_tag_and_author(self, api, make_article, topic):
        writer = AuthorFactory(slug="writer")
        make_article(slug="a", topics=[topic], tags=["sleep"], authors=[writer])
        make_article(slug="b", tags=["diet"])
        make_article(slug="c", authors=[AuthorFactory(), writer])  # second in the byline

        assert slugs(get_json(api, "/api/v1/articles/", topic="mental-health")) == ["a"]
        assert slugs(get_json(api, "/api/v1/articles/", tag="diet")) == ["b"]
        assert slugs(get_json(api, "/api/v1/articles/", author="writer")) == ["c", "a"]

    def test_an_unknown_tag_is_an_empty_list_but_unknown_slugs_are_errors(self, api, make_article):
        make_article()

        assert get_json(api, "/api/v1/articles/", tag="no-such-tag")["results"] == []
        for name in ("series", "topic", "author"):
            error = error_of(api, "/api/v1/articles/", 400, **{name: "no-such-slug"})
            assert error["code"] == "invalid_parameter"
            assert name in error["details"]

    def test_a_known_topic_without_articles_is_an_empty_list(self, api, make_article):
        make_article()
        TopicFactory(slug="empty-topic")

        assert get_json(api, "/api/v1/articles/", topic="empty-topic")["results"] == []

    def test_series_filter_comes_in_series_order(self, api, make_article):
        a, b, c = (make_article(slug=s, days=d) for s, d in (("a", 3), ("b", 1), ("c", 2)))
        series = series_with_members(b, c, a)
        make_article(slug="outsider")

        body = get_json(api, "/api/v1/articles/", series=series.slug)

        assert slugs(body) == ["b", "c", "a"]
        assert [item["series"]["position"] for item in body["results"]] == [1, 2, 3]

    def test_series_order_pages_through_cursors(self, api, make_article):
        members = [make_article(slug=f"m{n}", days=10 - n) for n in range(5)]
        series = series_with_members(*members)

        first = get_json(api, "/api/v1/articles/", series=series.slug, limit=2)
        rest = get_json(api, first["next"].removeprefix("http://127.0.0.1:8000"))

        assert slugs(first) + slugs(rest) == ["m0", "m1", "m2", "m3"]

    def test_publication_window_and_updated_since(self, api, make_article):
        make_article(slug="old", days=1)
        make_article(slug="mid", days=5)
        make_article(slug="new", days=9)

        after = (EPOCH + timedelta(days=5)).isoformat()
        before = (EPOCH + timedelta(days=9)).isoformat()
        body = get_json(api, "/api/v1/articles/", published_after=after, published_before=before)
        assert slugs(body) == ["mid"]
        since = get_json(api, "/api/v1/articles/", updated_since="2026-01-07")
        assert slugs(since) == ["new"]

    def test_naive_timestamps_are_utc(self, api, make_article):
        make_article(slug="mid", days=5)

        body = get_json(
            api,
            "/api/v1/articles/",
            published_after=(EPOCH + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%S"),
        )
        assert slugs(body) == ["mid"]

    def test_ids(self, api, make_article):
        articles = [make_article(slug=f"n{n}") for n in range(4)]

        body = get_json(api, "/api/v1/articles/", id=f"{articles[0].pk},{articles[2].pk},99999")
        assert sorted(slugs(body)) == ["n0", "n2"]


class TestSparseFields:
    def test_only_the_named_fields_in_the_named_order(self, api, make_article):
        make_article(slug="sparse")

        item = get_json(api, "/api/v1/articles/", fields="slug,id")["results"][0]

        assert list(item) == ["slug", "id"]

    def test_an_unknown_field_is_a_400_naming_it(self, api, make_article):
        make_article()

        error = error_of(api, "/api/v1/articles/", 400, fields="slug,body")
        assert "body" in error["message"]


class TestSearch:
    @pytest.fixture
    def searchable(self, make_article):
        reviewer = AuthorFactory(name="Imogen Quillfeather")
        make_article(
            slug="in-title",
            title="Ketamine clinics are spreading",
            summary="Ketamine clinics: who runs them and what they offer.",
        )
        filler = " ".join(["Treatments for mood disorders keep changing."] * 12)
        make_article(
            slug="in-body",
            title="New treatments",
            body=[("paragraph", f"<p>{filler} Esketamine is one. {filler}</p>")],
        )
        make_article(
            slug="in-body-once",
            title="Anaesthesia",
            body=[("paragraph", f"<p>{filler} Ketamine is an anaesthetic. {filler}</p>")],
        )
        make_article(slug="in-subtitle", title="Mood", subtitle="Why psilocybin trials matter")
        make_article(slug="in-summary", title="Joints", summary="Platelet-rich plasma injections")
        make_article(slug="in-tags", title="Rest", tags=["chronobiology"])
        make_article(slug="by-author", title="Essay", authors=[reviewer])
        make_article(slug="unrelated", title="Sleep hygiene")
        call_command("update_index", verbosity=0)

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("psilocybin", "in-subtitle"),
            ("platelet", "in-summary"),
            ("chronobiology", "in-tags"),
            ("quillfeather", "by-author"),
            ("esketamine", "in-body"),
        ],
    )
    def test_each_searchable_field_is_searched(self, api, searchable, query, expected):
        assert slugs(get_json(api, "/api/v1/articles/", search=query)) == [expected]

    def test_a_title_match_ranks_above_a_body_match(self, api, searchable):
        results = slugs(get_json(api, "/api/v1/articles/", search="ketamine"))

        assert results[0] == "in-title"
        assert "in-body-once" in results
        assert "unrelated" not in results

    def test_search_combines_with_filters(self, api, searchable):
        body = get_json(api, "/api/v1/articles/", search="ketamine", id="999999")
        assert body["results"] == []

    def test_search_in_an_ordering_lists_every_match_in_that_order(self, api, searchable):
        by_relevance = slugs(get_json(api, "/api/v1/articles/", search="ketamine"))
        by_title = get_json(api, "/api/v1/articles/", search="ketamine", ordering="title")

        titles = [item["title"] for item in by_title["results"]]
        assert titles == sorted(titles)
        assert sorted(slugs(by_title)) == sorted(by_relevance) and "unrelated" not in slugs(
            by_title
        )

    def test_a_search_in_an_ordering_pages_by_cursor_and_the_cursor_keeps_the_query(
        self, api, searchable
    ):
        everything = slugs(get_json(api, "/api/v1/articles/", search="ketamine", limit=100))
        pages, params = [], {"search": "ketamine", "ordering": "-published_at", "limit": 1}
        while True:
            body = get_json(api, "/api/v1/articles/", **params)
            pages.append(slugs(body))
            if not body["next"]:
                break
            params["cursor"] = parse_qs(urlparse(body["next"]).query)["cursor"][0]

        assert len(pages) == len(everything) > 1 and sorted(
            s for page in pages for s in page
        ) == sorted(everything)
        # The last cursor continues this search only: not another search, not the plain list.
        for other in ({"search": "platelet"}, {}):
            error = error_of(
                api,
                "/api/v1/articles/",
                400,
                ordering="-published_at",
                cursor=params["cursor"],
                **other,
            )
            assert "cursor" in error["details"]


class TestPrivateDocumentLinks:
    def test_a_document_in_a_restricted_collection_is_not_linked(self, api, make_article):
        private = Collection.get_first_root_node().add_child(name="Embargoed")
        CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
        public_doc = Document.objects.create(title="Public", file=ContentFile(b"x", name="p.txt"))
        private_doc = Document.objects.create(
            title="Embargo", file=ContentFile(b"x", name="embargo-secret.txt"), collection=private
        )
        article = make_article(slug="with-docs")
        article.body = [
            (
                "paragraph",
                f'<p><a linktype="document" id="{public_doc.pk}">public</a> and '
                f'<a linktype="document" id="{private_doc.pk}">embargoed</a></p>',
            )
        ]
        publish(article)

        detail = get_json(api, "/api/v1/articles/with-docs/")

        assert public_doc.file.name.split("/")[-1] in detail["body_html"]
        assert "embargo-secret" not in detail["body_html"]
        assert "embargoed" in detail["body_html"]  # the text stays, the link goes


class TestRenditionWarmUp:
    def test_publishing_makes_the_renditions_so_the_list_does_not(
        self, api, make_article, django_capture_on_commit_callbacks
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from wagtail.images.models import Rendition

        from articles.renditions import RENDITION_SPECS

        with django_capture_on_commit_callbacks(execute=True):
            article = make_article(image=True)  # the warm-up task runs after the commit

        made = set(
            Rendition.objects.filter(image=article.hero_image).values_list("filter_spec", flat=True)
        )
        assert made == set(RENDITION_SPECS)
        with CaptureQueriesContext(connection) as queries:
            get_json(api, "/api/v1/articles/")
        assert not any("INSERT" in q["sql"] for q in queries.captured_queries)


class TestImageObjects:
    """Summaries shape each image once, from the named renditions (api/content/summaries.py)."""

    def test_an_image_whose_renditions_are_gone_still_gets_all_of_them(self, api, make_article):
        from wagtail.images.models import Rendition

        from articles.renditions import RENDITIONS

        article = make_article(image=True)
        Rendition.objects.filter(image=article.hero_image).delete()

        image = get_json(api, "/api/v1/articles/")["results"][0]["hero_image"]

        assert image["id"] == article.hero_image_id
        assert set(image["renditions"]) == set(RENDITIONS)
        assert all(r["url"].startswith("http") and r["width"] for r in image["renditions"].values())

    def test_articles_sharing_an_image_keep_their_own_alt_text(self, api, make_article):
        first = make_article(image=True)
        second = make_article()
        second.hero_image = first.hero_image
        second.hero_image_alt = "The same picture, described for the second article"
        publish(second)

        items = {i["id"]: i["hero_image"] for i in get_json(api, "/api/v1/articles/")["results"]}

        assert items[first.pk]["alt"] == "A described image"
        assert items[second.pk]["alt"] == "The same picture, described for the second article"
        assert items[first.pk]["id"] == items[second.pk]["id"]
        assert items[first.pk]["renditions"] == items[second.pk]["renditions"]
