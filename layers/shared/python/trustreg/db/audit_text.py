"""An audit entry's JSON, written once by the database when the entry is, and read as it is.

An entry never changes after it is written, so its API form (who, when, what; its artifact is
added when read, since an artifact's name may change) is kept beside its columns. A page of the
trail is then a list of texts to join, where it was 100 rows of five values for psycopg2 to
convert, 200 dicts for Python to build and 20 KB for orjson to write: ~70 us less for a page of
100 (docs/performance.md, fix 23), and ten times that for the default page of 1,000.

Every writer builds it with `entry_json` from the values it writes, in the same statement. The
column is nullable for the code of the release before it, still running while a deploy rolls
out: reads render an entry without its text from its columns by this same rule. The date is
`utc_text`'s, the one rule the trail has always been dated by.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from trustreg.db.timestamps import utc_text


class entry_json(FunctionElement[str]):  # noqa: N801 - used like a SQL function
    """`entry_json(user_name, user_is_admin, action, at)`: the entry as compact JSON,
    `{"user":{"name":..,"is_admin":..},"date":"..Z","action":".."}`, without its artifact."""

    type = Text()
    inherit_cache = True
    name = "entry_json"


def _parts(element: entry_json, compiler: SQLCompiler, **kw: Any) -> list[str]:
    name, is_admin, action, at = element.clauses.clauses
    date = utc_text(at)
    return [compiler.process(part, **kw) for part in (name, is_admin, action, date)]


@compiles(entry_json, "postgresql")
def _postgresql(element: entry_json, compiler: SQLCompiler, **kw: Any) -> str:
    # Concatenated rather than json_build_object, whose text puts spaces around every colon
    # and comma; to_json escapes the name as JSON does.
    name, is_admin, action, date = _parts(element, compiler, **kw)
    return (
        f"""'{{"user":{{"name":' || to_json(CAST({name} AS TEXT))::text"""
        f""" || ',"is_admin":' || CASE WHEN {is_admin} THEN 'true' ELSE 'false' END"""
        f""" || '}},"date":"' || {date}"""
        f""" || '","action":' || to_json(CAST({action} AS TEXT))::text || '}}'"""
    )


@compiles(entry_json, "sqlite")
def _sqlite(element: entry_json, compiler: SQLCompiler, **kw: Any) -> str:
    # json_object writes compact JSON; SQLite has no booleans, so the flag goes in as JSON.
    name, is_admin, action, date = _parts(element, compiler, **kw)
    flag = f"json(CASE WHEN {is_admin} THEN 'true' ELSE 'false' END)"
    user = f"json_object('name', {name}, 'is_admin', {flag})"
    return f"json_object('user', {user}, 'date', {date}, 'action', {action})"
