"""Delta sync: full and delta syncs converge on the visible set, at a fixed query cost."""

# ruff: noqa: F811  (the other_journal fixture comes from sync_support)

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import ArticlePage
from tests.api.conftest import get_json
from tests.api.sync_support import (
    SYNC,
    apply,
    changed_ids,
    deleted_pairs,
    draft,
    listed_ids,
    other_journal,  # noqa: F401
    reorder,
    restrict,
    sync,
    sync_to_end,
    token_after_full_sync,
)
from tests.factories import AuthorFactory, TopicFactory, publish, series_with_members

pytestmark = pytest.mark.django_db

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
