"""Each kind of simulated edit checked against the real writer, in transactions rolled back."""

import copy
from datetime import UTC, datetime

from bench.sync_log.world import Newsroom, World, log_top, simulation_rng


def _logged_since(top: int) -> list[tuple]:
    from api.delivery.models import ArticleChange

    return sorted(
        ArticleChange.objects.filter(id__gt=top).values_list(
            "article_id", "slug", "kind", "public", "syndicated", "created_at"
        )
    )


def _compare(name: str, expected: list[tuple], actual: list[tuple]) -> dict:
    shape = sorted(
        (pk, slug, kind, public, syndicated) for pk, slug, kind, _, public, syndicated in expected
    )
    real = sorted(row[:5] for row in actual)
    return {
        "event": name,
        "rows_simulated": len(shape),
        "rows_real": len(real),
        "match": shape == real,
        # One write, one timestamp: the simulation stamps an edit's rows alike too.
        "real_timestamps": len({row[5] for row in actual}),
        "real_rows": [list(row) for row in real],
        "simulated_rows": [list(row) for row in shape],
    }


def verify(world: World) -> list[dict]:
    """Each kind of simulated edit beside the real one, in a transaction that is rolled back.

    The articles are the first of each kind (the same for every seed); the simulated side works
    on a copy of the world and persists nothing.
    """
    from django.db import transaction
    from wagtail.models import Page

    from api.delivery.models import ArticleChange
    from articles.models import ArticlePage, Series

    in_series = [pk for pk in world.recent.items if pk in world.series_of]
    in_series += [pk for pk in world.alive.items if pk in world.series_of and pk not in in_series]
    alone = [pk for pk in world.alive.items if pk not in world.series_of]
    now = datetime.now(UTC)
    fields = sorted(f.name for f in ArticleChange._meta.concrete_fields if not f.primary_key)
    checks = []

    def room() -> Newsroom:
        return Newsroom(copy.deepcopy(world), simulation_rng(0), persist=False)

    def check(name: str, simulate, real, *, before=None) -> None:
        with transaction.atomic():
            if before is not None:
                before()
            top = log_top()
            expected = simulate(room())
            real()
            checks.append({**_compare(name, expected, _logged_since(top)), "fields": fields})
            transaction.set_rollback(True)

    def republish(pk):
        ArticlePage.objects.get(pk=pk).save_revision().publish()

    for name, pk in (("republish (series member)", in_series[0]), ("republish", alone[0])):
        check(name, lambda room, pk=pk: room.publish(pk, now), lambda pk=pk: republish(pk))
    for name, pk in (("unpublish (series member)", in_series[1]), ("unpublish", alone[1])):
        check(
            name,
            lambda room, pk=pk: room.unpublish(pk, now),
            lambda pk=pk: ArticlePage.objects.get(pk=pk).unpublish(),
        )

    def back(room, pk=in_series[2]):
        room.world.unpublished.add(pk)
        return room.publish(pk, now)

    check(
        "republish of an unpublished series member",
        back,
        lambda pk=in_series[2]: republish(pk),
        # Taken down without a signal first, as the simulation does.
        before=lambda pk=in_series[2]: Page.objects.filter(pk=pk).update(
            live=False, has_unpublished_changes=True
        ),
    )

    series_id = max(world.reorderable, key=lambda sid: len(world.orders[sid]))
    position = len(world.orders[series_id]) // 2 - 1

    def real_reorder():
        series = Series.objects.get(pk=series_id)
        members = list(series.members.order_by("sort_order", "pk"))
        first, second = members[position], members[position + 1]
        first.sort_order, second.sort_order = second.sort_order, first.sort_order
        series.members = members
        series.save_revision().publish()

    check(
        f"series reorder (swap {position + 1} and {position + 2} of "
        f"{len(world.orders[series_id])})",
        lambda room: room.reorder(series_id, now, position=position),
        real_reorder,
    )

    # Deletions are real in the simulation too: what they write is recorded, not compared.
    with transaction.atomic():
        pk = in_series[3]
        top = log_top()
        ArticlePage.objects.get(pk=pk).delete()
        real = _logged_since(top)
        checks.append(
            {
                "event": f"delete (series member, series of {len(world.with_series(pk)) - 1})",
                "rows_real": len(real),
                "match": None,
                "real_rows": [list(row[:5]) for row in real],
                "note": "real Page.delete() in the simulation as well (rows restamped)",
            }
        )
        transaction.set_rollback(True)
    return checks
