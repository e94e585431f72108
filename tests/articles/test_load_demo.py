"""manage.py load_demo: a complete demo journal, created once however often the command runs.

The command runs once per module (rolled back at the end) rather than once per test: it
draws two dozen images and publishes a dozen pages, and each test rolls back its own changes.
"""

import re
from dataclasses import dataclass
from datetime import timedelta
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    Page,
    PageViewRestriction,
    Revision,
    Site,
    WorkflowPage,
)

from articles.editorial import EDITORS, MEDICAL_REVIEWERS, WORKFLOW_NAME, WRITERS
from articles.models import (
    ArticleAuthor,
    ArticleIndexPage,
    ArticlePage,
    ArticleReference,
    ArticleTag,
    Author,
    Series,
    SeriesMember,
    Topic,
)


def login_request():
    """A login request: django-axes checks the client address of every authentication."""
    return RequestFactory().post("/admin/login/", REMOTE_ADDR="192.0.2.99")


pytestmark = pytest.mark.django_db

PASSWORD_LINE = re.compile(r"^(?:Superuser|User) (\S+).* created with password: (\S+)$", re.M)
COUNTED_MODELS = [
    Page,
    ArticleIndexPage,
    ArticlePage,
    ArticleAuthor,
    ArticleReference,
    ArticleTag,
    Tag,
    Author,
    Topic,
    Series,
    SeriesMember,
    get_image_model(),
    Collection,
    Revision,
    PageViewRestriction,
    WorkflowPage,
    Site,
    Group,
    get_user_model(),
]


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def printed_passwords(output: str) -> dict[str, str]:
    return dict(PASSWORD_LINE.findall(output))


def model_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in COUNTED_MODELS}


def demo_client() -> Client:
    return Client(HTTP_HOST=urlsplit(settings.PUBLIC_BASE_URL).netloc)


@dataclass(frozen=True)
class DemoRun:
    output: str
    media_root: Path


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The first run of load_demo on a fresh database, undone after the module's tests."""
    media_root = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root),
        transaction.atomic(),
    ):
        yield DemoRun(output=load_demo(), media_root=media_root)
        transaction.set_rollback(True)
    Site.clear_site_root_paths_cache()


@pytest.fixture
def first_output(demo) -> str:
    return demo.output


class TestRunningTwice:
    def test_the_second_run_creates_nothing(self, first_output):
        counts = model_counts()

        second_output = load_demo()

        assert model_counts() == counts
        assert "already exists" in second_output
        assert "already exists" not in first_output

    def test_the_first_run_creates_the_whole_demo(self, first_output):
        counts = model_counts()

        assert counts["articles.ArticlePage"] >= 12
        assert counts["articles.Author"] >= 5
        assert counts["articles.Topic"] >= 5
        assert counts["articles.Series"] >= 2
        assert counts["wagtailimages.Image"] >= counts["articles.ArticlePage"]

    def test_the_superuser_password_is_printed_once_and_works(self, first_output):
        password = printed_passwords(first_output)["admin"]
        admin = authenticate(login_request(), username="admin", password=password)
        assert admin is not None
        assert admin.is_superuser
        assert admin.email == "admin@example.com"

        second_output = load_demo()

        assert "password" not in second_output
        assert authenticate(login_request(), username="admin", password=password) is not None

    def test_an_existing_admin_is_left_alone(self, first_output):
        get_user_model().objects.filter(username="admin").delete()
        get_user_model().objects.create_superuser("admin", "me@example.com", "mine-1234")

        output = load_demo()

        assert "admin" not in printed_passwords(output)
        assert authenticate(login_request(), username="admin", password="mine-1234") is not None


class TestEditorialUsers:
    @pytest.mark.parametrize(
        ("username", "group"),
        [("writer", WRITERS), ("reviewer", MEDICAL_REVIEWERS), ("editor", EDITORS)],
    )
    def test_one_user_per_group_with_a_working_printed_password(
        self, first_output, username, group
    ):
        password = printed_passwords(first_output)[username]

        user = authenticate(login_request(), username=username, password=password)

        assert user is not None
        assert list(user.groups.values_list("name", flat=True)) == [group]
        assert not user.is_superuser


class TestSite:
    def test_the_journal_is_the_default_sites_root(self, first_output):
        site = Site.objects.get(is_default_site=True)
        base = urlsplit(settings.PUBLIC_BASE_URL)

        assert isinstance(site.root_page.specific, ArticleIndexPage)
        assert site.root_page.title == "Folio Health"
        assert site.root_page.live
        assert (site.hostname, site.port) == (base.hostname, base.port)
        assert not Page.objects.filter(title="Welcome to your new Wagtail site!").exists()

    def test_the_journal_goes_through_editorial_review(self, first_output):
        journal = ArticleIndexPage.objects.get(title="Folio Health")

        assert journal.get_workflow().name == WORKFLOW_NAME
        assert set(Group.objects.values_list("name", flat=True)) >= {
            WRITERS,
            MEDICAL_REVIEWERS,
            EDITORS,
        }


class TestSeries:
    def test_at_least_two_live_series_of_three_or_more(self, first_output):
        series = Series.objects.filter(live=True)

        assert series.count() >= 2
        for one in series:
            assert one.members.count() >= 3, one.title
            assert one.live_revision is not None

    def test_the_frontiers_series_opens_with_ketamine_then_regenerative_medicine(
        self, first_output
    ):
        series = Series.objects.get(slug="new-frontiers-in-treatment")

        first, second, *rest = [m.article for m in series.members.order_by("sort_order")]

        assert "ketamine" in first.title.lower()
        assert second.topics.filter(slug="regenerative-medicine").exists()
        assert rest

    def test_series_members_are_live_articles(self, first_output):
        assert not SeriesMember.objects.filter(article__live=False).exists()


class TestVisibility:
    def test_exactly_one_draft_never_published(self, first_output):
        drafts = ArticlePage.objects.filter(live=False, go_live_at__isnull=True)

        assert drafts.count() == 1
        draft = drafts.get()
        assert draft.first_published_at is None
        assert draft.live_revision is None
        assert draft.latest_revision is not None

    def test_exactly_one_scheduled_for_the_future(self, first_output):
        scheduled = ArticlePage.objects.filter(go_live_at__isnull=False)

        assert scheduled.count() == 1
        article = scheduled.get()
        assert not article.live
        assert article.go_live_at > timezone.now()
        assert article.scheduled_revision is not None
        assert article.scheduled_revision.approved_go_live_at == article.go_live_at

    def test_exactly_one_behind_a_login(self, first_output):
        restrictions = PageViewRestriction.objects.all()

        assert restrictions.count() == 1
        restriction = restrictions.get()
        assert restriction.restriction_type == PageViewRestriction.LOGIN
        assert restriction.page.live
        assert isinstance(restriction.page.specific, ArticlePage)

    def test_every_other_article_is_live_with_its_own_publication_date(self, first_output):
        live = ArticlePage.objects.live()
        dates = list(live.values_list("first_published_at", flat=True))

        assert live.count() == ArticlePage.objects.count() - 2
        assert len(set(dates)) == len(dates)
        assert max(dates) - min(dates) > timedelta(days=60)

    def test_live_articles_render_and_the_others_do_not_leak(self, demo, settings):
        settings.MEDIA_ROOT = demo.media_root
        client = demo_client()
        restricted = PageViewRestriction.objects.get().page

        for article in ArticlePage.objects.live().exclude(pk=restricted.pk):
            assert client.get(article.url).status_code == 200, article.slug
        assert client.get(restricted.url).status_code == 302
        for article in ArticlePage.objects.not_live():
            assert client.get(article.url).status_code == 404, article.slug
        assert client.get("/").status_code == 200


class TestArticles:
    def test_each_article_is_complete(self, first_output):
        for article in ArticlePage.objects.all():
            assert article.hero_image is not None, article.slug
            assert article.hero_image_alt, article.slug
            assert 1 <= article.article_authors.count() <= 2, article.slug
            assert article.topics.exists(), article.slug
            assert article.tags.exists(), article.slug
            assert article.references.exists(), article.slug
            assert article.body_word_count() >= 350, article.slug

    def test_reading_times_differ(self, first_output):
        minutes = set(ArticlePage.objects.values_list("reading_time_minutes", flat=True))

        assert len(minutes) >= 2

    def test_most_articles_have_a_credentialed_reviewer(self, first_output):
        reviewed = ArticlePage.objects.filter(medical_reviewer__isnull=False)

        assert reviewed.count() > ArticlePage.objects.count() / 2
        for article in reviewed:
            assert article.medical_reviewer.can_review
            assert article.medical_reviewed_at <= timezone.localdate()
            # Computed on save from the site's default interval (12 months).
            assert article.next_review_due > article.medical_reviewed_at
        # The demo reviewer's login is her author page's account: her reminders reach her.
        okafor = Author.objects.get(name="Amara Okafor")
        assert okafor.user is not None and okafor.user.username == "reviewer"

    def test_bodies_use_the_range_of_blocks_and_no_embeds(self, first_output):
        used = {block.block_type for a in ArticlePage.objects.all() for block in a.body}

        assert used >= {
            "heading",
            "paragraph",
            "image",
            "quote",
            "callout",
            "list",
            "table",
            "references",
        }
        assert "embed" not in used

    def test_treatment_articles_carry_a_risks_callout(self, first_output):
        series = Series.objects.get(slug="new-frontiers-in-treatment")

        for member in series.members.all():
            kinds = [b.value["kind"] for b in member.article.body if b.block_type == "callout"]
            assert "risks" in kinds, member.article.slug

    def test_rich_text_links_to_another_article(self, first_output):
        ids = set(ArticlePage.objects.values_list("pk", flat=True))
        linked = {
            int(target)
            for article in ArticlePage.objects.all()
            for block in article.body
            if block.block_type == "paragraph"
            for target in re.findall(r'linktype="page" id="(\d+)"', block.value.source)
        }

        assert linked
        assert linked <= ids

    def test_one_article_is_kept_off_partner_sites(self, first_output):
        withheld = ArticlePage.objects.filter(syndication_allowed=False)

        assert withheld.count() == 1
        assert withheld.get().syndication_license == "all-rights-reserved"
