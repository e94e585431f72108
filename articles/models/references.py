"""The sources an article relies on: a title and a link, a DOI or a PubMed id, checked on save."""

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from articles.citations import doi_url, normalise_doi, normalise_pmid, normalise_url, pubmed_url


class ArticleReference(Orderable):
    """A source listed under the article: its title and at least one of URL, DOI and PMID.

    `clean` stores each identifier in one form (a bare DOI, a PMID's digits, a URL with its
    host lower-cased), so links and structured data are built from values known to be right.
    """

    article = ParentalKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="references"
    )
    title = models.CharField(max_length=400)
    url = models.URLField(max_length=1000, blank=True)
    doi = models.CharField(
        "DOI", max_length=255, blank=True, help_text="e.g. 10.1056/NEJMoa2034577 or a doi.org link"
    )
    pmid = models.CharField(
        "PubMed id", max_length=200, blank=True, help_text="e.g. 33301246 or a PubMed link"
    )

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("doi"), FieldPanel("pmid")]),
        FieldPanel("url"),
    ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        for name, normalise in (
            ("url", normalise_url),
            ("doi", normalise_doi),
            ("pmid", normalise_pmid),
        ):
            raw = getattr(self, name)
            if raw.strip():
                try:
                    setattr(self, name, normalise(raw))
                except ValidationError as error:
                    errors[name] = error
            else:
                setattr(self, name, "")
        if not errors and not (self.url or self.doi or self.pmid):
            errors["url"] = "Give a link, a DOI or a PubMed id, so readers can find the source."
        if errors:
            raise ValidationError(errors)

    @property
    def doi_url(self) -> str | None:
        return doi_url(self.doi) if self.doi else None

    @property
    def pubmed_url(self) -> str | None:
        return pubmed_url(self.pmid) if self.pmid else None

    @property
    def link(self) -> str:
        """Where a reader follows the reference: the URL given, else the DOI's, else PubMed's."""
        return self.url or self.doi_url or self.pubmed_url or ""
