"""Series from hand-made chains: the posts' Next/Previous/Part N links put in reading order.

Posts joined by navigation links form a group. A group becomes a series when its links name
one order: a single path of Next steps (Previous read backwards), or distinct part numbers,
and where both are given they agree. A fork (two posts claim the same next or previous one),
a loop, or part numbers that disagree are reported, never guessed.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from articles.importing.navigation import NavLink, part_number

_SEPARATORS = r"[\s:,()\[\]\u2013\u2014-]*"
_PART_IN_TITLE = re.compile(
    _SEPARATORS + r"\bpart\s+\w+\b" + _SEPARATORS + r"(of\s+\w+)?" + _SEPARATORS, re.IGNORECASE
)


@dataclass
class Chain:
    """Posts in reading order, and the title the series is given."""

    post_ids: list[int]
    title: str


@dataclass
class AmbiguousChain:
    post_ids: list[int]
    reason: str


@dataclass
class ChainsFound:
    chains: list[Chain] = field(default_factory=list)
    ambiguous: list[AmbiguousChain] = field(default_factory=list)


def _groups(nodes: set[int], pairs: list[tuple[int, int]]) -> list[list[int]]:
    parent = {node: node for node in nodes}

    def root(node):
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in pairs:
        parent[root(a)] = root(b)
    groups = defaultdict(list)
    for node in sorted(nodes):
        groups[root(node)].append(node)
    return [members for members in groups.values() if len(members) > 1]


def series_title(titles: list[str]) -> str:
    """The words the parts' titles share (without "Part N"), else the first part's title."""
    stripped = [_PART_IN_TITLE.sub(" ", title).strip(" :-\u2013\u2014|,") for title in titles]
    words = [title.split() for title in stripped]
    common = []
    for column in zip(*words, strict=False):
        if len({word.lower() for word in column}) != 1:
            break
        common.append(column[0])
    shared = " ".join(common).strip(" :-\u2013\u2014|,")
    return shared if len(common) >= 2 else (stripped[0] or titles[0])


def _path_order(members: list[int], following: dict[int, set[int]]) -> list[int] | str:
    """The one path through `members` the Next steps make, or why there is none."""
    inside = set(members)
    preceding: dict[int, set[int]] = defaultdict(set)
    for node in members:
        for target in following.get(node, ()):
            if target in inside:
                preceding[target].add(node)
    for node in members:
        if len(following.get(node, set()) & inside) > 1:
            return "fork: one post leads on to two different posts"
        if len(preceding[node]) > 1:
            return "fork: two posts lead on to the same post"
    starts = [node for node in members if not preceding[node]]
    if not starts:
        return "loop: the Next links go round in a circle"
    order, seen = [], set()
    for start in starts:
        node = start
        while node is not None and node not in seen:
            order.append(node)
            seen.add(node)
            nxt = following.get(node, set()) & inside
            node = next(iter(nxt)) if nxt else None
        if node is not None:
            return "loop: the Next links go round in a circle"
    if len(starts) > 1:
        return "gap: the links leave the posts in more than one run"
    return order


def chains_find(links: dict[int, list[NavLink]], titles: dict[int, str]) -> ChainsFound:
    """Series from every post's navigation links (`titles` also give part numbers)."""
    following: dict[int, set[int]] = defaultdict(set)
    positions: dict[int, set[int]] = defaultdict(set)
    pairs, nodes = [], set()
    for source, steps in links.items():
        for step in steps:
            if step.post_id == source:
                continue
            nodes.update((source, step.post_id))
            pairs.append((source, step.post_id))
            if step.kind == "next":
                following[source].add(step.post_id)
            elif step.kind == "previous":
                following[step.post_id].add(source)
            if step.part is not None:
                positions[step.post_id].add(step.part)
    for node in nodes:
        own = part_number(titles.get(node, ""))
        if own is not None:
            positions[node].add(own)
    found = ChainsFound()
    for members in _groups(nodes, pairs):
        order = _path_order(members, following) if any(following[m] for m in members) else None
        numbered = all(len(positions[m]) == 1 for m in members)
        by_part = sorted(members, key=lambda m: next(iter(positions[m]))) if numbered else None
        if by_part is not None and len({next(iter(positions[m])) for m in members}) < len(members):
            by_part = None
        if isinstance(order, list):
            if by_part is not None and by_part != order:
                found.ambiguous.append(
                    AmbiguousChain(order, "the part numbers disagree with the Next links")
                )
                continue
            chosen = order
        elif order is None and by_part is not None:
            chosen = by_part
        else:
            reason = order if isinstance(order, str) else "the part numbers give no one order"
            found.ambiguous.append(AmbiguousChain(sorted(members), reason))
            continue
        found.chains.append(
            Chain(chosen, series_title([titles.get(post_id, "") for post_id in chosen]))
        )
    return found
