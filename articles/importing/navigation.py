"""Hand-made series navigation in a post: "Next: …", "« Previous", "Part 2: …", "Continued in …".

A paragraph (or list) is navigation when each of its links leads to another post of the export
and reads as a step through a series, and little else is written around them. Such a paragraph
becomes a link of a chain (articles/importing/chains.py) and leaves the body: the series
navigation replaces it.
"""

import re
from dataclasses import dataclass

from bs4 import NavigableString, Tag

from articles.importing.addresses import OldSite

NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
    "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
_PART = re.compile(
    r"\bpart\s+(\d{1,3}|" + "|".join(NUMBERS) + r")\b|\b(" + "|".join(NUMBERS) + r")\s+part\b",
    re.IGNORECASE,
)
_NEXT = re.compile(
    r"\b(next|continued|continue|continues|read on|up next|coming up|following)\b|→|»|>>",
    re.IGNORECASE,
)
_PREVIOUS = re.compile(
    r"\b(previous|prev|previously|earlier|back to|catch up|missed|preceding)\b|←|«|<<",
    re.IGNORECASE,
)
# Words around the links of a navigation paragraph; more than this is prose that links.
MAX_SURROUNDING_WORDS = 14


@dataclass(frozen=True)
class NavLink:
    """A step from the post it was found in to another: `next`, `previous` or `part` N."""

    kind: str
    post_id: int
    part: int | None = None


def part_number(text: str) -> int | None:
    match = _PART.search(text or "")
    if match is None:
        return None
    value = (match.group(1) or match.group(2)).lower()
    return int(value) if value.isdigit() else NUMBERS[value]


def _segments(node: Tag) -> list[tuple[str, Tag | None]]:
    """The node's content as (text, link) runs: text between links, then each link."""
    runs: list[tuple[str, Tag | None]] = []
    buffer: list[str] = []

    def walk(element):
        for child in element.children:
            if isinstance(child, NavigableString):
                buffer.append(str(child))
            elif isinstance(child, Tag) and child.name == "a":
                runs.append(("".join(buffer), None))
                buffer.clear()
                runs.append((child.get_text(" "), child))
            elif isinstance(child, Tag):
                walk(child)

    walk(node)
    runs.append(("".join(buffer), None))
    return runs


def navigation_links(node: Tag, old_site: OldSite) -> list[NavLink] | None:
    """The series steps `node` makes, or None when it is not (only) navigation."""
    runs = _segments(node)
    found: list[NavLink] = []
    surrounding = []
    for index, (text, link) in enumerate(runs):
        if link is None:
            surrounding.append(text)
            continue
        post_id = old_site.post_for(link.get("href", ""))
        if post_id is None:
            return None
        before = runs[index - 1][0] if index else ""
        after = runs[index + 1][0] if index + 1 < len(runs) else ""
        # What the link says, else the words just before it ("Next: <a>…</a>"), else after.
        around = f"{before[-40:]} {text} {after[:12]}"
        part = part_number(text) or part_number(before[-30:])
        if _PREVIOUS.search(text) or _PREVIOUS.search(before[-40:]) or after[:6].strip() == "«":
            found.append(NavLink("previous", post_id, part))
        elif _NEXT.search(around):
            found.append(NavLink("next", post_id, part))
        elif part is not None:
            found.append(NavLink("part", post_id, part))
        else:
            return None
    if not found:
        return None
    words = " ".join(surrounding).split()
    if len(words) > MAX_SURROUNDING_WORDS:
        return None
    return found
