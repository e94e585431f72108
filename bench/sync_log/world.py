"""The simulated newsroom: what it knows of the articles, its edits, and the log rows they write."""

import random
from dataclasses import dataclass
from datetime import datetime

# Shares of a day's edits. A newsroom mostly corrects and updates what it published in the last
# days (and publishes new stories: the same rows as a republish), now and then touches the archive,
# reorders a series, and rarely takes something down or deletes it.
MIX = {
    "republish_recent": 0.682,
    "republish_old": 0.27,
    "reorder": 0.03,
    "unpublish": 0.01,
    "republish_unpublished": 0.006,
    "delete": 0.002,
}
WEEKDAY_FACTOR = (1.15, 1.15, 1.15, 1.15, 1.15, 0.6, 0.6)  # Monday first; averages 0.99
RECENT_SHARE = 0.02  # of the articles, newest by first publication: the ones edited most


def simulation_rng(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311 (a reproducible simulation, not a secret)


class Pool:
    """A set with O(1) add, remove and uniform choice (a list plus each item's index)."""

    def __init__(self, items=()):
        self.items: list[int] = []
        self.index: dict[int, int] = {}
        for item in items:
            self.add(item)

    def __contains__(self, item) -> bool:
        return item in self.index

    def __len__(self) -> int:
        return len(self.items)

    def add(self, item: int) -> None:
        if item not in self.index:
            self.index[item] = len(self.items)
            self.items.append(item)

    def discard(self, item: int) -> None:
        position = self.index.pop(item, None)
        if position is None:
            return
        last = self.items.pop()
        if position < len(self.items):
            self.items[position] = last
            self.index[last] = position

    def choice(self, rng: random.Random) -> int:
        return self.items[rng.randrange(len(self.items))]


@dataclass
class World:
    """What the simulation knows of the articles: enough to write the rows the writer would."""

    slugs: dict[int, str]
    syndication: dict[int, bool]
    base_public: set[int]  # visible_anywhere() when the run began
    alive: Pool
    recent: Pool
    unpublished: Pool
    series_of: dict[int, int]
    orders: dict[int, list[int]]  # series -> member articles in reading order
    members: dict[int, tuple[int, int]]  # article -> (SeriesMember pk, sort_order)
    reorderable: list[int]  # series with at least two members

    @classmethod
    def load(cls) -> "World":
        from articles.models import ArticlePage, SeriesMember
        from articles.selectors import visible_anywhere

        rows = list(
            ArticlePage.objects.order_by("first_published_at", "pk").values_list(
                "pk", "slug", "syndication_allowed"
            )
        )
        newest = max(20, int(len(rows) * RECENT_SHARE))
        orders: dict[int, list[int]] = {}
        members, series_of = {}, {}
        for pk, series_id, article_id, sort_order in SeriesMember.objects.order_by(
            "series_id", "sort_order", "pk"
        ).values_list("pk", "series_id", "article_id", "sort_order"):
            orders.setdefault(series_id, []).append(article_id)
            members[article_id] = (pk, sort_order)
            series_of[article_id] = series_id
        live = set(ArticlePage.objects.filter(live=True).values_list("pk", flat=True))
        return cls(
            slugs={pk: slug for pk, slug, _ in rows},
            syndication={pk: allowed for pk, _, allowed in rows},
            base_public=visible_anywhere(),
            alive=Pool(pk for pk, _, _ in rows),
            recent=Pool(pk for pk, _, _ in rows[-newest:]),
            unpublished=Pool(pk for pk, _, _ in rows if pk not in live),
            series_of=series_of,
            orders=orders,
            members=members,
            reorderable=sorted(sid for sid, order in orders.items() if len(order) >= 2),
        )

    def flags(self, pk: int) -> tuple[bool, bool]:
        public = pk in self.base_public and pk not in self.unpublished
        return public, public and self.syndication[pk]

    def rows(self, article_ids, at: datetime) -> list[tuple]:
        """The rows `article_changes_record` writes for these articles, as of now."""
        return [
            (pk, self.slugs[pk], "changed", at, *self.flags(pk))
            for pk in sorted(set(article_ids))
            if pk in self.alive
        ]

    def with_series(self, pk: int) -> list[int]:
        series_id = self.series_of.get(pk)
        return [pk, *(self.orders[series_id] if series_id is not None else ())]

    def forget(self, pk: int) -> None:
        """A deleted article: gone from every pool, and from its series."""
        self.alive.discard(pk)
        self.recent.discard(pk)
        self.unpublished.discard(pk)
        series_id = self.series_of.pop(pk, None)
        self.members.pop(pk, None)
        if series_id is not None:
            self.orders[series_id].remove(pk)


class Newsroom:
    """Chooses each edit's article and applies it to the world (and, with `persist`, the DB)."""

    def __init__(self, world: World, rng: random.Random, *, persist: bool = True):
        # The series receivers' own rule: whose position, total or neighbours a reorder changes.
        from api.delivery.sync_series_receivers import _placement_changes

        self.world = world
        self.rng = rng
        self.persist = persist
        self._placement_changes = _placement_changes

    def _live_set(self, pk: int, live: bool) -> None:
        from wagtail.models import Page

        if live:
            self.world.unpublished.discard(pk)
        else:
            self.world.unpublished.add(pk)
        if self.persist:
            # A queryset update sends no signal: the simulation writes this edit's rows itself.
            Page.objects.filter(pk=pk).update(live=live, has_unpublished_changes=not live)

    def pick(self, kind: str) -> int | None:
        """The article (or, for a reorder, the series) an edit of this kind touches, if any."""
        world, rng = self.world, self.rng
        if kind == "republish_recent" and world.recent:
            return world.recent.choice(rng)
        if kind == "republish_old" and world.alive:
            return world.alive.choice(rng)
        if kind == "unpublish" and world.alive:
            pool = world.recent if world.recent and rng.random() < 0.7 else world.alive
            for _ in range(20):  # an article that is still published
                pk = pool.choice(rng)
                if pk not in world.unpublished:
                    return pk
            return None
        if kind == "republish_unpublished" and world.unpublished:
            return world.unpublished.choice(rng)
        if kind == "delete" and world.alive:
            # Half of what editors delete they had taken down first.
            if world.unpublished and rng.random() < 0.5:
                return world.unpublished.choice(rng)
            return world.alive.choice(rng)
        if kind == "reorder" and world.reorderable:
            for _ in range(20):
                series_id = world.reorderable[rng.randrange(len(world.reorderable))]
                if len(world.orders[series_id]) >= 2:
                    return series_id
        return None

    def publish(self, pk: int, at: datetime) -> list[tuple]:
        if pk in self.world.unpublished:
            self._live_set(pk, True)
        return self.world.rows(self.world.with_series(pk), at)

    def unpublish(self, pk: int, at: datetime) -> list[tuple]:
        self._live_set(pk, False)
        return self.world.rows(self.world.with_series(pk), at)

    def reorder(self, series_id: int, at: datetime, *, position: int | None = None) -> list[tuple]:
        """An editor swaps two neighbours of a series; the rows of the placements it changes."""
        from articles.models import SeriesMember

        world = self.world
        before = list(world.orders[series_id])
        i = self.rng.randrange(len(before) - 1) if position is None else position
        after = [*before[:i], before[i + 1], before[i], *before[i + 2 :]]
        world.orders[series_id] = after
        (first_pk, first_order), (second_pk, second_order) = (
            world.members[before[i]],
            world.members[before[i + 1]],
        )
        world.members[before[i]] = (first_pk, second_order)
        world.members[before[i + 1]] = (second_pk, first_order)
        if self.persist:
            SeriesMember.objects.filter(pk=first_pk).update(sort_order=second_order)
            SeriesMember.objects.filter(pk=second_pk).update(sort_order=first_order)
        changed = self._placement_changes({series_id: before}, {series_id: after})
        return world.rows(changed, at)


# Writing to the log


def write_rows(rows: list[tuple]) -> None:
    """INSERT the rows as `_changes_write` (api/delivery/change_log.py) does, 1,000 a statement."""
    from api.delivery.models import ArticleChange

    if rows:
        ArticleChange.objects.bulk_create(
            [
                ArticleChange(
                    article_id=pk,
                    slug=slug,
                    kind=kind,
                    created_at=at,
                    public=public,
                    syndicated=syndicated,
                )
                for pk, slug, kind, at, public, syndicated in rows
            ],
            batch_size=1000,
        )


def log_top() -> int:
    from django.db.models import Max

    from api.delivery.models import ArticleChange

    return ArticleChange.objects.aggregate(top=Max("id"))["top"] or 0


def real_delete(pk: int, at: datetime) -> int:
    """Delete the article as Wagtail does; the receivers log it; restamp to the simulated time."""
    from api.delivery.models import ArticleChange
    from articles.models import ArticlePage

    top = log_top()
    ArticlePage.objects.get(pk=pk).delete()
    return ArticleChange.objects.filter(id__gt=top).update(created_at=at)
