"""bench/sync_log (`make bench-sync-log`): its modules' size and docstrings, and its pure parts."""

import ast
import random
import statistics
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench.sync_log.prune import percentile
from bench.sync_log.world import MIX, Pool
from bench.sync_log.year import DAY, day_plan, poisson

PACKAGE = Path(__file__).resolve().parent.parent / "bench" / "sync_log"


def test_each_module_is_small_and_says_in_one_line_what_it_does():
    found = {}
    for path in sorted(PACKAGE.glob("*.py")):
        docstring = ast.get_docstring(ast.parse(path.read_text()))
        found[path.name] = (len(path.read_text().splitlines()) <= 400, docstring is not None)
        if docstring is not None:
            assert "\n" not in docstring.strip(), path.name
    assert {"__init__.py", "__main__.py", "main.py"} <= set(found)
    assert {name for name, checks in found.items() if checks != (True, True)} == set()


def test_pool_adds_discards_and_chooses_what_it_holds():
    pool = Pool([3, 1, 4, 1, 5])
    assert len(pool) == 4 and 1 in pool
    pool.discard(3)
    pool.discard(3)
    pool.discard(99)
    assert sorted(pool.items) == [1, 4, 5]
    assert all(pool.items[i] == item for item, i in pool.index.items())
    rng = random.Random(0)
    assert {pool.choice(rng) for _ in range(200)} == {1, 4, 5}


def test_percentile_is_the_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 50) == 50
    assert percentile(values, 99) == 99
    assert percentile(values, 100) == 100
    assert percentile([7], 99) == 7
    assert percentile([], 50) == 0.0


def test_a_day_plan_is_sorted_within_the_day_and_near_its_mean():
    rng = random.Random(1)
    assert statistics.mean(poisson(rng, 3) for _ in range(5000)) == pytest.approx(3, abs=0.1)
    monday = datetime(2027, 1, 4, tzinfo=UTC)
    events = day_plan(rng, monday, 1000)
    assert events == sorted(events)
    assert all(0 <= (at - monday).total_seconds() <= DAY for at, _ in events)
    assert {kind for _, kind in events} <= set(MIX)
    assert 1000 < len(events) < 1300  # weekdays are 1.15 times the mean
