"""The hottest reads, installed in PostgreSQL as PL/pgSQL functions so that their plans are kept.

A statement sent as text is parsed, analysed and planned on every call. For the reads that carry
a call's token count (`token_use.ride`) that costs 70-250 us a call, more than running them
(docs/performance.md, fix 22). A server-side prepared statement would keep the plan, but behind
RDS Proxy `PREPARE` pins the client's session to one database connection for its life. A
PL/pgSQL function keeps the plans of its statements in the server process that runs it,
whichever client calls it, so the proxy goes on multiplexing.

So each kept read (built by a builder registered with `kept_read`, its statement marked with
`keep`) is installed when the schema is migrated, as `trustreg_read_<hash of its SQL>`: a
function whose body is the very SQL that would otherwise be sent, with the same parameters.
`db/direct.py` then calls the function instead of sending the text. The name follows the SQL, so
code that builds a different statement calls a different function: code and database never
disagree about what a function does. When the function is missing (a schema migrated by older
code, a database built otherwise), the read goes on as text, in that process from then on.
"""

from __future__ import annotations

import hashlib
import importlib
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Connection, Executable
from sqlalchemy.exc import DBAPIError

E = TypeVar("E", bound=Executable)

KEPT = "kept_in_server"  # a statement run by calling its function
_KEEP_RIDING = "kept_when_riding"  # a read whose form carrying the count is kept
PREFIX = "trustreg_read_"
CALLING = "SELECT * FROM " + PREFIX  # noqa: S608 - how every call of one begins
_TAG = "$read$"  # the body's dollar quote
# psycopg2's named parameters, as SQLAlchemy's psycopg2 dialect writes them.
_BIND = re.compile(r"%\((\w+)\)s")
_UNDEFINED_FUNCTION = "42883"
# Where the builders registered with `kept_read` live; imported before installing.
_BUILDER_MODULES = (
    "trustreg.db.repositories.artifact_statements",
    "trustreg.db.repositories.events",
    "trustreg.db.repositories.scores",
)


def keep(read: E) -> E:
    """Mark a read that may carry a call's count: carrying it, it runs as its installed
    function. (Its plain form, which runs only when the count was taken before, is not kept.)"""
    return read.execution_options(**{_KEEP_RIDING: True})


def unkept(read: E) -> E:
    """Unmark a read built from a kept one (its options come along) that is not kept itself."""
    return read.execution_options(**{_KEEP_RIDING: False})


def kept_when_riding(read: Executable) -> bool:
    return bool(read.get_execution_options().get(_KEEP_RIDING))


def kept(statement: E) -> E:
    """Mark the statement that runs as its installed function (`token_use.ride` marks a kept
    read's rewritten form)."""
    return statement.execution_options(**{KEPT: True})


def is_kept(statement: Executable) -> bool:
    return bool(statement.get_execution_options().get(KEPT))


_READS: list[Callable[[], Executable]] = []


def kept_read(build: Callable[[], E]) -> Callable[[], E]:
    """Register a cached builder of a kept read, so that migrating installs its function."""
    _READS.append(build)
    return build


def kept_reads() -> list[Executable]:
    """Every registered kept read, built."""
    for module in _BUILDER_MODULES:
        importlib.import_module(module)
    return [build() for build in _READS]


class Stored(NamedTuple):
    """A statement's SQL as a function: its name, parameters, body and the call that runs it."""

    name: str
    params: tuple[str, ...]  # the statement's parameter names, in order of first use
    body: str  # the SQL with $n for the n-th parameter
    call: str  # the call, with the statement's own named parameters


def function_for(sql: str) -> Stored:
    """The function that runs `sql` (psycopg2's named-parameter SQL) with the same parameters."""
    params = tuple(dict.fromkeys(_BIND.findall(sql)))
    position = {name: f"${i}" for i, name in enumerate(params, start=1)}
    # Outside of its parameters, psycopg2's SQL doubles every literal '%'.
    body = _BIND.sub(lambda m: position[m.group(1)], sql).replace("%%", "%")
    if _TAG in body:
        raise ValueError(f"a kept read's SQL may not contain {_TAG}")
    name = PREFIX + hashlib.sha256(sql.encode()).hexdigest()[:24]
    arguments = ", ".join(f"%({p})s" for p in params)
    # The name is a hash and the arguments placeholders: nothing of a caller's is in the text.
    return Stored(name, params, body, f"SELECT * FROM {name}({arguments})")  # noqa: S608


# Functions found missing in this process: their reads go on as text.
_missing: set[str] = set()


def may_call(stored: Stored, conn: Connection) -> bool:
    """Whether to call the function: not found missing before, and on a connection that commits
    each statement as it runs, where a failed call leaves no transaction to roll back."""
    return stored.name not in _missing and bool(conn.connection.dbapi_connection.autocommit)  # type: ignore[union-attr]


def missing_now(stored: Stored, error: DBAPIError) -> bool:
    """True (and remembered) when `error` says the function does not exist."""
    if getattr(error.orig, "pgcode", None) != _UNDEFINED_FUNCTION or stored.name not in str(
        error.orig
    ):
        return False
    _missing.add(stored.name)
    return True


def found_missing() -> frozenset[str]:
    return frozenset(_missing)


def forget_missing() -> None:
    """Try every function again (after installing them)."""
    _missing.clear()


def install(conn: Connection) -> list[str]:
    """Install every kept read's function and drop those no kept read uses any more; the names
    installed (none but on PostgreSQL). Run inside the migration's transaction."""
    if conn.dialect.name != "postgresql":
        return []
    wanted = {stored_form(conn, read).name: read for read in kept_reads()}
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(
            "SELECT p.oid::regprocedure::text, p.proname FROM pg_proc p"
            " WHERE p.pronamespace = current_schema()::regnamespace AND p.proname LIKE %s",
            (PREFIX.replace("_", r"\_") + "%",),
        )
        for signature, name in cursor.fetchall():
            if name not in wanted:
                cursor.execute(f"DROP FUNCTION {signature}")
    finally:
        cursor.close()
    for read in wanted.values():
        create(conn, read)
    return sorted(wanted)


def stored_form(conn: Connection, read: Executable) -> Stored:
    """The function a kept read runs as when it carries a call's count."""
    from trustreg.db import direct, token_use

    riding = token_use.ride(read)
    if riding is None or not is_kept(riding.statement):
        raise ValueError("a kept read must be one that may carry a call's count, marked `keep`")
    plan = direct.plan_for(conn, riding.statement, None)
    if plan is None:
        raise ValueError("a kept read must run on the driver's cursor (db/direct.py)")
    return function_for(plan.sql)


def create(conn: Connection, read: Executable) -> Stored:
    """Install (again) the function of one kept read (PostgreSQL)."""
    from trustreg.db import token_use

    stored = stored_form(conn, read)
    riding = token_use.ride(read)
    assert riding is not None  # checked by stored_form
    binds = riding.statement.compile(dialect=conn.dialect).binds
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        _create(cursor, stored, binds)
    finally:
        cursor.close()
    return stored


# What psycopg2 sends for a value of each Python type, by the types PostgreSQL may take it as.
_TAKEN_AS: dict[type, frozenset[str]] = {
    bool: frozenset({"boolean"}),
    int: frozenset({"smallint", "integer", "bigint", "numeric"}),
    datetime: frozenset({"timestamp with time zone"}),
}


def _check_parameters(stored: Stored, types: list[str], binds: Mapping[str, Any]) -> None:
    # A parameter whose type PostgreSQL infers from nothing (a bare `SELECT $1`) is text; the
    # function would then answer 'false' where the statement answered false, or not resolve.
    for name, taken_as in zip(stored.params, types, strict=True):
        try:
            python_type = binds[name].type.python_type
        except NotImplementedError:
            continue
        allowed = _TAKEN_AS.get(python_type)
        if allowed is not None and taken_as not in allowed:
            raise ValueError(
                f"{stored.name}: parameter {name} is bound as {python_type.__name__}, "
                f"but PostgreSQL takes it as {taken_as}"
            )


def _create(cursor: Any, stored: Stored, binds: Mapping[str, Any]) -> None:
    # PostgreSQL itself says what the statement takes and answers: its parameters' types as it
    # infers them for a prepared statement, its columns' types from running it with every
    # parameter NULL (which matches no row) inside a savepoint that is then rolled back.
    cursor.execute("SAVEPOINT trustreg_probe")
    prepared = False
    try:
        cursor.execute(f"PREPARE trustreg_probe AS {stored.body}")
        prepared = True
        cursor.execute(
            "SELECT parameter_types::text[] FROM pg_prepared_statements"
            " WHERE name = 'trustreg_probe'"
        )
        (parameter_types,) = cursor.fetchone()
        _check_parameters(stored, parameter_types, binds)
        nulls = ", ".join("NULL" for _ in stored.params)
        cursor.execute(f"EXECUTE trustreg_probe({nulls})" if nulls else "EXECUTE trustreg_probe")
        oids = [column.type_code for column in cursor.description]
    finally:
        cursor.execute("ROLLBACK TO SAVEPOINT trustreg_probe")
        if prepared:  # a prepared statement outlives the savepoint
            cursor.execute("DEALLOCATE trustreg_probe")
    cursor.execute(
        "SELECT format_type(o, NULL) FROM unnest(%s::oid[]) WITH ORDINALITY AS t(o, i) ORDER BY i",
        (oids,),
    )
    columns = ", ".join(f"c{i} {row[0]}" for i, row in enumerate(cursor.fetchall()))
    cursor.execute(f"DROP FUNCTION IF EXISTS {stored.name}")
    # force_generic_plan: left to choose, PostgreSQL plans these afresh on every call, since
    # a plan made for the values at hand looks cheaper than one made for any values. They look
    # rows up by key, so one plan fits every call: 519 against 268 us for the audit read.
    cursor.execute(
        f"CREATE FUNCTION {stored.name}({', '.join(parameter_types)})"
        f" RETURNS TABLE ({columns}) LANGUAGE plpgsql VOLATILE"
        f" SET plan_cache_mode = force_generic_plan AS {_TAG}\n"
        f"#variable_conflict use_column\nBEGIN\nRETURN QUERY {stored.body};\nEND\n{_TAG}"
    )
