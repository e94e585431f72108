"""The detail's `structured_data`: schema.org JSON-LD for search engines and health aggregators.

Built from the detail's own shaped fields (no query, nothing read twice), so the JSON-LD can
never say something the detail does not: `MedicalWebPage` for a medically reviewed article,
`Article` otherwise. The public article page embeds the same object (api/content/html_pages.py).
"""

from dataclasses import dataclass

from django.conf import settings

SCHEMA_ORG = "https://schema.org"


@dataclass(frozen=True)
class Publisher:
    """The organisation that publishes a site's articles: its name and its public home page."""

    name: str
    url: str


def structured_data(detail: dict, *, publisher: Publisher) -> dict:
    """The JSON-LD object of a shaped article detail."""
    review = detail.get("medical_review")
    data = {
        "@context": SCHEMA_ORG,
        "@type": "MedicalWebPage" if review else "Article",
        "@id": detail["url"],
        "url": detail["url"],
        "mainEntityOfPage": detail["url"],
        "headline": detail["title"][:110],  # search engines cut headlines at 110 characters
        "name": detail["title"],
        "description": detail["summary"],
        "datePublished": detail["published_at"],
        "dateModified": detail["updated_at"],
        "inLanguage": language_tag(settings.LANGUAGE_CODE),
        "author": [person(author) for author in detail["authors"]],
        "publisher": {"@type": "Organization", "name": publisher.name, "url": publisher.url},
    }
    if review:
        data["lastReviewed"] = review["reviewed_at"][:10]  # a schema.org Date: the day only
        data["reviewedBy"] = person(review["reviewer"])
    if image := _hero_url(detail.get("hero_image")):
        data["image"] = image
    if detail["topics"]:
        data["about"] = [{"@type": "Thing", "name": topic["name"]} for topic in detail["topics"]]
    if detail["tags"]:
        data["keywords"] = ", ".join(detail["tags"])
    if series := detail.get("series"):
        data["position"] = series["position"]
        data["isPartOf"] = {"@type": "CreativeWorkSeries", "name": series["title"]}
    if detail["references"]:
        data["citation"] = [citation(reference) for reference in detail["references"]]
    corrections = [
        {"@type": "CorrectionComment", "text": c["note"], "datePublished": c["at"]}
        for c in detail.get("corrections") or []
    ]
    if detail.get("status") == "retracted" and detail.get("retraction"):
        retraction = detail["retraction"]
        data["creativeWorkStatus"] = "Retracted"
        corrections.insert(
            0,
            {
                "@type": "CorrectionComment",
                "text": f"Retracted: {retraction['reason']}",
                "datePublished": retraction["at"],
            },
        )
    if corrections:
        data["correction"] = corrections
    return data


def person(author: dict) -> dict:
    """A byline or the reviewer as a schema.org Person; credentials are its honorific suffix."""
    shaped = {"@type": "Person", "name": author["name"]}
    if author.get("credentials"):
        shaped["honorificSuffix"] = author["credentials"]
    return shaped


def citation(reference: dict) -> dict:
    """A reference as a ScholarlyArticle; its DOI and PubMed pages are the same work elsewhere."""
    shaped = {"@type": "ScholarlyArticle", "name": reference["title"], "url": reference["url"]}
    same_as = [link for link in (reference["doi_url"], reference["pubmed_url"]) if link]
    if same_as:
        shaped["sameAs"] = same_as
    return shaped


def language_tag(language_code: str) -> str:
    """Django's `en-us` as the BCP 47 tag schema.org expects, `en-US`."""
    language, _, region = language_code.partition("-")
    return f"{language}-{region.upper()}" if region else language


def _hero_url(image: dict | None) -> str | None:
    # The named rendition the detail shows as its hero: never a size chosen by the client.
    if not image:
        return None
    rendition = image["renditions"].get("hero") or image["renditions"].get("card")
    return rendition["url"] if rendition else None
