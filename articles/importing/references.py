"""A post's "References" section read as citations: title, authors, source, year, DOI, PMID."""

import re

from bs4 import Tag
from django.core.exceptions import ValidationError

from articles.citations import normalise_doi, normalise_pmid, normalise_url
from articles.importing.rich_text import InlineContext, plain_text

_HEADING = re.compile(
    r"^(references|sources|bibliography|citations|works cited|studies cited|literature)\s*:?$",
    re.IGNORECASE,
)
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)")
_PMID = re.compile(r"\bPMID:?\s*(\d{1,9})\b", re.IGNORECASE)
_PUBMED = re.compile(r"pubmed\.ncbi\.nlm\.nih\.gov/(\d{1,9})|ncbi\.nlm\.nih\.gov/pubmed/(\d{1,9})")
_YEAR = re.compile(r"\((18|19|20)(\d{2})\)|\b(18|19|20)(\d{2})\b")


def is_references_heading(node: Tag) -> bool:
    """A heading, or a paragraph in bold alone, that says "References" (or Sources, ...)."""
    text = plain_text(node)
    if not _HEADING.match(text):
        return False
    if node.name in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return True
    bold = node.find(["b", "strong"])
    return bold is not None and plain_text(bold) == text


def _identifier(normalise, raw: str, inline: InlineContext) -> str:
    try:
        return normalise(raw)
    except ValidationError:
        inline.warnings.append(f"A reference's identifier “{raw[:60]}” is not valid: left out.")
        return ""


def citation_from(node: Tag, inline: InlineContext) -> dict | None:
    """The citation a list item or paragraph of a references section states, or None."""
    text = plain_text(node)
    if len(text) < 8:
        return None
    links = [a.get("href", "").strip() for a in node.find_all("a") if a.get("href")]
    doi = pmid = url = ""
    for link in links:
        if "doi.org/" in link and not doi:
            doi = _identifier(normalise_doi, link, inline)
        elif (match := _PUBMED.search(link)) and not pmid:
            pmid = match.group(1) or match.group(2)
        elif not url and link.startswith(("http://", "https://")):
            url = _identifier(normalise_url, link, inline)
    if not doi and (match := _DOI.search(text)):
        doi = _identifier(normalise_doi, match.group(1).rstrip(".,;)"), inline)
    if not pmid and (match := _PMID.search(text)):
        pmid = _identifier(normalise_pmid, match.group(1), inline)
    year_match = _YEAR.search(text)
    year = None
    if year_match:
        digits = "".join(group for group in year_match.groups() if group)
        year = int(digits) if 1800 <= int(digits) <= 2100 else None
    # APA, "Authors (Year). Title. Source.", or Vancouver, "Authors. Title. Source. Year;…":
    # the sentence after the authors is the title; with fewer parts the whole text is.
    cleaned = _DOI.sub("", _PMID.sub("", text)).replace("doi:", "").strip(" .")
    authors, title, source = "", cleaned, ""
    apa = re.match(r"^(?P<authors>.+?)\s*\((?:18|19|20)\d{2}[a-z]?\)\.\s*(?P<rest>.+)$", cleaned)
    if apa:
        parts = [p.strip() for p in re.split(r"\.\s+", apa.group("rest")) if p.strip()]
        authors, title = apa.group("authors"), parts[0]
        source = re.sub(r",\s*\d.*$", "", parts[1]) if len(parts) > 1 else ""
    else:
        parts = [p.strip() for p in re.split(r"\.\s+", cleaned) if p.strip()]
        if len(parts) >= 3 and ("," in parts[0] or "et al" in parts[0]):
            authors, title = parts[0], parts[1]
            source = re.sub(r"[;:].*$", "", parts[2])
    return {
        "authors": authors[:400],
        "title": title[:400],
        "source": source[:200],
        "year": year,
        "url": url,
        "doi": doi,
        "pmid": pmid,
    }
