"""A reference's DOI, PMID and URL as editors type them: checked, and normalised to one form."""

import re
from urllib.parse import quote, unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

# A DOI is "10." + a registrant code of digits (dot-separated sub-codes allowed) + "/" + a suffix
# of any printable characters (https://www.doi.org/the-identifier/resources/handbook/2_numbering).
DOI_PATTERN = re.compile(r"10\.\d{4,9}(?:\.\d+)*/\S+")
DOI_PREFIXES = (
    "doi:",
    "https://doi.org/",
    "http://doi.org/",
    "https://dx.doi.org/",
    "http://dx.doi.org/",
)
# PubMed ids are positive integers, eight digits today; nine leaves room.
PMID_PATTERN = re.compile(r"[1-9]\d{0,8}")
PUBMED_HOSTS = ("pubmed.ncbi.nlm.nih.gov", "www.ncbi.nlm.nih.gov")

_url_validator = URLValidator(schemes=["http", "https"])


def normalise_doi(raw: str) -> str:
    """The bare DOI (`10.1056/NEJMoa2034577`) from a DOI, a `doi:` name or a doi.org link.

    DOIs are case-insensitive; the registrant's own case is kept, as doi.org shows it.
    """
    value = raw.strip()
    lowered = value.lower()
    for prefix in DOI_PREFIXES:
        if lowered.startswith(prefix):
            value = unquote(value[len(prefix) :].strip())
            break
    if not DOI_PATTERN.fullmatch(value):
        raise ValidationError(
            f"“{raw.strip()}” is not a DOI. A DOI starts with 10., a registrant number and a "
            "slash, e.g. 10.1056/NEJMoa2034577 (doi: and https://doi.org/ links are fine too)."
        )
    return value


def doi_url(doi: str) -> str:
    """The DOI's resolver link, the one form publishers and search engines recognise."""
    # A DOI's suffix may hold `#`, `?` or `<`: percent-encoded, as the DOI handbook says.
    return "https://doi.org/" + quote(doi, safe="/")


def normalise_pmid(raw: str) -> str:
    """The PubMed id (`33301246`) from an id, `PMID: 33301246` or a PubMed link."""
    value = raw.strip()
    if value.lower().startswith("pmid"):
        value = value[4:].lstrip(":").strip()
    elif value.lower().startswith(("http://", "https://")):
        parts = urlsplit(value)
        path = [part for part in parts.path.split("/") if part]
        if parts.hostname in PUBMED_HOSTS and path and path[-1].isdigit():
            value = path[-1]
    if not (value.isascii() and PMID_PATTERN.fullmatch(value)):
        raise ValidationError(
            f"“{raw.strip()}” is not a PubMed id. A PMID is a number such as 33301246 "
            "(PMID: 33301246 and pubmed.ncbi.nlm.nih.gov links are fine too)."
        )
    return value


def pubmed_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


def normalise_url(raw: str) -> str:
    """An http(s) URL with its scheme and host lower-cased; anything else is refused."""
    value = raw.strip()
    try:
        _url_validator(value)
    except ValidationError:
        raise ValidationError(
            f"“{value}” is not a web address. Give the full link, starting with https://."
        ) from None
    parts = urlsplit(value)
    return parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()).geturl()
