"""Reads compiled once per worker: later calls bind new values to the same SQL statement.

Building and compiling a queryset costs the API more than PostgreSQL takes to plan and run it:
about 1 ms of Python for a lookup by ids, 3 to 4 ms for a visibility-filtered statement with
subqueries. The hot reads of a detail and of a page of summaries have a fixed shape: the same
SQL every time, only the moment, the slug or the ids change. A `Statement` builds its queryset
once per shape with two sets of stand-in values and compiles both. It keeps the SQL only when
the two compilations differ exactly where stand-ins went, so that each differing parameter
is known to carry one value; any other difference (a value that changed the SQL text, or was
transformed on its way in) marks the shape unbindable, and the ORM then builds it on every
call as before. Rows go through the compiler's own converters, so they equal what
`values_list` returns. (SQLAlchemy's compiled cache, for our selectors.)

A builder must not branch on the values it is given: only on the shape (the visibility rule
without its moment, and the length of each list of values).
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet

logger = logging.getLogger(__name__)

# Compiled shapes kept per thread (a compiler holds its thread's connection); a worker has a
# few hundred at most (statements x list lengths x sites), a restriction change adds a set.
MAX_SHAPES = 512


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    # (parameter index, value name, index in a list value or None, adapted by the backend)
    slots: tuple[tuple[int, str, int | None, bool], ...]
    compiler: object
    empty: bool = False


class _StandIns:
    """Two distinct stand-ins per value, of the value's type, unlike any real value."""

    def __init__(self, offset: int):
        self.offset = offset
        self.count = 0

    def one(self, value):
        self.count += 1
        k = self.count
        if isinstance(value, datetime):
            base = datetime(1901 + self.offset, 1, 1, tzinfo=UTC)
            return base + timedelta(microseconds=k)
        if isinstance(value, bool):
            raise TypeError("a boolean changes SQL text; pass it as part of the shape")
        if isinstance(value, int):
            return -((self.offset + 1) * 1_000_000_000 + k)
        if isinstance(value, str):
            return f"folio-stand-in-{self.offset}-{k}"
        raise TypeError(f"cannot bind a {type(value).__name__}")

    def of(self, values: dict) -> dict:
        return {
            name: [self.one(item) for item in value] if _is_list(value) else self.one(value)
            for name, value in values.items()
        }


def _is_list(value) -> bool:
    return isinstance(value, list | tuple | set | frozenset)


class Statement:
    """A `values_list` read of `model` whose SQL is compiled once per shape and thread.

    `build(visibility, **values)` returns the queryset; `rows(visibility, **values)` runs it.
    `visibility` may be None; its moment (`now`) is bound like the other values, the rest of
    the rule is part of the shape.
    """

    def __init__(self, model: type[Model], build: Callable[..., QuerySet]):
        self.model = model
        self.build = build
        self._local = threading.local()

    def rows(self, visibility=None, **values) -> list[tuple]:
        values = {name: _listed(value) for name, value in values.items()}
        if visibility is not None:
            values["now"] = visibility.now
        alias = router.db_for_read(self.model)
        key = (
            alias,
            replace(visibility, now=None) if visibility is not None else None,
            tuple((name, len(v) if isinstance(v, list) else None) for name, v in values.items()),
        )
        shapes = self._shapes()
        compiled = shapes.get(key)
        if compiled is None and key not in shapes:
            compiled = self._compile(alias, visibility, values)
            if len(shapes) >= MAX_SHAPES:
                shapes.clear()
            shapes[key] = compiled
        if compiled is None:  # unbindable: the ORM, every time
            return list(self._queryset(visibility, values))
        if compiled.empty:
            return []
        params = list(compiled.params)
        for index, name, item, adapted in compiled.slots:
            value = values[name] if item is None else values[name][item]
            params[index] = _adapt(alias, value) if adapted else value
        with connections[alias].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        col_count = compiled.compiler.col_count
        if rows and len(rows[0]) != col_count:
            rows = [row[:col_count] for row in rows]
        return list(compiled.compiler.results_iter(results=[rows], tuple_expected=True))

    def _shapes(self) -> dict:
        shapes = getattr(self._local, "shapes", None)
        if shapes is None:
            shapes = self._local.shapes = {}
        return shapes

    def _queryset(self, visibility, values: dict) -> QuerySet:
        values = dict(values)
        if visibility is not None:
            visibility = replace(visibility, now=values.pop("now"))
        return self.build(visibility, **values)

    def _compile(self, alias: str, visibility, values: dict) -> _Compiled | None:
        compiled = []
        stand_ins = []
        for offset in (0, 1):
            standing = _StandIns(offset).of(values)
            stand_ins.append(standing)
            queryset = self._queryset(visibility, standing)
            compiler = queryset.query.get_compiler(alias)
            try:
                sql, params = compiler.as_sql()
            except EmptyResultSet:
                sql, params = None, ()
            compiled.append((sql, tuple(params), compiler, queryset.db))
        (sql_a, params_a, compiler, db), (sql_b, params_b, _, _) = compiled
        if db != alias or sql_a != sql_b or len(params_a) != len(params_b):
            logger.info("statement %s is not bindable: its SQL depends on values", self.build)
            return None
        if sql_a is None:
            return _Compiled(sql="", params=(), slots=(), compiler=compiler, empty=True)
        slots = []
        for index, (a, b) in enumerate(zip(params_a, params_b, strict=True)):
            if a == b and type(a) is type(b):
                continue
            slot = _slot_of(alias, a, b, stand_ins[0], stand_ins[1])
            if slot is None:
                logger.info("statement %s is not bindable: parameter %d", self.build, index)
                return None
            slots.append((index, *slot))
        return _Compiled(sql=sql_a, params=params_a, slots=tuple(slots), compiler=compiler)


def _listed(value):
    """Lists bind element by element; a set is sorted so that equal sets bind alike."""
    if isinstance(value, set | frozenset):
        return sorted(value)
    return list(value) if isinstance(value, tuple | list) else value


def _adapt(alias: str, value):
    return connections[alias].ops.adapt_datetimefield_value(value)


def _slot_of(alias, a, b, stand_ins_a: dict, stand_ins_b: dict):
    """Which value's stand-in a differing parameter is: (name, list index, adapted) or None."""
    for name, value_a in stand_ins_a.items():
        value_b = stand_ins_b[name]
        pairs = (
            [(i, x, y) for i, (x, y) in enumerate(zip(value_a, value_b, strict=True))]
            if isinstance(value_a, list)
            else [(None, value_a, value_b)]
        )
        for item, x, y in pairs:
            if a == x and b == y and type(a) is type(x):
                return name, item, False
            if isinstance(x, datetime) and a == _adapt(alias, x) and b == _adapt(alias, y):
                return name, item, True
    return None
