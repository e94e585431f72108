"""The series editor's readouts, the article editor's Series field, and one-series validation."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.admin.membership import article_series_set, latest_members, series_holding
from articles.admin.status import series_readout
from articles.models import ArticlePage, Series
from tests.articles.test_admin_forms import article_form_data
from tests.factories import (
    ArticlePageFactory,
    AuthorFactory,
    SeriesFactory,
    publish,
    series_with_members,
)

pytestmark = pytest.mark.django_db


def edit_series_url(series) -> str:
    return reverse("wagtailsnippets_articles_series:edit", args=(series.pk,))


def edit_article_url(article) -> str:
    return reverse("wagtailadmin_pages:edit", args=(article.pk,))


def live_article(journal, **fields) -> ArticlePage:
    return publish(ArticlePageFactory(parent=journal, **fields))


def draft_article(journal, **fields) -> ArticlePage:
    article = ArticlePageFactory(parent=journal, live=False, **fields)
    article.save_revision()
    return article


def latest_titles(series: Series) -> list[str]:
    series = Series.objects.get(pk=series.pk)
    return [member.article.title for member in latest_members(series)]


def live_titles(series: Series) -> list[str]:
    return [m.article.title for m in Series.objects.get(pk=series.pk).members.all()]


class TestSeriesEditorReadout:
    def test_each_row_shows_the_articles_state_and_its_position_as_published(
        self, client, editor, journal
    ):
        first = live_article(journal, title="First")
        hidden = draft_article(journal, title="Hidden draft")
        third = live_article(journal, title="Third")
        series = series_with_members(first, hidden, third)
        client.force_login(editor)

        html = client.get(edit_series_url(series)).content.decode()

        statuses = re.findall(r'data-member-status="(\w+)" data-article-id="(\d+)"', html)
        assert statuses == [
            ("live", str(first.pk)),
            ("draft", str(hidden.pk)),
            ("live", str(third.pk)),
        ]
        # Positions count what readers see, as the API does: the draft is skipped.
        assert "Readers see it as part 1 of 2." in html
        assert "Readers see it as part 2 of 2." in html
        assert "Not shown to readers: the article is draft." in html
        assert "data-inline-panel-child-drag" in html  # Wagtail's drag handle on every row

    def test_a_scheduled_and_an_expired_member_say_so(self, journal):
        from datetime import timedelta

        from django.utils import timezone

        soon = live_article(journal, title="Soon")
        ArticlePage.objects.filter(pk=soon.pk).update(go_live_at=timezone.now() + timedelta(days=2))
        gone = live_article(journal, title="Gone")
        ArticlePage.objects.filter(pk=gone.pk).update(expire_at=timezone.now() - timedelta(days=1))
        series = series_with_members(soon, gone)

        readout = series_readout(article_ids=[soon.pk, gone.pk], series_id=series.pk)

        assert readout[soon.pk].state.code == "scheduled"
        assert readout[gone.pk].state.code == "expired"
        assert not readout[soon.pk].visible and readout[soon.pk].published is None

    def test_the_readout_takes_the_same_number_of_queries_for_two_or_six_members(self, journal):
        def queries_for(count: int) -> int:
            articles = [live_article(journal) for _ in range(count)]
            series = series_with_members(*articles)
            ids = [a.pk for a in articles]
            with CaptureQueriesContext(connection) as captured:
                readout = series_readout(article_ids=ids, series_id=series.pk)
            assert len(readout) == count
            return len(captured.captured_queries)

        assert queries_for(2) == queries_for(6)

    def test_a_reordered_draft_shows_the_place_after_publishing(self, client, editor, journal):
        a, b = live_article(journal, title="A"), live_article(journal, title="B")
        series = series_with_members(a, b)
        draft = series.get_latest_revision_as_object()
        members = list(draft.members.all())
        members[0].sort_order, members[1].sort_order = 1, 0
        draft.members = sorted(members, key=lambda m: m.sort_order)
        draft.save_revision()
        client.force_login(editor)

        html = client.get(edit_series_url(series)).content.decode()

        assert "Readers see it as part 2 of 2." in html
        assert "After publishing the series: part 1 of 2." in html


class TestArticleEditorSeriesField:
    def post_article(self, client, article, **extra):
        data = article_form_data(
            title=article.title, slug=article.slug, authors=[AuthorFactory()], **extra
        )
        response = client.post(edit_article_url(article), data)
        assert response.status_code == 302, response.context["form"].errors
        return response

    def test_choosing_a_live_series_adds_the_article_last_in_a_draft_of_the_series(
        self, client, writer, journal
    ):
        a, b = live_article(journal, title="A"), live_article(journal, title="B")
        series = series_with_members(a, b, title="Sleep")
        new = draft_article(journal, title="New")
        client.force_login(writer)

        self.post_article(client, new, series=str(series.pk))

        assert latest_titles(series) == ["A", "B", "New"]
        assert live_titles(series) == ["A", "B"]  # an editor publishes the series
        assert Series.objects.get(pk=series.pk).has_unpublished_changes
        [holding] = series_holding(new.pk)
        assert (holding.series.pk, holding.position, holding.draft) == (series.pk, 3, True)

    def test_the_editor_shows_the_series_it_is_in(self, client, writer, journal):
        article = live_article(journal, title="A")
        series = series_with_members(live_article(journal), article, title="Sleep")
        client.force_login(writer)

        html = client.get(edit_article_url(article)).content.decode()

        assert re.search(rf'<option value="{series.pk}" selected>Sleep</option>', html)
        assert "Part 2 of “Sleep”" in html

    def test_a_series_never_published_is_changed_in_place(self, client, writer, journal):
        series = SeriesFactory(title="Unpublished", live=False)
        article = draft_article(journal)
        client.force_login(writer)

        self.post_article(client, article, series=str(series.pk))

        assert live_titles(series) == [article.title]

    def test_choosing_another_series_moves_it_and_none_takes_it_out(self, client, editor, journal):
        article = live_article(journal, title="Mover")
        first = series_with_members(live_article(journal, title="Stay"), article, title="First")
        second = series_with_members(live_article(journal, title="Other"), title="Second")
        client.force_login(editor)

        self.post_article(client, article, series=str(second.pk))
        assert latest_titles(first) == ["Stay"]
        assert latest_titles(second) == ["Other", "Mover"]

        self.post_article(client, article, series="")
        assert latest_titles(second) == ["Other"]
        assert series_holding(article.pk) == []

    def test_a_form_posted_without_the_field_leaves_the_membership_alone(
        self, client, editor, journal
    ):
        article = live_article(journal)
        series = series_with_members(article)
        client.force_login(editor)

        self.post_article(client, article)

        assert not Series.objects.get(pk=series.pk).has_unpublished_changes
        assert latest_titles(series) == [article.title]

    def test_publishing_the_series_after_a_move_is_refused_until_the_old_one_is_published(
        self, client, editor, journal
    ):
        article = live_article(journal, title="Mover")
        old = series_with_members(article, title="Old")
        new = series_with_members(live_article(journal), title="New")
        article_series_set(article=article, series=new, user=editor)
        client.force_login(editor)

        response = client.get(edit_series_url(new))
        assert response.status_code == 200
        assert "Mover" in response.content.decode()

        Series.objects.get(pk=old.pk).get_latest_revision().publish()
        assert live_titles(old) == []
        Series.objects.get(pk=new.pk).get_latest_revision().publish()
        assert live_titles(new)[-1] == "Mover"

    def test_a_medical_reviewer_has_no_series_field(self, client, reviewer, journal):
        article = draft_article(journal)
        form_class = ArticlePage.get_edit_handler().get_form_class()

        form = form_class(instance=article, for_user=reviewer)

        assert "series" not in form.fields


class TestOneSeriesPerArticleInTheSeriesEditor:
    def series_post(self, client, series, article_ids):
        from wagtail.test.utils.form_data import inline_formset, nested_form_data

        data = nested_form_data(
            {
                "title": series.title,
                "slug": series.slug,
                "description": "",
                "image": "",
                "members": inline_formset([{"article": pk} for pk in article_ids]),
                "action-publish": "publish",
            }
        )
        return client.post(edit_series_url(series), data)

    def test_an_article_in_another_series_draft_is_refused_with_that_series_named(
        self, client, editor, journal
    ):
        article = draft_article(journal, title="Ketamine")
        holder = series_with_members(live_article(journal), title="New frontiers")
        article_series_set(article=article, series=holder, user=editor)
        other = SeriesFactory(title="Mood")
        client.force_login(editor)

        response = self.series_post(client, other, [article.pk])

        assert response.status_code == 200
        html = response.content.decode()
        assert "already part 2 of the unpublished draft of the series “New frontiers”" in html
        assert live_titles(other) == []

    def test_a_published_holder_whose_draft_lets_go_says_to_publish_it_first(
        self, client, editor, journal
    ):
        article = live_article(journal, title="Ketamine")
        old = series_with_members(article, title="Old home")
        article_series_set(article=article, series=None, user=editor)
        new = SeriesFactory(title="New home")
        client.force_login(editor)

        response = self.series_post(client, new, [article.pk])

        html = response.content.decode()
        assert response.status_code == 200
        assert "already part 1 of the series “Old home”" in html
        assert "publish that series first" in html
        assert live_titles(old) == ["Ketamine"]
