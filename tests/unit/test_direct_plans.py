"""Which statements `db.direct` runs on the cursor: only those built once whose rows and
parameters need nothing SQLAlchemy would do per call (fix 19 in docs/performance.md)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite

from trustreg.db import direct
from trustreg.db.models import ArtifactEvent, ArtifactScore, AuthToken, table_of
from trustreg.db.repositories import artifact_statements as stmts

POSTGRES: Any = SimpleNamespace(dialect=postgresql.psycopg2.dialect())
SQLITE: Any = SimpleNamespace(dialect=sqlite.pysqlite.dialect())
KEY = {"aid": "a" * 24, "atype": "model"}


def test_given_a_read_built_once_then_postgres_runs_it_on_the_cursor_with_its_own_literals():
    plan = direct.plan_for(POSTGRES, stmts.audit_root(), KEY)

    assert plan is not None
    assert "%(aid)s" in plan.sql and "%(atype)s" in plan.sql
    assert list(plan.meta.keys)[-2:] == ["created_by", "sensitive"]
    # The separator between name and card is bound by the search statement itself.
    search = direct.plan_for(POSTGRES, stmts.scan(True, False), {"like": "%x%", "after": 0})
    assert search is not None and "\n" in search.values.values()


def test_given_sqlite_then_every_statement_goes_through_sqlalchemy():
    assert direct.plan_for(SQLITE, stmts.audit_root(), KEY) is None


def test_given_a_statement_built_per_call_then_it_goes_through_sqlalchemy():
    derived = stmts.brief_by_id_and_type().limit(1)  # from a statement built once, but new

    assert direct.plan_for(POSTGRES, derived, KEY) is None


def test_given_an_expanding_in_list_then_it_goes_through_sqlalchemy():
    ids = {"ids": ["a" * 24]}

    assert direct.plan_for(POSTGRES, stmts.edges_touching(), ids) is None
    typed = stmts.page(((True, True),))
    assert direct.plan_for(POSTGRES, typed, {"types0": ["model"], "after": 0, "limit": 1}) is None


def test_given_several_rows_of_parameters_then_they_go_through_sqlalchemy():
    assert direct.plan_for(POSTGRES, stmts.audit_root(), [KEY, KEY]) is None


def test_given_dml_without_returning_or_with_a_python_default_then_it_goes_through_sqlalchemy():
    tokens = table_of(AuthToken)
    no_rows = direct.prebuilt(tokens.update().values(revoked=bindparam("r")))
    # rating and computed_at are filled in Python when a caller leaves them out
    defaulted = direct.prebuilt(
        insert(table_of(ArtifactScore)).returning(table_of(ArtifactScore).c.id)
    )

    assert direct.plan_for(POSTGRES, no_rows, {"r": True}) is None
    assert (
        direct.plan_for(POSTGRES, defaulted, {"artifact_id": "a" * 24, "status": "rated"}) is None
    )


def test_given_a_column_sqlalchemy_converts_on_postgres_then_it_goes_through_sqlalchemy():
    scores = table_of(ArtifactScore)
    by_id = scores.c.id == bindparam("i")
    # A float's conversion depends on the column's type code, known only from the answer.
    score = direct.prebuilt(select(scores.c.net_score).where(by_id))
    # psycopg2 gives timestamps as SQLAlchemy would: nothing to convert.
    dated = direct.prebuilt(select(scores.c.computed_at).where(by_id))

    assert direct.plan_for(POSTGRES, score, {"i": 1}) is None
    assert direct.plan_for(POSTGRES, dated, {"i": 1}) is not None


def test_given_an_insert_whose_only_returning_is_sqlalchemys_own_then_it_goes_through_sqlalchemy():
    events = table_of(ArtifactEvent)
    row = {"artifact_id": "a" * 24, "action": "AUDIT", "user_name": "x", "user_is_admin": False,
           "at": None, "download_id": None}  # fmt: skip
    implicit = direct.prebuilt(insert(events))  # SQLAlchemy reads the new key, answers no rows
    explicit = direct.prebuilt(insert(events).returning(events.c.id))

    assert direct.plan_for(POSTGRES, implicit, row) is None
    assert direct.plan_for(POSTGRES, explicit, row) is not None


def test_given_rows_matched_by_name_or_names_that_collide_then_they_go_through_sqlalchemy():
    scores = table_of(ArtifactScore)
    textual = direct.prebuilt(select(text("1 AS x, 2 AS y")))
    twice = direct.prebuilt(select(scores.c.id.label("a"), scores.c.artifact_id.label("a")))

    assert direct.plan_for(POSTGRES, textual, None) is None
    assert direct.plan_for(POSTGRES, twice, None) is None


def test_given_a_bound_name_the_driver_sees_escaped_then_it_goes_through_sqlalchemy():
    scores = table_of(ArtifactScore)
    dotted = direct.prebuilt(select(scores.c.id).where(scores.c.id == bindparam("a.b")))

    assert direct.plan_for(POSTGRES, dotted, {"a.b": 1}) is None


def test_given_another_postgres_driver_then_it_goes_through_sqlalchemy():
    pg8000: Any = SimpleNamespace(dialect=postgresql.pg8000.dialect())  # positional parameters

    assert direct.plan_for(pg8000, stmts.audit_root(), KEY) is None
