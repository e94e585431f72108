"""Delta sync: each editorial event reaches a synced client through the change log."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Page, Site

from api.models import ArticleChange
from articles.models import ArticlePage, SeriesMember
from tests.api.conftest import error_of
from tests.api.sync_support import (
    SYNC,
    changed_ids,
    deleted_pairs,
    restrict,
    sync,
    sync_to_end,
    token_after_full_sync,
)
from tests.factories import (
    ArticleIndexPageFactory,
    ArticlePageFactory,
    AuthorFactory,
    TopicFactory,
    publish,
    series_with_members,
)

pytestmark = pytest.mark.django_db


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
