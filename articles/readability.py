"""How hard an article's prose is to read: its Flesch-Kincaid grade, for patients' sake."""

from decimal import Decimal

import textstat
from django.utils.html import strip_tags

# The blocks readers read as running prose; captions, tables, embeds and the references list
# are not sentences and would skew the score.
PROSE_BLOCKS = ("heading", "paragraph", "quote", "callout", "list")
# Below this many words a grade says more about the formula than about the text.
MIN_WORDS = 30


def prose_of(body) -> str:
    """The body's prose blocks as plain text, one sentence-ending per block."""
    parts = []
    for child in body or []:
        if child.block_type not in PROSE_BLOCKS:
            continue
        for text in child.block.get_searchable_content(child.value):
            text = strip_tags(str(text)).strip()
            if text:
                # A heading or list item has no full stop; without one it runs into the next.
                parts.append(text if text[-1] in ".!?" else f"{text}.")
    return " ".join(parts)


def reading_grade(body) -> Decimal | None:
    """The US school grade needed to read the body (textstat's Flesch-Kincaid, English), to one
    decimal; None when the body has too little prose to score."""
    text = prose_of(body)
    if len(text.split()) < MIN_WORDS:
        return None
    grade = textstat.flesch_kincaid_grade(text)
    return Decimal(str(round(max(0.0, min(grade, 99.9)), 1)))
