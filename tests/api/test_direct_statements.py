"""The statements built once run on the driver's cursor on PostgreSQL (fix 19 in
docs/performance.md): the same rows, under the same names, as through SQLAlchemy, and the same
errors. On SQLite they run through SQLAlchemy, so the comparison there checks the fallback."""

from __future__ import annotations

import json
from typing import Any

import jwt
import pytest
from sqlalchemy import Executable, select
from sqlalchemy.exc import IntegrityError

from tests.support.packages import upload_model
from trustreg.db import direct
from trustreg.db.engine import autocommit_engine
from trustreg.db.models import ArtifactEvent, utcnow
from trustreg.db.repositories import artifact_statements as stmts
from trustreg.db.repositories.events import (
    _entries,
    _first_page_recording,
    _insert_event,
    entry_params,
)
from trustreg.db.repositories.scores import _rated_model
from trustreg.db.token_use import ride, spend_params, spend_statement
from trustreg.timefmt import iso_utc

MISSING = "0" * 24


def _reads(
    database: str, model_id: str, jti: str, user_id: int
) -> dict[str, tuple[Executable, dict[str, Any]]]:
    key = {"aid": model_id, "atype": "model"}
    spend = spend_params(jti, user_id, "search")
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
        # Each run writes a RATE entry as well; both paths answer alike all the same.
        recording = ride(_rated_model(recording=True)).statement
        reads["rating with the use and its entry"] = (recording, key | spend | entry_params("x"))
        # The page itself would hold the entry the other path wrote just before: read past it.
        trail = ride(_first_page_recording()).statement
        page = key | {"after": 2**31 - 1, "limit": 10} | spend | entry_params("x")
        reads["audit page with the use and its entry"] = (trail, page)
    return reads


@pytest.fixture
def model(api) -> tuple[str, str, int]:
    model_id = upload_model(api, "direct-model")
    assert api.get(f"/artifact/model/{model_id}/audit").status == 200  # an AUDIT entry too
    raw = api.token.split(" ", 1)[1]
    claims = jwt.decode(raw, options={"verify_signature": False})
    return model_id, claims["jti"], int(claims["sub"])


def _typed(rows: Any) -> list[list[tuple[type, Any]]]:
    """Rows as (type, value) pairs: True == 1 and 1.0 == 1, but an API answer shows the type."""
    return [[(type(v), v) for v in row] for row in rows]


def _unwritten(rows: Any) -> list[tuple[Any, ...]]:
    """Rows without the id and date of an entry each run writes (two runs write two)."""
    return [
        (*row[:7], row[7] and "new entry", row[8] and _undated(row[8]), *row[9:])
        if len(row) == 12  # the audit page's: 7 of the artifact, 3 of an entry, 2 of the role
        else tuple(row)
        for row in rows
    ]


def _undated(entry: str) -> str:
    """An entry's JSON without its date (user, is_admin and action still compared)."""
    return json.dumps({k: v for k, v in json.loads(entry).items() if k != "date"})


def _entry(artifact_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "artifact_id": artifact_id,
        "action": "RATE",
        "user_name": "someone",
        "user_is_admin": False,
        "at": utcnow(),
        "download_id": None,
    } | fields


def test_given_each_read_built_once_then_its_rows_names_and_types_match_sqlalchemys(
    database, model
):
    with autocommit_engine().connect() as conn:
        for label, (statement, params) in _reads(database, *model).items():
            ours = direct.execute(conn, statement, params)
            raw = direct.execute_rows(conn, statement, params)  # the rows a ride unpacks
            theirs = conn.execute(statement, params)
            keys, rows = list(ours.keys()), _typed(_unwritten(ours.all()))
            assert keys == list(theirs.keys()), label
            assert rows == _typed(_unwritten(theirs.all())) == _typed(_unwritten(raw)), label
            assert rows, f"{label} read nothing, which would prove nothing"


def test_given_an_entry_then_both_paths_answer_its_new_id_alike(database, model):
    with autocommit_engine().connect() as conn:
        ours = direct.execute(conn, _insert_event(), _entry(model[0]))
        theirs = conn.execute(_insert_event(), _entry(model[0]))
        assert list(ours.keys()) == list(theirs.keys()) == ["id"]
        (mine,), (other,) = ours.all(), theirs.all()
    assert type(mine[0]) is type(other[0]) is int
    assert other[0] == mine[0] + 1


def test_given_postgres_then_the_statements_built_once_take_the_cursor_path(database, model):
    with autocommit_engine().connect() as conn:
        taken = {
            label
            for label, (statement, params) in _reads(database, *model).items()
            if direct.plan_for(conn, statement, params) is not None
        }
        entry_taken = direct.plan_for(conn, _insert_event(), _entry(model[0])) is not None
    on_postgres = database == "postgres"
    assert taken == (set(_reads(database, *model)) if on_postgres else set())
    assert entry_taken is on_postgres


def test_given_postgres_then_hot_requests_send_nothing_through_sqlalchemys_execute(
    database, api, model
):
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    sent: list[str] = []

    def seen(conn: Any, clause: Any, *_args: Any) -> None:
        text = str(clause.compile(dialect=conn.dialect))
        if "system_health_metrics" not in text:  # the metrics flush is an ORM write, not hot
            sent.append(text.split()[0])

    model_id = model[0]
    event.listen(Engine, "before_execute", seen)
    try:
        for path in (
            f"/artifacts/model/{model_id}",
            f"/artifact/model/{model_id}/rate",
            f"/artifact/model/{model_id}/audit",
            "/artifact/byName/direct-model",
        ):
            assert api.get(path).status == 200, path
        assert api.post("/artifacts", [{"name": "*"}]).status == 200
    finally:
        event.remove(Engine, "before_execute", seen)
    assert (sent == []) is (database == "postgres"), sent


@pytest.mark.parametrize("ending", ["commit", "rollback"])
def test_given_a_transaction_then_an_entry_on_the_cursor_path_ends_with_it(database, model, ending):
    from trustreg.db.engine import get_engine

    marker = f"{ending}-writer"
    with get_engine().connect() as conn:  # nothing begun yet: the first statement begins
        direct.execute(conn, _insert_event(), _entry(model[0], user_name=marker))
        getattr(conn, ending)()
    with autocommit_engine().connect() as conn:
        rows = conn.execute(_entries(), {"aid": model[0], "after": 0, "limit": 1000}).all()
    assert (marker in {json.loads(r.rendered)["user"]["name"] for r in rows}) is (
        ending == "commit"
    )


def test_given_an_entry_for_a_missing_artifact_then_the_cursor_path_raises_integrity_error(
    database, model
):
    with autocommit_engine().connect() as conn:
        with pytest.raises(IntegrityError):
            direct.execute(conn, _insert_event(), _entry(MISSING, action="AUDIT"))
        conn.rollback()
        assert not conn.invalidated  # a refused row is not a broken connection
        again = direct.execute(
            conn, stmts.brief_by_id_and_type(), {"aid": model[0], "atype": "model"}
        )
        assert [r.id for r in again.all()] == [model[0]]


def test_given_an_entry_written_on_the_cursor_path_then_its_flag_and_date_read_back(
    database, model
):
    model_id = model[0]
    entry = _entry(model_id, user_is_admin=1)  # converted by the column's Boolean type
    with autocommit_engine().connect() as conn:
        direct.execute(conn, _insert_event(), entry)
        e = ArtifactEvent  # the text the insert stored, not the read's fallback
        last = conn.execute(select(e.rendered).order_by(e.id.desc()).limit(1)).scalar_one()
    assert json.loads(last) == {
        "user": {"name": "someone", "is_admin": True},
        "date": iso_utc(entry["at"]),
        "action": "RATE",
    }


def test_given_a_transaction_failed_by_a_statement_then_both_paths_answer_the_next_one_alike(
    database, model
):
    from trustreg.db.engine import get_engine

    def next_after_failure(run: Any) -> str:
        with get_engine().connect() as conn:
            with pytest.raises(IntegrityError):
                run(conn, _insert_event(), _entry(MISSING))
            try:
                run(conn, stmts.brief_by_id_and_type(), {"aid": model[0], "atype": "model"})
            except Exception as exc:  # noqa: BLE001 - the type is what is compared
                return type(exc).__name__
            return "answered"

    via_sqlalchemy = next_after_failure(lambda conn, s, p: conn.execute(s, p))
    assert next_after_failure(direct.execute) == via_sqlalchemy
