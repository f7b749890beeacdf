"""The hottest reads, installed in PostgreSQL as PL/pgSQL functions so that their plans are kept.

A statement sent as text is parsed, analysed and planned on every call. For the reads that carry
a call's token count (`token_use.ride`) that costs 70-250 us a call, more than running them
(docs/performance.md, fix 22). A server-side prepared statement would keep the plan, but behind
RDS Proxy `PREPARE` pins the client's session to one database connection for its life. A
PL/pgSQL function keeps the plans of its statements in the server process that runs it,
whichever client calls it, so the proxy goes on multiplexing.

So each kept read (built by a builder registered with `kept_read`, its statement marked with
`keep`) is installed when the schema is migrated, as `trustreg_read_<hash of its body>`: a
function that runs the very SQL that would otherwise be sent (as one statement, or as its read
and its count one after the other: below), with the same parameters.
`db/direct.py` then calls the function instead of sending the text. The name follows the body,
so code that builds a different statement calls a different function: code and database never
disagree about what a function does. When the function is missing (a schema migrated by older
code, a database built otherwise), the read goes on as text, and the process asks again a
minute later.

A kept read's whole plan is kept only when one plan fits it whatever its values, made once from
averages: a read that looks a row up by a unique key, or reads a range in an index's own order.
A read by a value many rows may share (a name, a parent model) or by a pattern needs a plan made
for its values (tests/api/test_stored_reads.py builds the skew that would mislead one plan).
Such a read is kept with `replan`: its function runs the read, planned afresh for the call's
values, and then the count, whose plan it keeps. That still saves parsing the call and planning
the count and the union that joins both (50-115 us a call in a loop, fix 25).
"""

from __future__ import annotations

import hashlib
import importlib
import re
import time
import weakref
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, NamedTuple, TypeVar, cast

from sqlalchemy import Connection, Executable, Select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.compiler import SQLCompiler

from trustreg.observability import logger

E = TypeVar("E", bound=Executable)

# The statement-level mark of a kept read's form carrying the count, what `direct` calls: True
# when its function keeps the whole plan, or the (read, count) parts of a read planned per call.
KEPT = "kept_in_server"
PREFIX = "trustreg_read_"
# A call's own text begins so; the rest of it is a hash and placeholders, never a caller's data.
CALLING = "SELECT * FROM " + PREFIX  # noqa: S608
# A body is quoted with a tag of its own rather than escaped: the SQL goes in untouched.
_TAG = "$read$"
# psycopg2's named parameters and its doubled literal '%', in one pattern, so that a '%%('
# in a literal is never read as a parameter.
_BIND_OR_PERCENT = re.compile(r"%%|%\((\w+)\)s")
_UNDEFINED_FUNCTION = "42883"
# How long a process answers a read with its text after finding its function missing, before
# it asks again: a container that started before the deploy's migration installed the
# functions picks them up without restarting.
RETRY_MISSING_S = 60.0

# Reads marked by `keep`, by identity: a statement built from one (`add_columns`, a subquery)
# is a different statement, kept only if marked itself. Weak, as `direct.prebuilt`'s marks.
_KEPT_READS: weakref.WeakValueDictionary[int, Executable] = weakref.WeakValueDictionary()
_REPLANNED: weakref.WeakValueDictionary[int, Executable] = weakref.WeakValueDictionary()


def keep(read: E, *, replan: bool = False) -> E:
    """Mark a read that may carry a call's count: carrying it, it runs as its installed
    function. (Its plain form, which runs only once the count was taken, is not kept.) Its
    builder must be registered with `kept_read` too, for migrating to install it.

    `replan`: the function plans the read for each call's values, as a statement sent as text
    would be planned; only the count's plan is kept. For a read no single plan fits."""
    _KEPT_READS[id(read)] = read
    if replan:
        _REPLANNED[id(read)] = read
    return read


def kept_when_riding(read: Executable) -> bool:
    return _KEPT_READS.get(id(read)) is read


def replanned(read: Executable) -> bool:
    """Whether a kept read is planned per call (`keep(read, replan=True)`)."""
    return _REPLANNED.get(id(read)) is read


def kept(statement: E, parts: tuple[Select[Any], Select[Any]] | None = None) -> E:
    """Mark the statement that runs as its installed function (`token_use.ride` marks a kept
    read's rewritten form). `parts`: for a read planned per call, the statement's two
    branches, the read's rows and the count's row, which its function runs one after the
    other."""
    return statement.execution_options(**{KEPT: parts or True})


def is_kept(statement: Executable) -> bool:
    return bool(statement.get_execution_options().get(KEPT))


_READS: list[Callable[[], Executable]] = []


def kept_read(build: Callable[[], E]) -> Callable[[], E]:
    """Register a cached builder of a kept read, so that migrating installs its function."""
    _READS.append(build)
    return build


def kept_reads() -> list[Executable]:
    """Every registered kept read, built."""
    # The builders register as their modules load: the unit of work loads every repository.
    importlib.import_module("trustreg.db.uow")
    return [build() for build in _READS]


class Stored(NamedTuple):
    """A statement's SQL as a function: its name, parameters, body and the call that runs it."""

    name: str
    params: tuple[str, ...]  # the statement's parameter names, in order of first use
    body: str  # the SQL with $n for the n-th parameter: what the function answers as
    call: str  # the call, with the statement's own named parameters
    code: str  # the function's PL/pgSQL statements
    source: str  # the CREATE FUNCTION's text after its signature and columns


def function_for(sql: str) -> Stored:
    """The function that runs `sql` (psycopg2's named-parameter SQL) with the same parameters,
    keeping its plan."""
    body, params = _numbered(sql)
    return _stored(params, body, f"RETURN QUERY {body};", plans_per_call=False)


def function_of(statement: Executable, compiled: SQLCompiler) -> Stored | None:
    """The function a statement marked `kept` runs as, from its compiled form; None when it
    is not marked."""
    form = statement.get_execution_options().get(KEPT)
    if not form:
        return None
    sql = str(compiled)
    if form is True:
        return function_for(sql)
    read, count = form
    body, params = _numbered(sql)
    # Each part, compiled alone, names its anonymous binds afresh: matched to the parameters
    # of the whole statement by each bind's key.
    named = {bind.key: name for bind, name in compiled.bind_names.items()}
    position = {name: f"${i}" for i, name in enumerate(params, start=1)}

    def numbered(part: Select[Any]) -> str:
        alone = cast(SQLCompiler, part.compile(dialect=compiled.dialect))
        names = {name: named[bind.key] for bind, name in alone.bind_names.items()}
        return _BIND_OR_PERCENT.sub(
            lambda m: position[names[m.group(1)]] if m.group(1) else "%", str(alone)
        )

    # The read is planned for each call's values (force_custom_plan, in `_stored`), then the
    # function switches to kept plans for the count; PostgreSQL undoes the switch when the
    # function returns.
    code = (
        f"RETURN QUERY {numbered(read)};\n"
        "PERFORM set_config('plan_cache_mode', 'force_generic_plan', true);\n"
        f"RETURN QUERY {numbered(count)};"
    )
    return _stored(params, body, code, plans_per_call=True)


def _numbered(sql: str) -> tuple[str, tuple[str, ...]]:
    """`sql` with $n for its n-th parameter, and its parameters' names in that order."""
    position: dict[str, str] = {}

    def numbered(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return "%"  # the function's body is not interpolated: a literal '%' is itself
        return position.setdefault(name, f"${len(position) + 1}")

    body = _BIND_OR_PERCENT.sub(numbered, sql)
    return body, tuple(position)


def _stored(params: tuple[str, ...], body: str, code: str, plans_per_call: bool) -> Stored:
    if _TAG in code:
        raise ValueError(f"a kept read's SQL may not contain {_TAG}")
    # force_generic_plan: left to choose, PostgreSQL plans these afresh on every call, since
    # a plan made for the values at hand looks cheaper than one made for any values. Kept reads
    # are those one plan fits (a unique key, a range of an index's order): 519 against 268 us
    # for the audit read. A read no plan fits is planned for each call's values.
    mode = "force_custom_plan" if plans_per_call else "force_generic_plan"
    source = (
        f"LANGUAGE plpgsql VOLATILE SET plan_cache_mode = {mode} AS {_TAG}\n"
        f"#variable_conflict use_column\nBEGIN\n{code}\nEND\n{_TAG}"
    )
    # Named by all it says but its types, which follow from the SQL: code that builds another
    # function calls another. Migrating installs the new functions and drops the ones no
    # read uses; a container still running older code then answers those reads as text.
    name = PREFIX + hashlib.sha256(source.encode()).hexdigest()[:24]
    arguments = ", ".join(f"%({p})s" for p in params)
    call = f"SELECT * FROM {name}({arguments})"  # noqa: S608
    return Stored(name, params, body, call, code, source)


# When each function was found missing in this process (time.monotonic()).
_missing: dict[str, float] = {}


def may_call(stored: Stored, conn: Connection) -> bool:
    """Whether to call the function: not found missing lately, and on a connection that commits
    each statement as it runs, where a failed call leaves no transaction to roll back."""
    found = _missing.get(stored.name)
    if found is not None and time.monotonic() - found < RETRY_MISSING_S:
        return False
    return bool(conn.connection.dbapi_connection.autocommit)  # type: ignore[union-attr]


def answer_as_text(stored: Stored, conn: Connection, error: DBAPIError) -> bool:
    """Whether a failed call of the function should be answered with the statement's text:
    when PostgreSQL found no function of that name taking these arguments. Missing, it is
    remembered for a while; present but not taking them (a value beyond its parameter's type,
    or a bug), only this call goes on as text, and the error log says so."""
    diag = getattr(error.orig, "diag", None)
    primary = getattr(diag, "message_primary", None) or ""
    if getattr(error.orig, "pgcode", None) != _UNDEFINED_FUNCTION or not primary.startswith(
        f"function {stored.name}("
    ):
        return False
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute("SELECT to_regproc(%s) IS NOT NULL", (stored.name,))
        row = cursor.fetchone()
    finally:
        cursor.close()
    if row is not None and row[0]:
        logger.error("a kept read's function does not take these arguments", function=stored.name)
    else:
        if stored.name not in _missing:
            logger.warning("a kept read's function is not installed", function=stored.name)
        _missing[stored.name] = time.monotonic()
    return True


def found_missing() -> frozenset[str]:
    return frozenset(_missing)


def forget_missing() -> None:
    """Try every function again (after installing them)."""
    _missing.clear()


def install(conn: Connection) -> list[str]:
    """Install every kept read's function, leave alone those already installed as they would
    be, and drop those no kept read uses any more; the names wanted (none but on PostgreSQL
    through psycopg2, the only driver whose SQL they are). Run inside the migration's
    transaction, by `migrate.upgrade_to_head` only: a schema migrated otherwise may keep
    functions whose columns no longer match."""
    if conn.dialect.name != "postgresql" or conn.dialect.driver != "psycopg2":
        return []
    compiled = (_compiled(read, conn.dialect) for read in kept_reads())
    wanted = {stored.name: (stored, binds) for stored, binds in compiled}
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        # Two migrations run at once (two local servers starting) would drop each other's.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('trustreg.db.stored'))")
        cursor.execute(
            "SELECT p.proname, p.oid::regprocedure::text, pg_get_function_result(p.oid)"
            " FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace"
            " AND p.proname LIKE %s",
            (PREFIX.replace("_", r"\_") + "%",),
        )
        installed = {name: (signature, result) for name, signature, result in cursor.fetchall()}
        for name, (signature, _result) in installed.items():
            if name not in wanted:
                cursor.execute(f"DROP FUNCTION {signature}")
        for name, (stored, binds) in wanted.items():
            _create(cursor, stored, binds, installed.get(name))
    finally:
        cursor.close()
    return sorted(wanted)


def stored_form(conn: Connection, read: Executable) -> Stored:
    """The function a kept read runs as when it carries a call's count."""
    return _compiled(read, conn.dialect)[0]


def _compiled(read: Executable, dialect: Any) -> tuple[Stored, Mapping[str, Any]]:
    # The SQL `direct` sends for the read's form carrying the count, compiled as it compiles it
    # (a SELECT's text does not depend on the parameters' names).
    from trustreg.db import token_use

    riding = token_use.ride(read)
    if riding is not None:
        compiled = riding.statement.compile(dialect=dialect)
        stored = function_of(riding.statement, compiled)
        if stored is not None:
            return stored, compiled.binds
    raise ValueError("a kept read must be one that may carry a call's count, marked `keep`")


# What psycopg2 sends for a value of each Python type, by the types PostgreSQL may take it as
# in a call. A call applies no assignment cast to a typed literal, so a `bigint` literal for an
# `integer` parameter, or a `boolean` for a `text` one, finds no function.
_TAKEN_AS: dict[type, frozenset[str]] = {
    str: frozenset({"text", "character varying", "character"}),
    bool: frozenset({"boolean"}),
    int: frozenset({"integer", "bigint", "numeric"}),
    datetime: frozenset({"timestamp with time zone"}),
}


def _check_parameters(stored: Stored, types: list[str], binds: Mapping[str, Any]) -> None:
    # A parameter PostgreSQL cannot place (a bare `SELECT $1`) is text: the function would then
    # answer 'false' where the statement answers false, or not resolve at all.
    for name, taken_as in zip(stored.params, types, strict=True):
        bind = binds[name]
        try:
            python_type = bind.type.python_type
        except NotImplementedError:
            # A value of the statement's own (a JSON key) is sent as what it is.
            if bind.value is None or bind.required:
                raise ValueError(f"{stored.name}: parameter {name} has no type") from None
            python_type = type(bind.value)
        allowed = _TAKEN_AS.get(python_type)
        if allowed is None or taken_as not in allowed:
            raise ValueError(
                f"{stored.name}: parameter {name} is bound as {python_type.__name__}, "
                f"but PostgreSQL takes it as {taken_as}"
            )


def _create(
    cursor: Any, stored: Stored, binds: Mapping[str, Any], installed: tuple[str, str] | None
) -> None:
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
        cursor.execute("RELEASE SAVEPOINT trustreg_probe")
        if prepared:  # a prepared statement outlives the savepoint
            cursor.execute("DEALLOCATE trustreg_probe")
    cursor.execute(
        "SELECT format_type(o, NULL) FROM unnest(%s::oid[]) WITH ORDINALITY AS t(o, i) ORDER BY i",
        (oids,),
    )
    columns = ", ".join(f"c{i} {row[0]}" for i, row in enumerate(cursor.fetchall()))
    signature = f"{stored.name}({','.join(parameter_types)})"
    if installed == (signature, f"TABLE({columns})"):
        return  # as it would be: recreating it would only drop every server's kept plans
    # Replaced as one step: should the new function fail its check, the old one stays.
    cursor.execute("SAVEPOINT trustreg_create")
    try:
        cursor.execute(f"DROP FUNCTION IF EXISTS {stored.name}")
        cursor.execute(f"CREATE FUNCTION {signature} RETURNS TABLE ({columns}) {stored.source}")
        # PL/pgSQL checks its statements' columns against the function's only when they run:
        # run once here with every argument NULL (no row, no count), a mismatch fails the
        # migration rather than a call.
        nulls = ", ".join("NULL" for _ in stored.params)
        cursor.execute("SAVEPOINT trustreg_probe")
        cursor.execute(f"SELECT * FROM {stored.name}({nulls})")  # noqa: S608
        cursor.execute("ROLLBACK TO SAVEPOINT trustreg_probe")
    except BaseException:
        cursor.execute("ROLLBACK TO SAVEPOINT trustreg_create")
        raise
    finally:
        cursor.execute("RELEASE SAVEPOINT trustreg_create")
