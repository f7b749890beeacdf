"""Statements built once, run on the driver's cursor on PostgreSQL.

For a statement it has compiled before, SQLAlchemy still looks the compiled form up by cache key,
builds an execution context and a cursor result on every call: 40-90 us a request on this
machine, where a short statement's own work in the database is 20-50 us (docs/performance.md,
fix 19). The repositories' hot statements are built once and passed in as the same objects call
after call (`prebuilt` marks them), so here each is compiled once per set of parameter names and
a call hands the compiled text to `Connection._cursor_execute`, the hook SQLAlchemy's dialects
use for statements of their own: SQLAlchemy's events, logging and error handling still apply (a
dropped connection is invalidated in the pool and raised as the same `sqlalchemy.exc` error; a
constraint violation is still an `IntegrityError`); the per-call bookkeeping does not.

Parameters are converted by their types as SQLAlchemy converts them (a Boolean, a JSON
document). A statement takes this path only when psycopg2 already gives its rows as SQLAlchemy
would (no column type converts values on the way out), binds no expanding IN list, fills no
Python-side column default, and has rows to read (a SELECT, or DML with RETURNING: the rows stand
in for a result, which then has no rowcount). Anything else, and every statement on SQLite, whose
driver gives dates and JSON as text for SQLAlchemy to convert, runs through
`Connection.execute` as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Connection, Executable, Result, Select
from sqlalchemy.engine.result import IteratorResult, SimpleResultMetaData
from sqlalchemy.sql.dml import UpdateBase

E = TypeVar("E", bound=Executable)

# Statements built once, by identity (held, so an id stays theirs): only these take the cursor
# path. A statement built per call, even one derived from these, would be compiled per call here,
# where SQLAlchemy's own compiled cache serves it better.
_PREBUILT: dict[int, Executable] = {}
_MAX_PREBUILT = 1024


def prebuilt(statement: E) -> E:
    """Mark a statement built once and reused (a cached builder's) for the cursor path."""
    if len(_PREBUILT) >= _MAX_PREBUILT:
        _PREBUILT.clear()  # the unmarked ones just go through SQLAlchemy again
    _PREBUILT[id(statement)] = statement
    return statement


class Plan(NamedTuple):
    """A statement compiled for the cursor: its text, its own bound values, its row shape."""

    sql: str
    values: dict[str, Any]  # the statement's literals (a LIMIT 1, a JSON key), already converted
    converts: dict[str, Any]  # caller parameters whose type converts them (a Boolean, a JSON)
    meta: SimpleResultMetaData


_PLANS: dict[tuple[int, tuple[str, ...]], tuple[Executable, Any, Plan | None]] = {}
_MAX_PLANS = 512


def execute(
    conn: Connection, statement: Executable, params: Mapping[str, Any] | None
) -> Result[Any]:
    """Run `statement` with `params` on `conn`: on the cursor when it can, else as SQLAlchemy
    does."""
    plan = plan_for(conn, statement, params)
    if plan is None:
        return conn.execute(statement, params)
    values = {**plan.values, **params} if params else plan.values
    for name, convert in plan.converts.items():
        values[name] = convert(values[name])
    if not conn.in_transaction():
        conn.begin()  # as `Connection.execute` would (autobegin), so commit and rollback still work
    cursor = conn.connection.cursor()
    try:
        conn._cursor_execute(cursor, plan.sql, values)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return IteratorResult(plan.meta, iter(rows))


def plan_for(
    conn: Connection, statement: Executable, params: Mapping[str, Any] | None
) -> Plan | None:
    """The statement's plan for these parameter names, or None when it must go through
    SQLAlchemy (SQLite, several rows of parameters, or a statement that needs conversions)."""
    if _PREBUILT.get(id(statement)) is not statement:
        return None
    if conn.dialect.name != "postgresql" or not isinstance(params, Mapping | None):
        return None  # several rows of parameters (executemany) are SQLAlchemy's too
    names = tuple(sorted(params)) if params else ()
    key = (id(statement), names)
    cached = _PLANS.get(key)
    if cached is not None and cached[0] is statement and cached[1] is conn.dialect:
        return cached[2]
    plan = _compile(conn, statement, names)
    if len(_PLANS) >= _MAX_PLANS:
        _PLANS.clear()
    # Holding the statement keeps its id unique; a plan holds its dialect's converters, so an
    # engine built again (tests switch databases) compiles again.
    _PLANS[key] = (statement, conn.dialect, plan)
    return plan


def _compile(conn: Connection, statement: Executable, names: tuple[str, ...]) -> Plan | None:
    if not isinstance(statement, Select | UpdateBase):
        return None
    dialect = conn.dialect
    compiled = statement.compile(dialect=dialect, column_keys=list(names))
    if isinstance(statement, UpdateBase) and not compiled.effective_returning:
        return None
    if compiled.insert_prefetch or compiled.update_prefetch:  # Python-side column defaults
        return None
    if compiled.post_compile_params or compiled.literal_execute_params:
        return None
    if any(_converts_rows(column.type, dialect) for column in compiled._result_columns):
        return None
    converts: dict[str, Any] = dict(compiled._bind_processors)
    values = {
        name: converts[name](value) if name in converts else value
        for name, value in compiled.construct_params(_check=False).items()
        if name not in names and not compiled.binds[name].required
    }
    meta = SimpleResultMetaData([column.keyname for column in compiled._result_columns])
    callers = {name: converts[name] for name in names if name in converts}
    return Plan(str(compiled), values, callers, meta)


def _converts_rows(column_type: Any, dialect: Any) -> bool:
    """Whether SQLAlchemy would convert this column's values after the driver gave them."""
    try:
        return column_type._cached_result_processor(dialect, None) is not None
    except Exception:  # noqa: BLE001 - numerics choose by the column's type code, known only later
        return True
