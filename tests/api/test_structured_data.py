"""The detail's schema.org JSON-LD, read as a JSON-LD processor reads it; the page embeds it."""

import json
import re
from datetime import date

import pytest
from pyld import jsonld

from articles.corrections import correction_record
from articles.models import ArticleReference
from articles.retraction import article_retract
from tests.api.conftest import get_json
from tests.factories import AuthorFactory, ReviewerFactory, TopicFactory, series_with_members

pytestmark = pytest.mark.django_db

S = "https://schema.org/"
# What https://schema.org's own context says of the terms used here (its vocabulary, and the
# properties whose values are IRIs), served locally: the tests never reach the network, and a
# processor given this context expands the object exactly as with the published one.
SCHEMA_ORG_CONTEXT = {
    "@context": {
        "@vocab": S,
        "url": {"@type": "@id"},
        "sameAs": {"@type": "@id"},
        "image": {"@type": "@id"},
        "mainEntityOfPage": {"@type": "@id"},
    }
}


def local_loader(url, options=None):
    assert url.rstrip("/") == "https://schema.org", f"unexpected context {url}"
    return {"contextUrl": None, "documentUrl": url, "document": SCHEMA_ORG_CONTEXT}


def expanded(data: dict) -> dict:
    [node] = jsonld.expand(data, {"documentLoader": local_loader})
    return node


def values(node: dict, term: str) -> list:
    """The expanded values of a schema.org property: literals, IRIs or nodes."""
    out = []
    for value in node.get(S + term, []):
        out.append(value.get("@value", value.get("@id", value)))
    return out


def only(node: dict, term: str):
    [value] = values(node, term)
    return value


@pytest.fixture
def reviewed_article(make_article):
    reviewer = ReviewerFactory(name="Dr Ana Ruiz", credentials="MD, PhD")
    article = make_article(
        slug="ketamine",
        title="Ketamine for depression",
        summary="What the trials found.",
        authors=[AuthorFactory(name="Sam Lee", credentials="MPH"), AuthorFactory(name="Jo Kim")],
        topics=[TopicFactory(name="Mental health")],
        tags=["ketamine"],
        image=True,
        medical_reviewer=reviewer,
        medical_reviewed_at=date(2026, 10, 1),
    )
    ArticleReference.objects.create(
        article=article, title="A trial", doi="10.1056/NEJMoa2034577", pmid="33301246", sort_order=0
    )
    ArticleReference.objects.create(
        article=article, title="Guidance", url="https://example.org/nice", sort_order=1
    )
    following = make_article(slug="regenerative", title="Regenerative medicine")
    series_with_members(following, article, title="New treatments", slug="new-treatments")
    return article


class TestStructuredData:
    def test_a_reviewed_article_is_a_medical_web_page_with_every_term(self, api, reviewed_article):
        detail = get_json(api, "/api/v1/articles/ketamine/")
        node = expanded(detail["structured_data"])

        assert node["@type"] == [S + "MedicalWebPage"]
        assert node["@id"] == detail["url"]
        assert only(node, "url") == detail["url"]
        assert only(node, "headline") == "Ketamine for depression"
        assert only(node, "description") == "What the trials found."
        assert only(node, "datePublished") == detail["published_at"]
        assert only(node, "dateModified") == detail["updated_at"]
        assert only(node, "lastReviewed") == "2026-10-01"
        assert only(node, "inLanguage") == "en-US"

        reviewer = only(node, "reviewedBy")
        assert reviewer["@type"] == [S + "Person"]
        assert (only(reviewer, "name"), only(reviewer, "honorificSuffix")) == (
            "Dr Ana Ruiz",
            "MD, PhD",
        )
        authors = values(node, "author")
        assert [only(a, "name") for a in authors] == ["Sam Lee", "Jo Kim"]
        assert values(authors[0], "honorificSuffix") == ["MPH"]
        assert values(authors[1], "honorificSuffix") == []

        publisher = only(node, "publisher")
        assert publisher["@type"] == [S + "Organization"]
        assert only(publisher, "name")
        assert only(node, "image") == detail["hero_image"]["renditions"]["hero"]["url"]

        series = only(node, "isPartOf")
        assert series["@type"] == [S + "CreativeWorkSeries"]
        assert only(series, "name") == "New treatments"
        assert only(node, "position") == 2
        assert [only(t, "name") for t in values(node, "about")] == ["Mental health"]

        trial, guidance = values(node, "citation")
        assert trial["@type"] == [S + "ScholarlyArticle"]
        assert only(trial, "name") == "A trial"
        assert sorted(values(trial, "sameAs")) == [
            "https://doi.org/10.1056/NEJMoa2034577",
            "https://pubmed.ncbi.nlm.nih.gov/33301246/",
        ]
        assert only(guidance, "url") == "https://example.org/nice"
        assert values(guidance, "sameAs") == []

    def test_an_unreviewed_article_is_an_article_without_review_terms(self, api, make_article):
        make_article(slug="plain", title="Walking more")

        node = expanded(get_json(api, "/api/v1/articles/plain/")["structured_data"])

        assert node["@type"] == [S + "Article"]
        assert values(node, "lastReviewed") == values(node, "reviewedBy") == []
        assert values(node, "isPartOf") == values(node, "citation") == []


def embedded_json_ld(html: str) -> list[str]:
    return re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)


class TestPublicPage:
    def test_the_page_embeds_the_apis_object(self, api, reviewed_article):
        detail = get_json(api, "/api/v1/articles/ketamine/")
        page = api.get(reviewed_article.url)

        assert page.status_code == 200
        [script] = embedded_json_ld(page.content.decode())
        assert json.loads(script) == detail["structured_data"]

    def test_markup_in_a_title_cannot_end_the_script(self, api, make_article):
        title = "Sleep </script><script>alert(1)</script> & <!-- more"
        article = make_article(slug="tricky", title=title)

        html = api.get(article.url).content.decode()

        [script] = embedded_json_ld(html)
        assert "<" not in script and ">" not in script
        assert expanded(json.loads(script))[S + "headline"][0]["@value"] == title


class TestRetracted:
    def test_a_retracted_articles_data_says_so(self, api, reviewed_article, editor):
        reason = "The trial it reported was withdrawn."
        article_retract(reviewed_article, reason=reason, user=editor)

        detail = get_json(api, "/api/v1/articles/ketamine/")
        node = expanded(detail["structured_data"])

        assert only(node, "creativeWorkStatus") == "Retracted"
        [notice] = values(node, "correction")
        assert notice["@type"] == [S + "CorrectionComment"]
        assert only(notice, "text") == f"Retracted: {reason}"
        assert only(notice, "datePublished") == detail["retraction"]["at"]


class TestCorrected:
    def test_each_correction_is_a_correction_comment(self, api, reviewed_article):
        correction_record(
            reviewed_article,
            kind="substantive",
            what_was_wrong="The dose was given in grams",
            what_changed="It is now given in milligrams",
        )

        detail = get_json(api, "/api/v1/articles/ketamine/")
        [comment] = values(expanded(detail["structured_data"]), "correction")

        assert comment["@type"] == [S + "CorrectionComment"]
        assert only(comment, "text") == detail["corrections"][0]["note"]
        assert "milligrams" in only(comment, "text")
        assert only(comment, "datePublished") == detail["corrections"][0]["at"]
