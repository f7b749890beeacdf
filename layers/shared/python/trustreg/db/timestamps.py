"""Timestamps written by the database itself, the way the contract writes them.

A page of 100 audit entries spent ~100 us in Python turning datetimes into `...T14:22:05Z`
strings, after psycopg2 had built those datetimes; the database writes the same text for nothing
measurable (docs/performance.md, fix 18). `timefmt.iso_utc` stays the one rule for values that
are already in Python; tests hold the two to the same output.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class utc_text(FunctionElement[str]):  # noqa: N801 - used like a SQL function
    """`utc_text(column)`: a timestamp column as `YYYY-MM-DDTHH:MM:SSZ`, seconds truncated."""

    type = String()
    inherit_cache = True
    name = "utc_text"


@compiles(utc_text, "postgresql")
def _postgresql(element: utc_text, compiler: SQLCompiler, **kw: Any) -> str:
    # A timestamptz AT TIME ZONE 'UTC' is its UTC wall time, whatever the session's zone is.
    column = compiler.process(element.clauses, **kw)
    return f"""to_char(({column}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""


@compiles(utc_text, "sqlite")
def _sqlite(element: utc_text, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite holds the UTC wall time SQLAlchemy wrote, as text without an offset.
    column = compiler.process(element.clauses, **kw)
    return f"strftime('%Y-%m-%dT%H:%M:%SZ', {column})"
