"""The statements built once run on the driver's cursor on PostgreSQL (fix 19 in
docs/performance.md): the same rows, under the same names, as through SQLAlchemy, and the same
errors. On SQLite they run through SQLAlchemy, so the comparison there checks the fallback."""

from __future__ import annotations

from typing import Any

import jwt
import pytest
from sqlalchemy import Executable
from sqlalchemy.exc import IntegrityError

from tests.support.packages import upload_model
from trustreg.db import direct
from trustreg.db.engine import autocommit_engine
from trustreg.db.models import utcnow
from trustreg.db.repositories import artifact_statements as stmts
from trustreg.db.repositories.events import _entries, _insert_event
from trustreg.db.repositories.scores import _rated_model
from trustreg.db.token_use import ride, spend_params, spend_statement
from trustreg.timefmt import iso_utc

MISSING = "0" * 24


def _reads(
    database: str, model_id: str, jti: str, user_id: int
) -> dict[str, tuple[Executable, dict[str, Any]]]:
    key = {"aid": model_id, "atype": "model"}
    spend = spend_params(jti, user_id)
    reads = {
        "brief": (stmts.brief_by_id_and_type(), key),
        "lineage root": (stmts.lineage_root(), key),
        "audit root": (stmts.audit_root(), key),
        "rated model": (_rated_model(), key),
        "by name": (stmts.by_name(), {"name": "direct-model", "limit": 10}),
        "page of every name": (stmts.page(((True, False),)), {"after": 0, "limit": 10}),
        "scan": (stmts.scan(False, False), {"after": 0, "limit": 10}),
        "scan with a literal": (
            stmts.scan(True, True),
            {"like": "%DIRECT%", "after": 0, "limit": 10},
        ),
        "audit page": (_entries(), {"aid": model_id, "after": 0, "limit": 10}),
        "token use": (spend_statement(), spend),
    }
    if database == "postgres":  # SQLite cannot run an UPDATE inside a read's WITH
        reads["audit root with the token use"] = (ride(stmts.audit_root()).statement, key | spend)
        reads["rating with the token use"] = (ride(_rated_model()).statement, key | spend)
    return reads


@pytest.fixture
def model(api) -> tuple[str, str, int]:
    model_id = upload_model(api, "direct-model")
    assert api.get(f"/artifact/model/{model_id}/audit").status == 200  # an AUDIT entry too
    raw = api.token.split(" ", 1)[1]
    claims = jwt.decode(raw, options={"verify_signature": False})
    return model_id, claims["jti"], int(claims["sub"])


def test_given_each_read_built_once_then_its_rows_and_names_match_sqlalchemys(database, model):
    with autocommit_engine().connect() as conn:
        for label, (statement, params) in _reads(database, *model).items():
            ours = direct.execute(conn, statement, params)
            theirs = conn.execute(statement, params)
            keys, rows = list(ours.keys()), [tuple(r) for r in ours.all()]
            want_keys, want_rows = list(theirs.keys()), [tuple(r) for r in theirs.all()]
            assert keys == want_keys, label
            assert rows == want_rows, label
            assert rows, f"{label} read nothing, which would prove nothing"


def test_given_postgres_then_the_reads_built_once_take_the_cursor_path(database, model):
    with autocommit_engine().connect() as conn:
        taken = {
            label
            for label, (statement, params) in _reads(database, *model).items()
            if direct.plan_for(conn, statement, params) is not None
        }
    assert taken == (set(_reads(database, *model)) if database == "postgres" else set())


def test_given_an_entry_for_a_missing_artifact_then_the_cursor_path_raises_integrity_error(
    database, model
):
    entry = {
        "artifact_id": MISSING,
        "action": "AUDIT",
        "user_name": "someone",
        "user_is_admin": False,
        "at": utcnow(),
        "download_id": None,
    }
    with autocommit_engine().connect() as conn, pytest.raises(IntegrityError):
        direct.execute(conn, _insert_event(), entry)


def test_given_an_entry_written_on_the_cursor_path_then_its_flag_and_date_read_back(
    database, model
):
    model_id = model[0]
    entry = {
        "artifact_id": model_id,
        "action": "RATE",
        "user_name": "someone",
        "user_is_admin": 1,  # converted by the column's Boolean type, as SQLAlchemy does
        "at": utcnow(),
        "download_id": None,
    }
    with autocommit_engine().connect() as conn:
        direct.execute(conn, _insert_event(), entry)
        rows = conn.execute(_entries(), {"aid": model_id, "after": 0, "limit": 100}).all()
    assert [(r.user_name, r.user_is_admin, r.action) for r in rows][-1] == (
        "someone",
        True,
        "RATE",
    )
    assert rows[-1].date == iso_utc(entry["at"])
