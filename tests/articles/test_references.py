"""References are checked and stored in one form in the admin, and the API gives both forms."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from articles.models import ArticlePage
from tests.api.conftest import get_json
from tests.articles.test_admin_forms import article_form_data
from tests.factories import AuthorFactory

pytestmark = pytest.mark.django_db

ADD = ("articles", "articlepage")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def add_article(admin_client, journal, *, references, citations=None, slug="cited"):
    data = article_form_data(
        title="A cited article", slug=slug, authors=[AuthorFactory()], **{"action-publish": "1"}
    )
    data.update(nested_form_data({"references": inline_formset(references)}))
    if citations is not None:
        data.update(
            nested_form_data(
                {
                    "body": streamfield(
                        [("references", {"heading": "References", "citations": citations})]
                    )
                }
            )
        )
    return admin_client.post(reverse("wagtailadmin_pages:add", args=(*ADD, journal.pk)), data)


def citation_list(*citations: dict) -> dict:
    rows = {"count": str(len(citations))}
    for index, value in enumerate(citations):
        fields = {"authors": "", "title": "A study", "source": "", "year": "", "url": ""}
        rows[str(index)] = {
            "value": {**fields, "doi": "", "pmid": "", **value},
            "deleted": "",
            "order": str(index),
            "id": "",
        }
    return rows


def form_errors(response) -> str:
    """Every error message the editor sees on the re-rendered form, as one text."""
    assert response.status_code == 200, "the form was expected to be refused"
    return response.content.decode()


class TestReferenceIdentifiers:
    def test_typed_forms_are_stored_normalised_and_the_api_gives_identifier_and_link(
        self, admin_client, journal
    ):
        response = add_article(
            admin_client,
            journal,
            references=[
                {"title": "By DOI", "url": "", "doi": "doi: 10.1056/NEJMoa2034577", "pmid": ""},
                {
                    "title": "By PubMed link",
                    "url": "",
                    "doi": "",
                    "pmid": "https://pubmed.ncbi.nlm.nih.gov/33301246/",
                },
                {
                    "title": "By all three",
                    "url": "HTTPS://Example.ORG/Trial",
                    "doi": "https://dx.doi.org/10.1001/jama.2020.1585",
                    "pmid": "PMID: 32031570",
                },
            ],
        )
        assert response.status_code == 302, response.context["form"].errors

        article = ArticlePage.objects.get(slug="cited")
        stored = [(r.url, r.doi, r.pmid) for r in article.references.all()]
        assert stored == [
            ("", "10.1056/NEJMoa2034577", ""),
            ("", "", "33301246"),
            ("https://example.org/Trial", "10.1001/jama.2020.1585", "32031570"),
        ]
        references = get_json(admin_client, "/api/v1/articles/cited/")["references"]
        assert references == [
            {
                "title": "By DOI",
                "url": "https://doi.org/10.1056/NEJMoa2034577",
                "doi": "10.1056/NEJMoa2034577",
                "doi_url": "https://doi.org/10.1056/NEJMoa2034577",
                "pmid": None,
                "pubmed_url": None,
            },
            {
                "title": "By PubMed link",
                "url": "https://pubmed.ncbi.nlm.nih.gov/33301246/",
                "doi": None,
                "doi_url": None,
                "pmid": "33301246",
                "pubmed_url": "https://pubmed.ncbi.nlm.nih.gov/33301246/",
            },
            {
                "title": "By all three",
                "url": "https://example.org/Trial",
                "doi": "10.1001/jama.2020.1585",
                "doi_url": "https://doi.org/10.1001/jama.2020.1585",
                "pmid": "32031570",
                "pubmed_url": "https://pubmed.ncbi.nlm.nih.gov/32031570/",
            },
        ]

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("doi", "11.1056/x", "is not a DOI"),
            ("doi", "10.12/short-registrant", "is not a DOI"),
            ("pmid", "PMID: 12ab", "is not a PubMed id"),
            ("pmid", "0", "is not a PubMed id"),
            ("url", "javascript:alert(1)", "Enter a valid URL"),
        ],
    )
    def test_a_malformed_identifier_is_a_readable_error_and_nothing_is_saved(
        self, admin_client, journal, field, value, message
    ):
        reference = {"title": "Bad", "url": "", "doi": "", "pmid": "", field: value}
        response = add_article(admin_client, journal, references=[reference])

        assert message in form_errors(response)
        assert not ArticlePage.objects.filter(slug="cited").exists()

    def test_a_reference_without_any_link_is_refused(self, admin_client, journal):
        response = add_article(
            admin_client,
            journal,
            references=[{"title": "Nowhere", "url": "", "doi": "", "pmid": ""}],
        )

        assert "Give a link, a DOI or a PubMed id" in form_errors(response)
        assert not ArticlePage.objects.filter(slug="cited").exists()


class TestBodyCitations:
    def test_citation_identifiers_are_normalised_and_linked_in_the_api(self, admin_client, journal):
        response = add_article(
            admin_client,
            journal,
            references=[{"title": "NICE", "url": "https://example.org/nice"}],
            citations=citation_list({"doi": "doi:10.1000/xyz#1", "pmid": "PMID:33301246"}),
        )
        assert response.status_code == 302, response.context["form"].errors

        article = ArticlePage.objects.get(slug="cited")
        citation = article.body[0].value["citations"][0]
        assert (citation["doi"], citation["pmid"]) == ("10.1000/xyz#1", "33301246")
        detail = get_json(admin_client, "/api/v1/articles/cited/")
        [block] = detail["body"]
        [shaped] = block["value"]["citations"]
        assert shaped["doi_url"] == "https://doi.org/10.1000/xyz%231"
        assert shaped["pubmed_url"] == "https://pubmed.ncbi.nlm.nih.gov/33301246/"
        assert 'href="https://doi.org/10.1000/xyz%231"' in detail["body_html"]
        assert 'href="https://pubmed.ncbi.nlm.nih.gov/33301246/"' in detail["body_html"]

    def test_a_malformed_citation_pmid_is_refused(self, admin_client, journal):
        response = add_article(
            admin_client,
            journal,
            references=[{"title": "NICE", "url": "https://example.org/nice"}],
            citations=citation_list({"pmid": "pubmed 12"}),
        )

        assert "is not a PubMed id" in form_errors(response)
        assert not ArticlePage.objects.filter(slug="cited").exists()
