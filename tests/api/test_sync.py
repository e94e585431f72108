"""Delta sync: a client that follows tokens and applies changes holds exactly the visible set.

The change log is written by signal receivers in the editorial transaction; these tests drive
real editorial actions (publish, unpublish, delete, restrict, move, reorder, schedule) and then
look only at what a client sees through /api/v1/sync/.
"""

import threading
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from taggit.models import Tag
from wagtail.models import Page, PageViewRestriction, Site

from api.delivery.change_log import article_changes_record
from api.delivery.sync import SYNC_SALT
from api.models import ArticleChange
from articles.models import ArticlePage, Series, SeriesMember
from tests.api.conftest import error_of, get_json
from tests.conftest import service_missing
from tests.factories import (
    ArticleIndexPageFactory,
    ArticlePageFactory,
    AuthorFactory,
    TopicFactory,
    publish,
    series_with_members,
)

pytestmark = pytest.mark.django_db

SYNC = "/api/v1/sync/"
OTHER_HOST = "other.example"


# A client


def sync(client, token=None, **params):
    if token is not None:
        params["token"] = token
    return get_json(client, SYNC, **params)


def sync_to_end(client, token=None, **params) -> tuple[list[dict], str]:
    """Every page from `token` (a full sync without one) until has_more is false."""
    pages = []
    while True:
        page = sync(client, token, **params)
        pages.append(page)
        token = page["next_token"]
        assert isinstance(token, str) and token
        if not page["has_more"]:
            return pages, token
        assert len(pages) < 100, "sync does not terminate"


def apply(state: dict[int, dict], pages: list[dict]) -> dict[int, dict]:
    """What an offline client does with each page, in order."""
    for page in pages:
        for item in page["changed"]:
            state[item["id"]] = item
        for gone in page["deleted"]:
            state.pop(gone["id"], None)
    return state


def changed_ids(pages) -> list[int]:
    return [item["id"] for page in pages for item in page["changed"]]


def deleted_pairs(pages) -> set[tuple[int, str]]:
    return {(gone["id"], gone["slug"]) for page in pages for gone in page["deleted"]}


def listed_ids(client) -> set[int]:
    """The visible set as the article list reports it, following `next` links."""
    ids, params = [], {"limit": 100}
    while True:
        body = get_json(client, "/api/v1/articles/", **params)
        ids += [item["id"] for item in body["results"]]
        if body["next"] is None:
            break
        params = {"limit": 100, "cursor": parse_qs(urlsplit(body["next"]).query)["cursor"][0]}
    assert len(ids) == len(set(ids))
    return set(ids)


def token_after_full_sync(client) -> str:
    return sync_to_end(client)[1]


def restrict(page: Page) -> PageViewRestriction:
    return PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


def draft(journal, **fields) -> ArticlePage:
    article = ArticlePageFactory(parent=journal, live=False, **fields)
    article.save_revision()
    return article


def reorder(series: Series, articles: list[ArticlePage]) -> None:
    """Reorder the series' members and publish it, as an editor does in the snippet admin."""
    series = Series.objects.get(pk=series.pk)
    members = {member.article_id: member for member in series.members.all()}
    ordered = [members[article.pk] for article in articles]
    for position, member in enumerate(ordered):
        member.sort_order = position
    series.members = ordered
    series.save_revision().publish()


@pytest.fixture
def other_journal(journal, settings):
    """A second site, "other.example", with its own journal under Wagtail's root page."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, OTHER_HOST]
    index = ArticleIndexPageFactory(
        parent=Page.get_first_root_node(), title="Other journal", slug="other-journal"
    )
    Site.objects.create(hostname=OTHER_HOST, port=80, root_page=index, site_name="Other")
    return index


# Full sync


class TestFullSync:
    def test_pages_through_every_visible_article_exactly_once(self, api, make_article):
        articles = [make_article() for _ in range(25)]

        pages, _ = sync_to_end(api, limit=10)

        assert [len(page["changed"]) for page in pages] == [10, 10, 5]
        assert [page["has_more"] for page in pages] == [True, True, False]
        ids = changed_ids(pages)
        assert len(ids) == len(set(ids)) == 25
        assert set(ids) == {article.pk for article in articles}
        assert all(page["deleted"] == [] for page in pages)

    def test_items_have_exactly_the_shape_of_article_list_items(self, api, make_article, topic):
        members = [make_article(topics=[topic], tags=["sleep"], image=True) for _ in range(3)]
        series_with_members(*members)
        make_article()

        changed = {item["id"]: item for item in sync(api)["changed"]}
        listed = {item["id"]: item for item in get_json(api, "/api/v1/articles/")["results"]}

        assert changed == listed
        assert changed[members[1].pk]["series"]["position"] == 2

    def test_hidden_articles_never_appear(self, api, make_article, journal):
        visible = make_article()
        hidden = [
            draft(journal),
            restrict(make_article()).page,
            make_article(),
        ]
        ArticlePage.objects.filter(pk=hidden[2].pk).update(
            expire_at=timezone.now() - timedelta(hours=1)  # expired; the scheduler has not run
        )

        pages, _ = sync_to_end(api, limit=1)

        assert changed_ids(pages) == [visible.pk]
        assert not {page.pk for page in hidden} & set(changed_ids(pages))

    def test_an_empty_journal_syncs_to_nothing(self, api):
        page = sync(api)

        assert page["changed"] == [] and page["deleted"] == []
        assert page["has_more"] is False
        assert sync(api, page["next_token"])["changed"] == []

    def test_a_change_during_the_scan_is_replayed_before_has_more_is_false(self, api, make_article):
        first, second = make_article(), make_article()
        page = sync(api, limit=1)
        assert [item["id"] for item in page["changed"]] == [first.pk]

        first.unpublish()  # already sent: only the log can take it back
        pages, _ = sync_to_end(api, page["next_token"], limit=1)

        state = apply(apply({}, [page]), pages)
        assert set(state) == {second.pk} == listed_ids(api)
        assert (first.pk, first.slug) in deleted_pairs(pages)


# Delta sync


class TestDeltaSync:
    def test_reports_exactly_what_changed_and_the_client_converges(
        self, api, make_article, journal, other_journal
    ):
        edited, unpublished, deleted, restricted, moved, untouched = (
            make_article() for _ in range(6)
        )
        members = [make_article() for _ in range(3)]
        series = series_with_members(*members)
        hidden = [draft(journal), restrict(make_article()).page]
        full, token = sync_to_end(api, limit=4)
        state = apply({}, full)
        assert set(state) == {
            edited.pk,
            unpublished.pk,
            deleted.pk,
            restricted.pk,
            moved.pk,
            untouched.pk,
            *(m.pk for m in members),
        }

        new = make_article()
        edited.title = "Edited title"
        publish(edited)
        unpublished.unpublish()
        deleted_id, deleted_slug = deleted.pk, deleted.slug
        deleted.delete()
        restrict(restricted)
        moved.move(other_journal, pos="last-child")
        reorder(series, members[::-1])
        delta, final_token = sync_to_end(api, token)

        changed = {item["id"]: item for page in delta for item in page["changed"]}
        assert set(changed) == {new.pk, edited.pk, *(m.pk for m in members)}
        assert deleted_pairs(delta) == {
            (unpublished.pk, unpublished.slug),
            (deleted_id, deleted_slug),
            (restricted.pk, restricted.slug),
            (moved.pk, moved.slug),
        }
        assert changed[edited.pk]["title"] == "Edited title"
        assert [changed[m.pk]["series"]["position"] for m in members] == [3, 2, 1]
        for page in delta:
            for gone in page["deleted"]:
                assert gone["deleted_at"].endswith("Z")
        assert not {page.pk for page in hidden} & set(changed)

        apply(state, delta)
        assert set(state) == listed_ids(api)
        assert state[edited.pk] == changed[edited.pk]
        assert untouched.pk in state

        again = sync(api, final_token)
        assert again["changed"] == [] and again["deleted"] == []
        assert again["has_more"] is False

    def test_pages_the_log_and_reports_each_article_once_per_page(self, api, make_article):
        articles = [make_article() for _ in range(5)]
        token = token_after_full_sync(api)
        for _ in range(2):
            for article in articles:
                publish(article)  # 10 log rows for 5 articles

        first = sync(api, token, limit=4)
        rest, _ = sync_to_end(api, first["next_token"], limit=4)

        assert first["has_more"] is True
        ids = [item["id"] for item in first["changed"]]
        assert len(ids) == len(set(ids))
        assert set(changed_ids([first, *rest])) == {a.pk for a in articles}

    def test_a_later_change_to_an_article_is_reported_again(self, api, make_article):
        article = make_article()
        token = token_after_full_sync(api)

        publish(article)
        pages, token = sync_to_end(api, token)
        assert changed_ids(pages) == [article.pk]

        publish(article)  # the same article, published again with no edit
        pages, token = sync_to_end(api, token)
        assert changed_ids(pages) == [article.pk]

        assert changed_ids(sync_to_end(api, token)[0]) == []

    def test_the_same_token_gives_the_same_answer(self, api, make_article):
        make_article()
        token = token_after_full_sync(api)

        assert sync(api, token) == sync(api, token)


class TestWhatRecordsAChange:
    """Each editorial event reaches a synced client through the log."""

    def test_removing_a_view_restriction_brings_the_article_back(self, api, make_article):
        article = make_article()
        restriction = restrict(article)
        token = token_after_full_sync(api)

        restriction.delete()

        assert changed_ids(sync_to_end(api, token)[0]) == [article.pk]

    def test_a_restriction_on_an_ancestor_hides_every_article_below_it(
        self, api, make_article, journal
    ):
        articles = [make_article() for _ in range(3)]
        token = token_after_full_sync(api)

        restrict(journal)

        assert deleted_pairs(sync_to_end(api, token)[0]) == {(a.pk, a.slug) for a in articles}

    def test_renaming_an_author_updates_the_bylines_of_their_articles(self, api, make_article):
        author = AuthorFactory(name="Ada")
        mine = [make_article(authors=[author]) for _ in range(2)]
        make_article()
        token = token_after_full_sync(api)

        author.name = "Ada Lovelace"
        author.save()

        pages, _ = sync_to_end(api, token)
        assert set(changed_ids(pages)) == {a.pk for a in mine}
        assert {item["authors"][0]["name"] for page in pages for item in page["changed"]} == {
            "Ada Lovelace"
        }

    def test_renaming_a_topic_updates_its_articles(self, api, make_article):
        topic = TopicFactory()
        filed = make_article(topics=[topic])
        make_article()
        token = token_after_full_sync(api)

        topic.name = "Renamed"
        topic.save()

        pages, _ = sync_to_end(api, token)
        assert changed_ids(pages) == [filed.pk]
        assert pages[0]["changed"][0]["topics"][0]["name"] == "Renamed"

    def test_deleting_a_topic_updates_its_articles(self, api, make_article):
        topic = TopicFactory()
        filed = make_article(topics=[topic])
        token = token_after_full_sync(api)

        topic.delete()

        pages, _ = sync_to_end(api, token)
        assert changed_ids(pages) == [filed.pk]
        assert pages[0]["changed"][0]["topics"] == []

    def test_renaming_a_tag_updates_its_articles(self, api, make_article):
        tagged = make_article(tags=["slep"])
        make_article(tags=["diet"])
        token = token_after_full_sync(api)

        tag = Tag.objects.get(name="slep")
        tag.name = "sleep"
        tag.save()

        pages, _ = sync_to_end(api, token)
        assert changed_ids(pages) == [tagged.pk]
        assert pages[0]["changed"][0]["tags"] == ["sleep"]

    def test_deleting_a_hero_image_updates_the_articles_showing_it(self, api, make_article):
        pictured = make_article(image=True)
        make_article(image=True)
        token = token_after_full_sync(api)

        pictured.hero_image.delete()

        pages, _ = sync_to_end(api, token)
        assert changed_ids(pages) == [pictured.pk]
        assert pages[0]["changed"][0]["hero_image"] is None

    def test_unpublishing_a_series_clears_it_from_its_members(self, api, make_article):
        members = [make_article() for _ in range(2)]
        series = series_with_members(*members)
        token = token_after_full_sync(api)

        series.unpublish()

        pages, _ = sync_to_end(api, token)
        assert set(changed_ids(pages)) == {m.pk for m in members}
        assert all(item["series"] is None for page in pages for item in page["changed"])

    def test_removing_a_member_renumbers_the_rest(self, api, make_article):
        members = [make_article() for _ in range(3)]
        series_with_members(*members)
        token = token_after_full_sync(api)

        SeriesMember.objects.get(article=members[0]).delete()

        state = {item["id"]: item for item in sync(api, token)["changed"]}
        assert set(state) == {m.pk for m in members}
        assert state[members[0].pk]["series"] is None
        assert [state[m.pk]["series"]["position"] for m in members[1:]] == [1, 2]
        assert state[members[2].pk]["series"]["total"] == 2

    @pytest.mark.parametrize(
        "hide",
        [ArticlePage.unpublish, restrict, lambda article: article.delete()],
        ids=["unpublished", "restricted", "deleted"],
    )
    def test_hiding_a_member_renumbers_the_rest_of_its_series(self, api, make_article, hide):
        """Regression: only the hidden article was logged, so the other members kept stale
        positions and totals (found by tests/api/test_sync_random.py)."""
        members = [make_article() for _ in range(3)]
        series_with_members(*members)
        token = token_after_full_sync(api)
        hidden_id, hidden_slug = members[0].pk, members[0].slug

        hide(members[0])

        pages, _ = sync_to_end(api, token)
        state = {item["id"]: item for page in pages for item in page["changed"]}
        assert deleted_pairs(pages) == {(hidden_id, hidden_slug)}
        assert [state[m.pk]["series"]["position"] for m in members[1:]] == [1, 2]
        assert state[members[1].pk]["series"]["total"] == 2

    def test_deleting_an_article_tree_logs_every_article_in_it(self, make_article):
        articles = [make_article() for _ in range(2)]
        before = ArticleChange.objects.count()

        Page.objects.get(pk=articles[0].get_parent().pk).delete()

        rows = ArticleChange.objects.order_by("id")[before:]
        assert {(r.article_id, r.slug) for r in rows if r.kind == "deleted"} == {
            (a.pk, a.slug) for a in articles
        }

    def test_a_token_is_refused_once_the_site_has_a_new_root(self, api, make_article, journal):
        make_article()
        token = token_after_full_sync(api)
        new_root = ArticleIndexPageFactory(parent=Page.get_first_root_node(), title="New root")
        Site.objects.filter(root_page=journal).update(root_page=new_root)

        # Nothing was logged for the articles of the old root: the client must start over.
        assert error_of(api, SYNC, 400, token=token)["code"] == "invalid_token"
        assert sync(api)["changed"] == []

    def test_expiry_is_logged_when_the_scheduler_unpublishes(self, api, make_article):
        article = make_article()
        token = token_after_full_sync(api)
        ArticlePage.objects.filter(pk=article.pk).update(
            expire_at=timezone.now() - timedelta(seconds=1)
        )
        # Documented: time passing is not a change until the scheduler acts on it.
        assert sync_to_end(api, token)[0][0]["deleted"] == []

        call_command("publish_scheduled", verbosity=0)

        assert deleted_pairs(sync_to_end(api, token)[0]) == {(article.pk, article.slug)}

    def test_scheduled_go_live_is_logged_when_the_scheduler_publishes(self, api, journal):
        article = ArticlePageFactory(parent=journal, live=False)
        article.go_live_at = timezone.now() + timedelta(hours=2)
        publish(article)
        token = token_after_full_sync(api)
        revision = article.scheduled_revision
        past = timezone.now() - timedelta(minutes=1)
        revision.content["go_live_at"] = past.isoformat()
        revision.approved_go_live_at = past
        revision.save(update_fields=["content", "approved_go_live_at"])

        call_command("publish_scheduled", verbosity=0)

        assert changed_ids(sync_to_end(api, token)[0]) == [article.pk]


# Tokens and parameters


def signed(payload, salt=SYNC_SALT) -> str:
    return signing.Signer(salt=salt).sign_object(payload, compress=True)


class TestTokens:
    @pytest.fixture
    def token(self, api, make_article):
        make_article()
        return sync(api)["next_token"]

    @pytest.mark.parametrize(
        "bad",
        [
            "forged",
            "eyJ2IjoxLCJwIjoiZGVsdGEiLCJhIjowfQ:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            signed({"v": 1, "p": "delta", "a": 0, "s": "00010001"}, salt="folio.api.cursor.v1"),
            signing.dumps({"v": 1, "p": "delta", "a": 0, "s": "00010001"}, salt="other"),
            signed({"v": 1, "p": "delta", "a": "12", "s": "00010001"}),
            signed({"v": 1, "p": "delta", "a": 1.5, "s": "00010001"}),
            signed({"v": 1, "p": "delta", "a": True, "s": "00010001"}),
            signed({"v": 1, "p": "delta", "a": -1, "s": "00010001"}),
            signed({"v": 1, "p": "full", "a": 0, "s": "00010001"}),  # no log position
            signed({"v": 1, "p": "sideways", "a": 0, "s": "00010001"}),
            signed({"v": 2, "p": "delta", "a": 0, "s": "00010001"}),
            signed({"v": 1, "p": "delta", "a": 0, "s": 7}),
            signed([1, "delta", 0]),
            "π:π",
        ],
        ids=[
            "forged",
            "made-up-signature",
            "list-cursor",
            "other-salt",
            "string-position",
            "float-position",
            "bool-position",
            "negative-position",
            "full-without-since",
            "unknown-phase",
            "unknown-version",
            "non-string-site",
            "not-an-object",
            "non-ascii",
        ],
    )
    def test_a_token_the_server_did_not_issue_is_invalid_token(self, api, token, bad):
        error = error_of(api, SYNC, 400, token=bad)

        assert error["code"] == "invalid_token"
        assert "token" in error["details"]

    def test_a_truncated_token_is_invalid_token(self, api, token):
        for cut in (1, len(token) // 2, len(token) - 1):
            assert error_of(api, SYNC, 400, token=token[:cut])["code"] == "invalid_token"

    def test_a_token_from_another_site_is_invalid_token(self, api, token, other_journal):
        other_token = sync(Client(HTTP_HOST=OTHER_HOST))["next_token"]

        assert error_of(api, SYNC, 400, token=other_token)["code"] == "invalid_token"
        assert sync(api, token)["has_more"] is False  # the site's own token still works

    @pytest.mark.parametrize("bad", ["", "a\x00b"], ids=["empty", "nul"])
    def test_an_empty_token_or_a_nul_byte_is_invalid_parameter(self, api, bad):
        error = error_of(api, SYNC, 400, token=bad)

        assert error["code"] == "invalid_parameter"
        assert "token" in error["details"]

    @pytest.mark.parametrize("limit", ["0", "101", "-1", "ten", "1.5"])
    def test_a_limit_out_of_range_is_invalid_parameter(self, api, limit):
        error = error_of(api, SYNC, 400, limit=limit)

        assert error["code"] == "invalid_parameter"
        assert "limit" in error["details"]

    def test_an_unknown_parameter_is_unknown_parameter(self, api):
        assert error_of(api, SYNC, 400, cursor="x")["code"] == "unknown_parameter"

    def test_writes_are_405_with_the_error_body(self, api):
        response = api.post(SYNC)

        assert response.status_code == 405
        assert response.json()["error"]["status"] == 405


# Cost


def queries_for(client, **params) -> int:
    client.get(SYNC, params)  # warm: the first request also fills Wagtail's own caches
    with CaptureQueriesContext(connection) as captured:
        get_json(client, SYNC, **params)
    return len(captured)


@pytest.fixture
def rich_articles(make_article):
    """Articles that each have two authors, two topics, tags, a hero image and a series."""
    topics = [TopicFactory(), TopicFactory()]
    articles = [
        make_article(
            authors=[AuthorFactory(), AuthorFactory()],
            topics=topics,
            tags=["sleep", f"tag-{n}"],
            image=True,
        )
        for n in range(8)
    ]
    series_with_members(*articles[:4])
    series_with_members(*articles[4:])
    return articles


class TestQueryBudget:
    def test_a_full_sync_page_costs_the_same_for_one_article_and_a_hundred(
        self, api, rich_articles
    ):
        first_one = queries_for(api, limit=1)
        first_hundred = queries_for(api, limit=100)
        following = queries_for(api, limit=1, token=sync(api, limit=1)["next_token"])

        assert first_one == first_hundred == following

    def test_a_delta_page_costs_the_same_for_one_change_and_a_hundred(self, api, rich_articles):
        token = token_after_full_sync(api)
        for article in rich_articles:
            publish(article)

        assert queries_for(api, limit=1, token=token) == queries_for(api, limit=100, token=token)


# The log itself


class TestTheLog:
    def test_an_article_keeps_its_history_after_it_is_deleted(self, make_article):
        article = make_article()
        article_id = article.pk

        article.delete()

        last = ArticleChange.objects.filter(article_id=article_id).latest("id")
        assert last.kind == ArticleChange.Kind.DELETED
        assert last.slug == article.slug

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_a_change_rolled_back_leaves_no_log_row(self, make_article):
        article = make_article()
        before = ArticleChange.objects.count()

        with pytest.raises(RuntimeError), transaction.atomic():
            publish(article)
            # Written in the editorial transaction, not after it...
            assert ArticleChange.objects.count() == before + 1
            raise RuntimeError("the editor's save fails")

        # ...so it goes when that transaction rolls back.
        assert ArticleChange.objects.count() == before
        article.refresh_from_db()
        publish(article)  # the control: the same change, committed, is logged
        assert ArticleChange.objects.count() == before + 1

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_a_move_outside_any_transaction_is_still_logged(self, make_article, other_journal):
        article = make_article()
        before = ArticleChange.objects.count()

        article.move(other_journal, pos="last-child")

        assert ArticleChange.objects.count() == before + 1
        assert ArticleChange.objects.latest("id").article_id == article.pk

    @pytest.mark.services
    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_log_ids_are_handed_out_in_commit_order(self, make_article):
        """A writer waits for an earlier writer's commit, so no reader can skip a lower id."""
        if connection.vendor != "postgresql":
            service_missing("PostgreSQL (DATABASE_URL)")
        first, second = make_article(), make_article()
        holding, release = threading.Event(), threading.Event()

        def earlier():
            try:
                with transaction.atomic():
                    article_changes_record(article_ids=[first.pk])
                    holding.set()
                    release.wait(10)
            finally:
                connection.close()

        def later():
            try:
                holding.wait(10)
                article_changes_record(article_ids=[second.pk])
            finally:
                connection.close()

        threads = [threading.Thread(target=earlier), threading.Thread(target=later)]
        for thread in threads:
            thread.start()
        assert holding.wait(10)
        threads[1].join(timeout=1)
        still_waiting = threads[1].is_alive()
        release.set()
        for thread in threads:
            thread.join(10)

        assert still_waiting
        first_row, second_row = ArticleChange.objects.order_by("-id")[:2][::-1]
        assert (first_row.article_id, second_row.article_id) == (first.pk, second.pk)


class TestTheDocument:
    def test_sync_responses_match_the_openapi_document(self, api, make_article):
        """The envelope and `deleted` are checked here; `changed` items are list items (above),
        which tests/api/test_openapi.py checks against the same ArticleSummary component."""
        document = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
        openapi = OpenAPI.from_dict(document)
        empty = api.get(SYNC)
        gone = make_article()
        token = token_after_full_sync(api)
        gone.unpublish()
        delta = api.get(SYNC, {"token": token, "limit": 5})

        for response in (empty, delta):
            assert response.status_code == 200
            request = DjangoOpenAPIRequest(response.wsgi_request)
            openapi.validate_request(request)
            openapi.validate_response(request, DjangoOpenAPIResponse(response))
        assert [item["id"] for item in delta.json()["deleted"]] == [gone.pk]
        operation = document["paths"][SYNC]["get"]
        assert {p["name"] for p in operation["parameters"]} == {"token", "limit"}
        assert {"400", "200"} <= set(operation["responses"])
        changed = document["components"]["schemas"]["Sync"]["properties"]["changed"]
        assert changed["items"] == {"$ref": "#/components/schemas/ArticleSummary"}


class TestDeletionsDiscloseNothing:
    """Regression: a `deleted` entry named articles the client could never have seen (a slug
    of a page that was only ever private, or never syndicated for partners)."""

    def delta_after(self, api, token, **headers):
        response = api.get("/api/v1/sync/", {"token": token}, **headers)
        assert response.status_code == 200, response.content[:300]
        return response.json()

    def test_a_page_private_from_the_start_never_appears_in_deleted(self, api, journal):
        from wagtail.models import PageViewRestriction

        from tests.factories import ArticlePageFactory, publish

        token = api.get("/api/v1/sync/").json()["next_token"]
        secret = ArticlePageFactory(parent=journal, slug="zqprivatefromthestart")
        PageViewRestriction.objects.create(page=secret, restriction_type="login")
        publish(secret)
        secret.delete()

        body = self.delta_after(api, token)
        assert b"zqprivatefromthestart" not in str(body).encode()
        assert body["deleted"] == []

    def test_a_page_once_public_is_reported_deleted(self, api, journal, make_article):
        token = api.get("/api/v1/sync/").json()["next_token"]
        article = make_article(slug="once-public")
        article_id = article.pk
        article.delete()

        body = self.delta_after(api, token)
        assert [entry["id"] for entry in body["deleted"]] == [article_id]

    def test_partners_are_not_told_of_articles_never_syndicated(self, api, journal, make_article):
        from api.partners.provisioning import api_key_issue, partner_create

        key = api_key_issue(partner=partner_create(name="Sync partner"), name="app")[1]
        auth = {"HTTP_AUTHORIZATION": f"Api-Key {key}"}
        public_token = api.get("/api/v1/sync/").json()["next_token"]
        partner_token = api.get("/api/v1/sync/", **auth).json()["next_token"]
        closed = make_article(slug="zqneversyndicated", syndication_allowed=False)
        opened = make_article(slug="syndicated-then-deleted")
        closed_id, opened_id = closed.pk, opened.pk
        closed.delete()
        opened.delete()

        partner_body = self.delta_after(api, partner_token, **auth)
        public_body = self.delta_after(api, public_token)
        assert [entry["id"] for entry in partner_body["deleted"]] == [opened_id]
        assert "zqneversyndicated" not in str(partner_body)
        assert {entry["id"] for entry in public_body["deleted"]} == {closed_id, opened_id}
