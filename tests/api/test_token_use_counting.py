"""Reads that count the token's use with their first database read (route flag
`count_use_with_first_read`): every call still counts exactly one use, a refused token or a
missing permission still answers first, and no refused caller sees data."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import jwt
import pytest
from sqlalchemy import Text, event, func, select, text, update

from tests.api.test_accounts import login_as, register
from tests.api.test_token_limits import _with_env
from tests.support.api_client import ApiClient
from tests.support.packages import upload_model
from trustreg.db import stored
from trustreg.db.engine import autocommit_engine, get_engine
from trustreg.db.models import AuthToken
from trustreg.routes import ROUTES, route_for


def _jti(client: ApiClient) -> str:
    raw = client.token.split(" ", 1)[1]
    return str(jwt.decode(raw, options={"verify_signature": False})["jti"])


def _uses(client: ApiClient) -> int:
    with get_engine().connect() as conn:
        return int(conn.scalar(select(AuthToken.uses).where(AuthToken.jti == _jti(client))))


def _calls(model_id: str) -> dict[str, tuple[str, str, object]]:
    return {
        "artifacts_list": ("POST", "/artifacts", [{"name": "*"}]),
        "artifact_get": ("GET", f"/artifacts/model/{model_id}", None),
        "artifact_by_name": ("GET", "/artifact/byName/counted", None),
        "artifact_by_regex": ("POST", "/artifact/byRegEx", {"regex": "count"}),
        "model_rate": ("GET", f"/artifact/model/{model_id}/rate", None),
        "artifact_cost": ("GET", f"/artifact/model/{model_id}/cost", None),
        "artifact_audit": ("GET", f"/artifact/model/{model_id}/audit", None),
        "model_lineage": ("GET", f"/artifact/model/{model_id}/lineage", None),
    }


def test_given_every_read_that_counts_with_its_first_read_when_called_then_each_call_counts_one_use(
    api: ApiClient,
):
    model_id = upload_model(api, "counted")
    calls = _calls(model_id)
    flagged = {r.function for r in ROUTES if r.count_use_with_first_read}
    assert flagged == set(calls)  # a newly flagged route gets a line here
    for function, (method, path, body) in calls.items():
        before = _uses(api)
        r = api.call(method, path, body)
        assert r.status == 200, (function, r.body)
        assert _uses(api) == before + 1, function


def test_given_reads_that_fail_when_called_then_each_still_counts_one_use(api: ApiClient):
    failing = [
        ("GET", "/artifacts/model/0123456789abcdef01234567", None, 404),
        ("GET", "/artifact/byName/nobody-has-this-name", None, 404),
        ("POST", "/artifact/byRegEx", {"regex": "(unclosed"}, 400),
        ("POST", "/artifacts", {"not": "a list"}, 400),
        ("GET", "/artifact/model/0123456789abcdef01234567/lineage", None, 404),
    ]
    for method, path, body, status in failing:
        before = _uses(api)
        r = api.call(method, path, body)
        assert r.status == status, (path, r.body)
        assert _uses(api) == before + 1, path


def test_given_a_user_without_search_when_reading_an_existing_model_then_403_and_no_data(
    api: ApiClient,
):
    model_id = upload_model(api, "secret-model-name")
    assert register(api, "dora", ["download"]).status == 201
    dora = login_as("dora")
    for method, path, body in _calls(model_id).values():
        before = _uses(dora)
        r = dora.call(method, path, body)
        assert r.status == 403, (path, r.body)
        assert "'search' permission" in r.message
        assert "secret-model-name" not in str(r.body)
        assert _uses(dora) == before + 1, path
    # Rate and audit write their entry in the read's own statement on PostgreSQL: not for her.
    trail = api.get(f"/artifact/model/{model_id}/audit").body
    assert all(e["user"]["name"] != "dora" for e in trail), trail


def test_given_a_user_with_search_when_rating_and_auditing_then_their_entries_say_who(
    api: ApiClient,
):
    model_id = upload_model(api, "watched-model")
    assert register(api, "sam", ["search"]).status == 201
    sam = login_as("sam")
    assert sam.get(f"/artifact/model/{model_id}/rate").status == 200
    mine = sam.get(f"/artifact/model/{model_id}/audit").body
    assert [(e["action"], e["user"]) for e in mine[-2:]] == [
        ("RATE", {"name": "sam", "is_admin": False}),
        ("AUDIT", {"name": "sam", "is_admin": False}),
    ]


def test_given_a_revoked_token_when_reading_a_missing_model_or_a_bad_regex_then_403_first(
    api: ApiClient,
):
    with get_engine().begin() as conn:
        conn.execute(update(AuthToken).where(AuthToken.jti == _jti(api)).values(revoked=True))
    missing = api.get("/artifacts/model/0123456789abcdef01234567")
    bad = api.post("/artifact/byRegEx", {"regex": "(unclosed"})
    for r in (missing, bad):
        assert r.status == 403 and "not valid" in r.message, r.body


def test_given_a_used_up_token_when_reading_then_403_says_used_up(database):
    with _with_env(TOKEN_MAX_USES="2"):
        client = ApiClient()
        client.login()
        statuses = [client.post("/artifacts", [{"name": "*"}]) for _ in range(3)]
    assert [r.status for r in statuses] == [200, 200, 403]
    assert "maximum number of calls" in statuses[-1].message


def test_given_concurrent_reads_at_the_boundary_then_exactly_max_uses_succeed(database):
    with _with_env(TOKEN_MAX_USES="20"):
        client = ApiClient()
        client.login()
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(
                pool.map(lambda _: client.post("/artifacts", [{"name": "*"}]).status, range(40))
            )
    assert statuses.count(200) == 20
    assert statuses.count(403) == 20


def test_given_a_handler_that_asks_for_the_role_before_reading_then_one_use_is_counted(
    api: ApiClient,
):
    from trustreg.db.uow import unit_of_work
    from trustreg.services.sessions import Caller

    before = _uses(api)
    call = Caller(api.token, route_for("artifact_get"))
    pool = autocommit_engine().pool
    held: list[int] = []

    def checked_out(*_args):
        held.append(pool.checkedout())

    event.listen(pool, "checkout", checked_out)
    try:
        with call.counting(), unit_of_work(autocommit=True) as uow:
            assert call.principal.is_admin  # counted here, inside the open unit
            assert uow.artifacts.by_name("nobody", 10) == []
    finally:
        event.remove(pool, "checkout", checked_out)
    assert _uses(api) == before + 1
    assert max(held) == 1, held  # on the unit's own connection, never a second one at once


def test_given_a_handler_that_never_reads_then_its_use_is_counted_at_the_end(api: ApiClient):
    from trustreg.services.sessions import Caller

    before = _uses(api)
    call = Caller(api.token, route_for("artifact_get"))
    with call.counting():
        pass
    assert _uses(api) == before + 1


def test_given_a_refused_call_whose_handler_goes_on_then_every_later_statement_is_refused(
    api: ApiClient,
):
    from trustreg.db import token_use
    from trustreg.db.uow import unit_of_work
    from trustreg.errors import Forbidden
    from trustreg.services.sessions import Caller

    model_id = upload_model(api, "guarded")
    with get_engine().begin() as conn:
        conn.execute(update(AuthToken).where(AuthToken.jti == _jti(api)).values(revoked=True))
    call = Caller(api.token, route_for("artifact_get"))
    outcomes = []
    with token_use.pending_use(call):  # as `counting` runs a handler, without its final word
        for autocommit in (True, True, False):  # a handler that swallows each refusal
            try:
                with unit_of_work(autocommit=autocommit) as uow:
                    outcomes.append(uow.artifacts.brief(model_id, "model"))
                    uow.events.add(model_id, "AUDIT", "intruder", False)
            except Forbidden:
                outcomes.append("refused")
    assert outcomes == ["refused"] * 3
    with get_engine().connect() as conn:
        trail = conn.exec_driver_sql("SELECT user_name FROM artifact_events").scalars().all()
    assert "intruder" not in trail


def _statements_of(call, every: bool = False) -> list[str]:
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = autocommit_engine()
    event.listen(engine, "before_cursor_execute", seen)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    statements = [_as_run(s) for s in statements]
    if every:  # all but the metrics a request flushes on its way out
        return [s for s in statements if "system_health_metrics" not in s]
    return [s for s in statements if "auth_tokens" in s or "FROM artifacts" in s]


def _as_run(statement: str) -> str:
    """The SQL the database ran for a statement sent: a kept read's function call stands for
    the statement installed as its body (trustreg.db.stored)."""
    if not statement.startswith(stored.CALLING):
        return statement
    name = statement.split()[3].split("(")[0]
    with get_engine().connect() as conn:
        body = conn.scalar(text("SELECT prosrc FROM pg_proc WHERE proname = :n"), {"n": name})
    assert body, f"{name} is called but not installed"
    return str(body)


# SQLite cannot UPDATE inside a read's WITH: it counts beside the read (the tests above).
@pytest.mark.parametrize("database", ["postgres"], indirect=True)
def test_given_postgresql_when_reading_then_the_count_rides_in_the_read_statement(api: ApiClient):
    model_id = upload_model(api, "one-trip")
    for call in (
        lambda: api.get(f"/artifacts/model/{model_id}"),
        lambda: api.post("/artifacts", [{"name": "*"}]),
        lambda: api.post("/artifacts", [{"name": "*", "types": ["model"]}]),  # through SQLAlchemy
        lambda: api.get("/artifact/byName/one-trip"),
        lambda: api.post("/artifact/byRegEx", {"regex": "one-t"}),
    ):
        before = _uses(api)
        statements = _statements_of(call)
        assert _uses(api) == before + 1
        # One statement answered both: no UPDATE of the token on its own before the read.
        assert len(statements) == 1 and "UPDATE auth_tokens" in statements[0], statements


@pytest.mark.parametrize("database", ["postgres"], indirect=True)
def test_given_postgresql_when_rating_or_auditing_then_one_statement_reads_counts_and_records(
    api: ApiClient,
):
    model_id = upload_model(api, "recorded-trip")
    trail = api.get(f"/artifact/model/{model_id}/audit").body
    for path in ("rate", "audit"):
        before = _uses(api)
        statements = _statements_of(lambda p=path: api.get(f"/artifact/model/{model_id}/{p}"), True)
        assert _uses(api) == before + 1
        assert len(statements) == 1, statements
        assert (
            "UPDATE auth_tokens" in statements[0] and "INSERT INTO artifact_events" in statements[0]
        )
    listed = api.get(f"/artifact/model/{model_id}/audit").body
    assert [e["action"] for e in listed[len(trail) :]] == ["RATE", "AUDIT", "AUDIT"]


@pytest.mark.parametrize("database", ["postgres"], indirect=True)
def test_given_a_slow_read_carrying_the_count_then_the_token_is_not_locked_while_it_runs(
    api: ApiClient,
):
    # Calls sharing a token must not queue behind a long scan that carries one of their counts.
    from trustreg.db import direct, token_use
    from trustreg.db.session import unit_db
    from trustreg.services.sessions import Caller

    slow = direct.prebuilt(
        token_use.may_carry_count(select(func.pg_sleep(0.6).cast(Text).label("slept")))
    )
    call = Caller(api.token, route_for("artifacts_list"))
    before = _uses(api)

    def read() -> list[object]:
        with token_use.pending_use(call), unit_db(autocommit=True) as db:
            return list(db.run(slow).all())

    with ThreadPoolExecutor(max_workers=1) as pool:
        reading = pool.submit(read)
        with get_engine().connect() as other:
            while not other.scalar(  # until the slow read is running
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(%'"
                    " AND state = 'active' AND pid <> pg_backend_pid()"
                )
            ):
                assert not reading.done(), reading.result()
            other.execute(text("SET lock_timeout = '200ms'"))
            # Another call of the same token counts its use meanwhile, without waiting.
            other.execute(
                update(AuthToken).where(AuthToken.jti == _jti(api)).values(uses=AuthToken.uses + 1)
            )
            other.commit()
        rows = reading.result()
    assert rows == [("",)]
    assert call.principal.is_admin
    assert _uses(api) == before + 2


@pytest.mark.parametrize("why", ["revoked", "used up"])
def test_given_a_dead_token_when_rating_or_auditing_then_403_and_no_entry(api: ApiClient, why):
    model_id = upload_model(api, "guarded-trail")
    assert register(api, "rik", ["search"]).status == 201
    rik = login_as("rik")
    dead = {"revoked": {"revoked": True}, "used up": {"uses": AuthToken.max_uses}}[why]
    with get_engine().begin() as conn:
        conn.execute(update(AuthToken).where(AuthToken.jti == _jti(rik)).values(**dead))
    for path in ("rate", "audit"):
        r = rik.get(f"/artifact/model/{model_id}/{path}")
        assert r.status == 403, (path, r.body)
    trail = api.get(f"/artifact/model/{model_id}/audit").body
    assert all(e["user"]["name"] != "rik" for e in trail), trail


def test_given_concurrent_rates_and_audits_at_the_boundary_then_one_entry_per_answered_call(
    api: ApiClient,
):
    model_id = upload_model(api, "busy-trail")
    with _with_env(TOKEN_MAX_USES="12"):
        assert register(api, "ann", ["search"]).status == 201
        ann = login_as("ann")
        paths = [f"/artifact/model/{model_id}/{p}" for p in ("rate", "audit") * 12]
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(lambda p: ann.get(p).status, paths))
    assert sorted(set(statuses)) == [200, 403] and statuses.count(200) == 12
    trail = api.get(f"/artifact/model/{model_id}/audit?limit=1000").body
    assert sum(e["user"]["name"] == "ann" for e in trail) == 12


@pytest.mark.parametrize("database", ["postgres"], indirect=True)
def test_given_any_role_then_the_sql_permission_rule_agrees_with_authorize(api: ApiClient):
    # The rule an entry riding with the count is written under (`token_use.spender_may`).
    from sqlalchemy import Boolean as B
    from sqlalchemy import Text as T
    from sqlalchemy import literal_column, values

    from trustreg.auth.principal import Principal, authorize, permission_needed
    from trustreg.db.token_use import spender_may
    from trustreg.errors import RegistryError

    roles = [
        (admin, perms)
        for admin in (False, True)
        for perms in ("", "search", "download", "download,search,upload", "searching")
    ]
    for route in ROUTES:
        needs = permission_needed(route)
        if needs is None:
            continue
        rows = values(literal_column("is_admin", B), literal_column("permissions", T), name="t")
        spend = rows.data(roles).cte("token_spend")
        with get_engine().connect() as conn:
            in_sql = conn.execute(
                select(spend.c.is_admin, spend.c.permissions, spender_may(spend)),
                {"spend_needs": needs},
            ).all()
        for is_admin, perms, allowed in in_sql:
            principal = Principal(
                1, "x", "j", (is_admin, frozenset(perms.split(",") if perms else ()))
            )
            try:
                authorize(principal, route)
                expected = True
            except RegistryError:
                expected = False
            assert allowed is expected, (route.function, is_admin, perms)
