"""Reading grades: computed from the body's prose on save, shown to editors and in the API."""

from decimal import Decimal

import pytest
import textstat
from django.test import Client
from django.urls import reverse
from wagtail.models import Site

from articles.models import HealthContentSettings
from tests.api.conftest import get_json
from tests.factories import ArticlePageFactory, publish

pytestmark = pytest.mark.django_db

PLAIN = (
    "Sleep helps the body heal. Most adults need seven hours a night. Keep the room dark and "
    "cool. Put the phone away an hour before bed. If you still cannot sleep, talk to your doctor."
)
DENSE = (
    "Pharmacological interventions targeting glutamatergic neurotransmission demonstrate "
    "considerable heterogeneity regarding therapeutic efficacy, necessitating individualised "
    "consideration of contraindications, comorbidities and concomitant medications before "
    "administration, particularly among treatment-resistant populations with cardiovascular risk."
)


def expected_grade(text: str) -> Decimal:
    return Decimal(str(round(textstat.flesch_kincaid_grade(text), 1)))


def article_with(body, **fields):
    return publish(ArticlePageFactory(parent=fields.pop("parent"), body=body, **fields))


class TestReadingGrade:
    def test_the_grade_is_of_the_prose_blocks_only(self, journal):
        article = article_with(
            [
                ("heading", {"text": "Better sleep", "level": "h2", "anchor": ""}),
                ("paragraph", f"<p>{PLAIN}</p>"),
                (
                    "table",
                    {"data": [[DENSE, DENSE]], "first_row_is_table_header": False},
                ),
                (
                    "references",
                    {"heading": "References", "citations": [{"title": DENSE, "doi": ""}]},
                ),
            ],
            parent=journal,
        )

        assert article.reading_grade == expected_grade(f"Better sleep. {PLAIN}")

    def test_plain_prose_grades_lower_than_dense_prose(self, journal):
        plain = article_with([("paragraph", f"<p>{PLAIN}</p>")], parent=journal, slug="plain")
        dense = article_with(
            [("paragraph", f"<p>{DENSE} {DENSE}</p>")], parent=journal, slug="dense"
        )

        assert plain.reading_grade < 8 < dense.reading_grade

    def test_too_little_prose_has_no_grade(self, journal):
        article = article_with([("paragraph", "<p>Short note.</p>")], parent=journal)

        assert article.reading_grade is None

    def test_the_api_detail_carries_the_grade(self, journal):
        article = article_with([("paragraph", f"<p>{PLAIN}</p>")], parent=journal, slug="sleep")

        detail = get_json(Client(HTTP_HOST="localhost"), "/api/v1/articles/sleep/")

        assert detail["reading_grade"] == float(article.reading_grade)
        assert detail["reading_grade"] == float(expected_grade(PLAIN))


class TestEditorReadout:
    def test_the_editor_sees_the_grade_against_the_sites_target(self, client, superuser, journal):
        dense = article_with([("paragraph", f"<p>{DENSE} {DENSE}</p>")], parent=journal)
        plain = article_with([("paragraph", f"<p>{PLAIN}</p>")], parent=journal, slug="plain")
        settings = HealthContentSettings.for_site(Site.objects.get(is_default_site=True))
        settings.reading_grade_target = Decimal("8.0")
        settings.save()
        client.force_login(superuser)

        def editor_page(article) -> str:
            return client.get(
                reverse("wagtailadmin_pages:edit", args=(article.pk,))
            ).content.decode()

        page = editor_page(dense)
        assert f'data-reading-grade="{dense.reading_grade}"' in page
        assert 'data-reading-grade-target="8.0"' in page
        assert 'data-reading-grade-verdict="above"' in page
        assert plain.reading_grade < 8
        assert 'data-reading-grade-verdict="within"' in editor_page(plain)

        settings.reading_grade_target = Decimal("1.0")
        settings.save()
        assert plain.reading_grade > 1
        assert 'data-reading-grade-verdict="above"' in editor_page(plain)
