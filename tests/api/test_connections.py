"""How requests use database connections: none held between units of work, token uses that
stick, transactions that stay atomic next to autocommit reads, dead connections replaced. These
are the behaviours the warm-latency work (docs/performance.md, fix 8) relies on.
"""

from __future__ import annotations

import os

import psycopg2
import pytest
from sqlalchemy.engine import make_url

from tests.support.api_client import ApiClient
from tests.support.packages import upload_model
from trustreg.config import reset_settings
from trustreg.db import engine as engine_module
from trustreg.db.engine import get_engine
from trustreg.db.uow import unit_of_work

MISSING = "0" * 24


def test_a_sensitive_check_runs_while_the_request_holds_no_connection(api, monkeypatch):
    """Checks may take seconds; holding a pooled connection through them would starve others."""
    from trustreg.services import downloads

    held: list[int] = []

    def check(*_args):
        held.append(get_engine().pool.checkedout())
        return True, ""

    monkeypatch.setattr(downloads, "_check_sensitive", check)
    model_id = upload_model(api, "checked")
    assert api.get(f"/artifacts/model/{model_id}/download?format=json").status == 200
    assert held == [0]


def test_a_call_refused_after_authentication_still_spends_a_token_use(database, monkeypatch):
    monkeypatch.setenv("TOKEN_MAX_USES", "3")
    reset_settings()
    try:
        client = ApiClient()
        client.login()
        statuses = [client.get(f"/artifacts/model/{MISSING}").status for _ in range(4)]
    finally:
        monkeypatch.delenv("TOKEN_MAX_USES")
        reset_settings()
    assert statuses == [404, 404, 404, 403]


def _names() -> set[str]:
    with unit_of_work(autocommit=True) as uow:
        return {u.name for u in uow.users.list()}


def test_a_unit_of_work_nested_in_another_commits_on_its_own(database):
    """(The outer unit only reads: SQLite allows one writer, so nested writers would wait.)"""
    with pytest.raises(RuntimeError), unit_of_work() as outer:
        assert outer.users.by_name("inner-user") is None
        with unit_of_work() as inner:
            inner.users.create("inner-user", "x", False, [])
        raise RuntimeError("the outer unit fails after the inner one committed")
    assert "inner-user" in _names()


def test_a_transaction_stays_atomic_around_autocommit_units(database):
    """An autocommit read before, or nested inside, a transaction must not make it autocommit."""
    with unit_of_work(autocommit=True) as before:
        before.users.list()
    with pytest.raises(RuntimeError), unit_of_work() as outer:
        with unit_of_work(autocommit=True) as nested:  # opened before the outer one's first query
            nested.users.list()
        outer.users.create("first-half", "x", False, [])
        outer.users.create("second-half", "x", False, [])
        raise RuntimeError("the transaction fails after two writes")
    assert not {"first-half", "second-half"} & _names()


def _drop_other_connections() -> None:
    url = make_url(os.environ["DATABASE_URL"])
    admin = psycopg2.connect(host=url.host, port=url.port, user=url.username, dbname=url.database)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    admin.close()


@pytest.mark.parametrize("database", ["postgres"], indirect=True)
def test_given_the_server_dropped_an_idle_connection_then_the_next_call_succeeds(api, monkeypatch):
    monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_S", 0.0)
    assert api.post("/artifacts", [{"name": "*"}]).status == 200
    _drop_other_connections()
    assert api.post("/artifacts", [{"name": "*"}]).status == 200


@pytest.mark.parametrize("database", ["postgres"], indirect=True)
def test_a_connection_dropped_within_the_ping_interval_fails_one_call_with_503(api, monkeypatch):
    """The trade-off of pinging only idle connections: one 503, then the pool recovers."""
    monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_S", 3600.0)
    assert api.post("/artifacts", [{"name": "*"}]).status == 200
    _drop_other_connections()
    first = api.post("/artifacts", [{"name": "*"}])
    assert first.status == 503
    assert "database" in first.message
    assert api.post("/artifacts", [{"name": "*"}]).status == 200
