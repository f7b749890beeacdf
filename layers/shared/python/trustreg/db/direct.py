"""Statements built once, run on the driver's cursor on PostgreSQL (psycopg2).

For a statement it has compiled before, SQLAlchemy still looks the compiled form up by cache key,
builds an execution context and a cursor result on every call: 44-121 us a request on this
machine, where a short statement's own work in the database is 20-50 us (docs/performance.md,
fix 19). The repositories' hot statements are built once and passed in as the same objects call
after call (`prebuilt` marks them), so here each is compiled once per set of parameter names and
a call hands the compiled text to `Connection._cursor_execute`, the hook SQLAlchemy's dialects
use for statements of their own. What stays SQLAlchemy's: the cursor-level events
(`before_cursor_execute`, `after_cursor_execute`, `handle_error`, with no execution context),
echo logging, and error handling (a dropped connection is invalidated in the pool and raised as
the same `sqlalchemy.exc` error; a constraint violation is still an `IntegrityError`). What does
not happen: the statement-level events (`before_execute`, `after_execute`) and the per-call
bookkeeping.

Parameters are converted by their types as SQLAlchemy converts them (a Boolean, a JSON
document). A statement takes this path only when psycopg2 already gives its rows as SQLAlchemy
would (no column type converts values on the way out; rows matched to columns by position,
under unique names), binds no expanding IN list, fills no Python-side column default, and has
rows to read: a SELECT, or DML with a RETURNING of its own. Anything else, and every statement
on SQLite, whose driver gives dates and JSON as text for SQLAlchemy to convert, runs through
`Connection.execute` as before.

A kept read (`db/stored.py`) is run by calling the function it is installed as, whose plans
PostgreSQL keeps; as its text while that function is missing.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import CompoundSelect, Connection, Executable, Result, Select
from sqlalchemy.engine.result import IteratorResult, SimpleResultMetaData
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.dml import UpdateBase

from trustreg.db import stored

E = TypeVar("E", bound=Executable)

# Statements built once, by identity: only these take the cursor path. A statement built per call,
# even one derived from these, would be compiled per call here, where SQLAlchemy's own compiled
# cache serves it better. Weak, so the marks never need clearing: a statement a builder's cache
# lets go (the listing's LRU) loses its mark once its plan below is cleared too, and an id is
# never mistaken for a dead statement's.
_PREBUILT: weakref.WeakValueDictionary[int, Executable] = weakref.WeakValueDictionary()


def prebuilt(statement: E) -> E:
    """Mark a statement built once and reused (a cached builder's) for the cursor path."""
    _PREBUILT[id(statement)] = statement
    return statement


class Plan(NamedTuple):
    """A statement compiled for the cursor: its text, its own bound values, its row shape."""

    sql: str
    values: dict[str, Any]  # the statement's literals (a LIMIT 1, a JSON key), already converted
    converts: dict[str, Any]  # caller parameters whose type converts them (a Boolean, a JSON)
    meta: SimpleResultMetaData
    function: stored.Stored | None  # a kept read's form carrying the count: called, not sent


# Plans hold their statements, so an id stays theirs; cleared when full (they compile again).
_PLANS: dict[tuple[int, tuple[str, ...]], tuple[Executable, Any, Plan | None]] = {}
_MAX_PLANS = 512


def execute(
    conn: Connection, statement: Executable, params: Mapping[str, Any] | None
) -> Result[Any]:
    """Run `statement` with `params` on `conn`: on the cursor when it can, else as SQLAlchemy
    does."""
    plan = _usable_plan(conn, statement, params)
    if plan is None:
        return conn.execute(statement, params)
    return IteratorResult(plan.meta, iter(_run(conn, plan, params)))


def execute_rows(
    conn: Connection, statement: Executable, params: Mapping[str, Any] | None
) -> Sequence[Any]:
    """`execute(...).all()`, as the driver's tuples on the cursor path: for a caller that
    reads rows by position and shapes its own result (a read carrying the token's count)."""
    plan = _usable_plan(conn, statement, params)
    if plan is None:
        return conn.execute(statement, params).all()
    return _run(conn, plan, params)


def _usable_plan(
    conn: Connection, statement: Executable, params: Mapping[str, Any] | None
) -> Plan | None:
    plan = plan_for(conn, statement, params)
    transaction = conn.get_transaction()
    if plan is None or (transaction is not None and not transaction.is_active):
        # (An inactive transaction: SQLAlchemy raises what it raises, PendingRollbackError.)
        return None
    return plan


def _run(conn: Connection, plan: Plan, params: Mapping[str, Any] | None) -> Sequence[Any]:
    transaction = conn.get_transaction()
    values = {**plan.values, **params} if params else plan.values
    for name, convert in plan.converts.items():
        values[name] = convert(values[name])
    if transaction is None:
        conn.begin()  # as `Connection.execute` would (autobegin), so commit and rollback still work
    function = plan.function
    if function is not None and stored.may_call(function, conn):
        try:
            return _fetch(conn, function.call, values)
        except DBAPIError as exc:
            if not stored.answer_as_text(function, conn, exc):
                raise
    return _fetch(conn, plan.sql, values)


def _fetch(conn: Connection, sql: str, values: dict[str, Any]) -> Sequence[Any]:
    try:
        cursor = conn.connection.cursor()
    except BaseException as exc:
        conn._handle_dbapi_exception(exc, sql, values, None, None)
    try:
        conn._cursor_execute(cursor, sql, values)  # wraps its own errors
        try:
            rows = cursor.fetchall()
        except BaseException as exc:
            conn._handle_dbapi_exception(exc, sql, values, cursor, None)
    finally:
        cursor.close()
    return rows


def plan_for(
    conn: Connection, statement: Executable, params: Mapping[str, Any] | None
) -> Plan | None:
    """The statement's plan for these parameter names, or None when it must go through
    SQLAlchemy (SQLite, several rows of parameters, or a statement that needs conversions)."""
    if _PREBUILT.get(id(statement)) is not statement:
        return None
    if conn.dialect.driver != "psycopg2" or not isinstance(params, Mapping | None):
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
    if not isinstance(statement, Select | CompoundSelect | UpdateBase):
        return None
    dialect = conn.dialect
    # Parameter names shape only an INSERT's or UPDATE's own columns. Given to a SELECT, a
    # name that is a column of a table updated in its WITH (the token count's) would add it to
    # that UPDATE's SET.
    keys = list(names) if isinstance(statement, UpdateBase) else None
    compiled = statement.compile(dialect=dialect, column_keys=keys)
    # DML only with a RETURNING of its own: SQLAlchemy reads an implicit one (the new row's key)
    # into inserted_primary_key and answers no rows, which this path would not reproduce.
    if isinstance(statement, UpdateBase) and (
        not compiled.effective_returning or compiled.implicit_returning
    ):
        return None
    if compiled.insert_prefetch or compiled.update_prefetch:  # Python-side column defaults
        return None
    if compiled.post_compile_params or compiled.literal_execute_params:
        return None
    if compiled.positional or compiled.escaped_bind_names:  # names as the caller gives them
        return None
    columns = compiled._result_columns
    keys = [column.keyname for column in columns]
    if not compiled._ordered_columns or compiled._ad_hoc_textual or len(set(keys)) < len(keys):
        return None  # rows SQLAlchemy matches to columns by name, or would call ambiguous
    if any(_converts_rows(column.type, dialect) for column in columns):
        return None
    converts: dict[str, Any] = dict(compiled._bind_processors)
    values = {
        name: converts[name](value) if name in converts else value
        for name, value in compiled.construct_params(_check=False).items()
        if name not in names and not compiled.binds[name].required
    }
    meta = SimpleResultMetaData(keys, extra=[column.objects for column in columns])
    callers = {name: converts[name] for name in names if name in converts}
    return Plan(str(compiled), values, callers, meta, stored.function_of(statement, compiled))


def _converts_rows(column_type: Any, dialect: Any) -> bool:
    """Whether SQLAlchemy would convert this column's values after the driver gave them."""
    try:
        return column_type._cached_result_processor(dialect, None) is not None
    except Exception:  # noqa: BLE001 - numerics choose by the column's type code, known only later
        return True
