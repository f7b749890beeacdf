"""Kept reads on PostgreSQL (`db/stored.py`, fix 22 in docs/performance.md): migrating installs
them as functions, hot calls run them, and a missing one only costs speed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import Integer, bindparam, event, text

from tests.support.database import empty_tables
from tests.support.packages import upload_model
from trustreg.db import stored
from trustreg.db.engine import autocommit_engine, get_engine
from trustreg.db.migrate import upgrade_to_head

pytestmark = pytest.mark.parametrize("database", ["postgres"], indirect=True)


def _installed() -> set[str]:
    with get_engine().connect() as conn:
        like = stored.PREFIX.replace("_", r"\_") + "%"
        rows = conn.execute(text("SELECT proname FROM pg_proc WHERE proname LIKE :p"), {"p": like})
        return {r[0] for r in rows}


def _expected() -> set[str]:
    with get_engine().connect() as conn:
        return {stored.stored_form(conn, read).name for read in stored.kept_reads()}


def _sent(calls: list[Any]) -> list[str]:
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "system_health_metrics" not in statement:
            statements.append(statement)

    engine = autocommit_engine()
    event.listen(engine, "before_cursor_execute", seen)
    try:
        for call in calls:
            assert call().status == 200
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    return statements


def _hot_calls(api: Any, model_id: str) -> list[Any]:
    """Calls whose first read is kept."""
    return [
        lambda: api.get(f"/artifacts/model/{model_id}"),
        lambda: api.get(f"/artifact/model/{model_id}/cost"),
        lambda: api.get(f"/artifact/model/{model_id}/rate"),
        lambda: api.get(f"/artifact/model/{model_id}/audit"),
        lambda: api.get(f"/artifact/model/{model_id}/audit?offset=1"),  # audit_root carries it
        lambda: api.post("/artifacts", [{"name": "*"}]),
        # Planned per call: by a shared value, or a pattern.
        lambda: api.get("/artifact/byName/kept-model"),
        lambda: api.post("/artifacts", [{"name": "kept-model"}]),
        lambda: api.get(f"/artifact/model/{model_id}/lineage"),
        lambda: api.post("/artifact/byRegEx", {"regex": "kept-mod"}),
        lambda: api.post("/artifact/byRegEx", {"regex": "(?i)KEPT-mod"}),
        lambda: api.post("/artifact/byRegEx", {"regex": ".*"}),  # no literal: unfiltered
    ]


def test_given_a_migrated_database_then_every_kept_read_is_installed_and_nothing_else(database):
    assert _installed() == _expected()
    assert len(_expected()) == len(stored.kept_reads())  # one function per read


def test_given_hot_reads_then_each_runs_as_one_call_of_its_function(database, api):
    model_id = upload_model(api, "kept-model")
    calls = _hot_calls(api, model_id)
    sent = _sent(calls)
    # Each call's first statement carries its count: a function call, never the text.
    # (A later audit page reads its entries next, as a plain statement.)
    assert sum(s.startswith(stored.CALLING) for s in sent) == len(calls), sent
    assert not any("auth_tokens" in s for s in sent), sent
    assert stored.found_missing() == frozenset()


def test_given_the_functions_dropped_while_serving_then_calls_answer_alike_as_text(database, api):
    model_id = upload_model(api, "kept-model")
    calls = _hot_calls(api, model_id)
    before = [call().body for call in calls]
    try:
        with get_engine().begin() as conn:
            for name in _installed():
                conn.execute(text(f"DROP FUNCTION {name}"))
        sent = _sent(calls[:1])
        after = [call().body for call in calls]
        # Missing functions are not asked for again: the next call goes straight to the text.
        again = _sent(calls[:1])
    finally:
        upgrade_to_head()
    assert stored.found_missing() == frozenset()  # installing forgets what was missing
    assert _installed() == _expected()
    assert sent[0].startswith(stored.CALLING) and len(sent) == 2, sent
    assert len(again) == 1 and "UPDATE auth_tokens" in again[0], again
    # Rating and auditing write entries, so the trails grow; everything else answers the same.
    for one, other, call in zip(before, after, calls, strict=True):
        if isinstance(one, list) and one and "action" in one[0]:
            assert other[: len(one)] == one
        else:
            assert other == one, call


def test_given_a_function_found_missing_then_it_is_asked_for_again_after_a_while(
    database, api, monkeypatch
):
    # A container that started before the deploy's migration picks the functions up.
    model_id = upload_model(api, "kept-model")
    get = _hot_calls(api, model_id)[:1]
    try:
        with get_engine().begin() as conn:
            for name in _installed():
                conn.execute(text(f"DROP FUNCTION {name}"))
        _sent(get)  # found missing
        with get_engine().begin() as conn:
            stored.install(conn)  # installed meanwhile, as a deploy's migration would
        within = _sent(get)
        monkeypatch.setattr(stored, "RETRY_MISSING_S", 0.0)
        after = _sent(get)
    finally:
        upgrade_to_head()
    assert len(within) == 1 and not within[0].startswith(stored.CALLING), within
    assert len(after) == 1 and after[0].startswith(stored.CALLING), after


def test_given_a_function_that_does_not_take_the_arguments_then_the_call_answers_as_text_and_logs(
    database, api, caplog
):
    model_id = upload_model(api, "kept-model")
    get = _hot_calls(api, model_id)[0]
    expected = get().body
    with autocommit_engine().connect() as conn:
        name = stored.stored_form(conn, stored.kept_reads()[0]).name
    try:
        with get_engine().begin() as conn:
            conn.execute(text(f"DROP FUNCTION {name}"))
            conn.execute(
                text(f"CREATE FUNCTION {name}(a bytea) RETURNS int LANGUAGE sql AS 'SELECT 1'")
            )
        first = _sent([get])
        second = _sent([get])
        answered = get().body
    finally:
        upgrade_to_head()
    assert answered == expected
    # Not taken for missing: every call asks again, and the error log says why it cannot.
    assert first[0].startswith(stored.CALLING) and second[0].startswith(stored.CALLING)
    assert name not in stored.found_missing()
    assert any("does not take these arguments" in r.getMessage() for r in caplog.records)


def test_given_a_stale_function_then_migrating_drops_it_and_keeps_the_current_ones(database):
    with get_engine().begin() as conn:
        conn.execute(
            text(
                f"CREATE FUNCTION {stored.PREFIX}stale(a int) RETURNS int LANGUAGE sql AS 'SELECT a'"
            )
        )
    upgrade_to_head()
    assert _installed() == _expected()


def test_given_a_read_binding_a_bare_boolean_then_installing_it_refuses_and_writes_nothing(
    database, monkeypatch
):
    from sqlalchemy import literal, select

    from trustreg.db.direct import prebuilt
    from trustreg.db.token_use import may_carry_count

    flagged = prebuilt(stored.keep(may_carry_count(select(literal(True).label("flag")))))
    monkeypatch.setattr(stored, "_READS", [*stored._READS, lambda: flagged])
    with get_engine().connect() as conn, conn.begin():
        with pytest.raises(ValueError, match="bound as bool"):
            stored.install(conn)
        # The migration's transaction goes on: the probe was rolled back to its savepoint.
        assert conn.scalar(text("SELECT 1")) == 1
        assert conn.scalar(text("SELECT count(*) FROM pg_prepared_statements")) == 0


def _generic_plan(conn: Any, read: Any, values: dict[str, Any]) -> str:
    """EXPLAIN ANALYZE of the plan a kept read's function makes once for any values."""
    from trustreg.db import direct, token_use

    riding = token_use.ride(read)
    assert riding is not None
    plan = direct.plan_for(conn, riding.statement, None)
    assert plan is not None
    function = stored.stored_form(conn, read)
    given = {**plan.values, **values}
    raw = conn.connection.dbapi_connection
    with raw.cursor() as cur:
        args = ", ".join(cur.mogrify("%s", (given[p],)).decode() for p in function.params)
        cur.execute("SET plan_cache_mode = force_generic_plan")
        try:
            cur.execute(f"PREPARE kept AS {function.body}")
            cur.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) EXECUTE kept({args})")
            return "\n".join(r[0] for r in cur.fetchall())
        finally:
            cur.execute("DEALLOCATE ALL")
            cur.execute("RESET plan_cache_mode")


def test_given_skewed_data_then_each_kept_reads_one_plan_still_reads_a_rare_row_by_key(
    database, api
):
    # A kept read is planned once for any values, from averages. Here one model holds nearly
    # every audit entry and lineage edge, and nearly every artifact shares its name: a plan
    # chosen for the average would walk them all to answer for the rare model.
    from trustreg.db.repositories.events import entry_params
    from trustreg.db.token_use import spend_params

    busy, rare = upload_model(api, "busy-model"), upload_model(api, "rare-model")
    with get_engine().begin() as conn:
        conn.execute(
            text(
                # Without their JSON, as the previous release writes: reads render those.
                "INSERT INTO artifact_events (artifact_id, user_name, user_is_admin, action, at)"
                " SELECT :a, 'someone', false, 'AUDIT', now() FROM generate_series(1, 5000)"
            ),
            {"a": busy},
        )
        conn.execute(
            text(
                "INSERT INTO artifact_lineage (child_id, parent_id, parent_ref, relationship,"
                " source) SELECT :a, :a, 'busy-model', 'base_model', 'card'"
                " FROM generate_series(1, 3000)"
            ),
            {"a": busy},
        )
        conn.execute(
            text(
                "INSERT INTO artifacts (id, name, type, source_url, source_kind, readme, details,"
                " size_bytes, created_at, updated_at)"
                " SELECT md5(i::text), 'busy-model', 'model', 'https://x/' || i, 'upload', '',"
                " '{}', 0, now(), now() FROM generate_series(1, 3000) i"
            )
        )
        conn.execute(text("ANALYZE artifacts, artifact_events, artifact_lineage"))
    values = {"aid": rare, "atype": "model", "after": 0, "limit": 101, "name": "rare-model"}
    # A token that is not there counts nothing, and the reads run all the same.
    values |= {"name0": "rare-model"} | spend_params("no-token", 0, "search") | entry_params("x")
    reads = [r for r in stored.kept_reads() if not stored.replanned(r)]
    try:
        with autocommit_engine().connect() as conn:
            plans = {
                stored.stored_form(conn, r).name: _generic_plan(conn, r, values) for r in reads
            }
    finally:  # statistics outlive the rows: later tests plan from an ordinary registry again
        empty_tables()
        with get_engine().begin() as conn:
            conn.execute(text("ANALYZE artifacts, artifact_events, artifact_lineage"))
    for label, plan in plans.items():
        assert "Seq Scan on artifact" not in plan, (label, plan)
        removed = [int(n) for n in re.findall(r"Rows Removed by Filter: (\d+)", plan)]
        assert sum(removed) < 100, (label, plan)


def _plans_inside(read: Any, values: dict[str, Any]) -> str:
    """The plans of the statements a kept read's function runs, for one call (auto_explain)."""
    from trustreg.db import direct, token_use

    riding = token_use.ride(read)
    assert riding is not None
    with autocommit_engine().connect() as conn:
        plan = direct.plan_for(conn, riding.statement, None)
        assert plan is not None
        function = stored.stored_form(conn, read)
        raw = conn.connection.dbapi_connection
        try:
            with raw.cursor() as cur:
                cur.execute("LOAD 'auto_explain'")
                cur.execute(
                    "SET auto_explain.log_min_duration = 0;"
                    " SET auto_explain.log_nested_statements = on;"
                    " SET auto_explain.log_level = notice; SET client_min_messages = notice"
                )
                raw.notices.clear()
                cur.execute(function.call, {**plan.values, **values})
                cur.fetchall()
                # The function's switch to kept plans ends with it.
                cur.execute("SHOW plan_cache_mode")
                assert cur.fetchone() == ("auto",)
                return "".join(raw.notices)
        finally:
            conn.invalidate()  # the module stays loaded in that server process


def test_given_reads_by_a_shared_value_then_their_function_plans_each_call_for_its_values(
    database, api
):
    # One plan for every name cannot fit both: a name nearly every artifact has is read in the
    # registry's order until the page is full, a rare one is looked up in the name index.
    from trustreg.db.repositories import artifact_statements as stmts
    from trustreg.db.token_use import spend_params

    upload_model(api, "rare-model")
    with get_engine().begin() as conn:
        conn.execute(
            text(
                "INSERT INTO artifacts (id, name, type, source_url, source_kind, readme, details,"
                " size_bytes, created_at, updated_at)"
                " SELECT md5(i::text), 'busy-model', 'model', 'https://x/' || i, 'upload', '',"
                " '{}', 0, now(), now() FROM generate_series(1, 3000) i"
            )
        )
        conn.execute(text("ANALYZE artifacts"))
    values = {"after": 0, "limit": 51} | spend_params("no-token", 0)
    try:
        busy = _plans_inside(stmts.by_name(), values | {"name": "busy-model"})
        rare = _plans_inside(stmts.by_name(), values | {"name": "rare-model"})
        # The card search's separator is a value too: only a plan made for it is one that
        # matches the trigram index's expression.
        search = _plans_inside(stmts.scan(True, False), values | {"like": "%rare-mod%"})
    finally:
        empty_tables()
        with get_engine().begin() as conn:
            conn.execute(text("ANALYZE artifacts"))
    assert "ix_artifacts_name" in rare, rare
    assert "ix_artifacts_name" not in busy and "artifacts_pkey" in busy, busy
    assert "Bitmap Index Scan on ix_artifacts_text_trgm" in search, search
    # The count, after the read, keeps its plan: a generic one, with parameters.
    assert "UPDATE auth_tokens" in rare and "jti)::text = $" in rare, rare


def test_given_a_function_answering_other_columns_than_it_declares_then_installing_fails(
    database,
):
    from psycopg2.errors import DatatypeMismatch

    # PL/pgSQL checks a RETURN QUERY's columns only when it runs: installing runs it once.
    right = stored.function_for("SELECT %(n)s::int AS n")
    wrong = stored._stored(right.params, right.body, "RETURN QUERY SELECT 'text'::text;", False)
    with get_engine().connect() as conn, conn.begin():
        cursor = conn.connection.dbapi_connection.cursor()
        with pytest.raises(DatatypeMismatch):
            stored._create(cursor, wrong, {"n": bindparam("n", type_=Integer)}, None)
        # Nothing is left behind, and the migration's transaction could go on.
        assert conn.scalar(text("SELECT to_regproc(:f)"), {"f": wrong.name}) is None
