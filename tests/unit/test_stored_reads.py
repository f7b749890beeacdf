"""Kept reads (`db/stored.py`): the SQL a function runs and the call that runs it, and which
statements are kept."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import Boolean, Integer, bindparam, literal, select, true
from sqlalchemy.dialects import postgresql

from trustreg.db import stored, token_use
from trustreg.db.models import AuthToken, table_of
from trustreg.db.repositories import artifact_statements as stmts
from trustreg.db.token_use import ride

_DIALECT = postgresql.psycopg2.dialect()


def test_given_sql_then_each_parameter_is_one_positional_argument_in_order_of_first_use():
    sql = "SELECT a FROM t WHERE b = %(x)s AND c = %(y)s OR d = %(x)s LIMIT %(limit)s"
    function = stored.function_for(sql)
    assert function.params == ("x", "y", "limit")
    assert function.body == "SELECT a FROM t WHERE b = $1 AND c = $2 OR d = $1 LIMIT $3"
    assert function.call == stored.CALLING + function.name[len(stored.PREFIX) :] + (
        "(%(x)s, %(y)s, %(limit)s)"
    )


def test_given_a_literal_percent_then_the_body_has_it_once():
    # psycopg2's SQL doubles a literal '%'; the function's body is not interpolated.
    function = stored.function_for("SELECT a FROM t WHERE a LIKE 'x%%' AND b = %(b)s")
    assert function.body == "SELECT a FROM t WHERE a LIKE 'x%' AND b = $1"


def test_given_a_doubled_percent_before_a_parenthesis_then_it_is_not_read_as_a_parameter():
    function = stored.function_for("SELECT a FROM t WHERE a LIKE '%%(x)s' AND b = %(b)s")
    assert function.params == ("b",)
    assert function.body == "SELECT a FROM t WHERE a LIKE '%(x)s' AND b = $1"


def test_given_two_statements_then_their_functions_are_named_by_their_sql():
    one = stored.function_for("SELECT 1 WHERE %(a)s")
    assert stored.function_for("SELECT 1 WHERE %(a)s").name == one.name
    assert stored.function_for("SELECT 2 WHERE %(a)s").name != one.name
    assert one.name.startswith(stored.PREFIX) and len(one.name) <= 63  # a PostgreSQL name


def test_given_sql_quoting_like_the_body_then_it_is_refused():
    with pytest.raises(ValueError, match="may not contain"):
        stored.function_for("SELECT '$read$'")


def test_given_a_read_built_from_a_kept_one_then_it_is_kept_only_if_marked_itself():
    assert stored.kept_when_riding(stmts.audit_root())  # marked, and registered
    derived = ride(stmts.brief_by_id_and_type().add_columns(literal(1).label("one")))
    assert derived is not None and not stored.is_kept(derived.statement)


def test_given_a_kept_read_then_only_its_form_carrying_the_count_runs_as_a_function():
    read = stmts.brief_by_id_and_type()
    riding = ride(read)
    assert riding is not None
    # The plain read runs only once the count was taken: it is not installed, so not called.
    assert not stored.is_kept(read) and stored.is_kept(riding.statement)


def test_given_a_read_that_is_not_kept_then_its_form_carrying_the_count_is_sent_as_text():
    # A listing of several queries: its shapes are too many to install.
    riding = ride(stmts.page(((False, False), (True, False))))
    assert riding is not None and not stored.is_kept(riding.statement)


def test_given_the_registered_reads_then_reads_by_a_shared_value_are_planned_per_call():
    reads = stored.kept_reads()
    assert reads and all(stored.kept_when_riding(r) for r in reads)
    # A range of the registry's order, or one row by a unique key: one plan fits.
    for read in (stmts.page(((True, False),)), stmts.scan(False, False), stmts.audit_root()):
        assert read in reads and not stored.replanned(read)
    # By a value many rows may share, or a pattern: one plan would fit only the average.
    shared = (stmts.by_name(), stmts.page(((False, False),)), stmts.lineage_root())
    for read in (*shared, stmts.scan(True, False), stmts.scan(True, True)):
        assert read in reads and stored.replanned(read)


def _function_of(read: Any) -> stored.Stored:
    riding = ride(read)
    assert riding is not None
    function = stored.function_of(riding.statement, riding.statement.compile(dialect=_DIALECT))
    assert function is not None
    return function


def test_given_a_read_planned_per_call_then_its_function_reads_then_counts_with_one_numbering():
    function = _function_of(stmts.scan(True, False))
    read, switch, count = function.code.split(";\n")
    assert "force_custom_plan" in function.source
    assert "artifacts" in read and "auth_tokens" not in read
    assert "UPDATE auth_tokens" in count and "plan_cache_mode" in switch
    # Both parts number the parameters as the call passes them, whatever each part, compiled
    # alone, named its anonymous binds.
    position = {name: f"${i}" for i, name in enumerate(function.params, start=1)}
    assert f"LIKE {position['like']} ESCAPE" in read
    assert f"artifacts.seq > {position['after']}" in read
    assert f"auth_tokens.jti = {position['spend_jti']}" in count
    assert not re.search(r"%\(", function.code)


def test_given_the_same_code_kept_and_planned_per_call_then_two_functions_by_name():
    function = _function_of(stmts.scan(True, False))
    p, body, code = function.params, function.body, function.code
    assert stored._stored(p, body, code, plans_per_call=False).name != function.name
    assert _function_of(stmts.scan(True, False)).name == function.name  # and stable


def test_given_an_anonymous_bind_named_like_the_counts_then_each_part_passes_its_own_value():
    # Compiled alone, each part names its anonymous binds afresh: here both would be `uses_1`,
    # where the whole statement names them `uses_1` and `uses_2`.
    tokens = table_of(AuthToken)
    read = select(tokens.c.user_id).where(tokens.c.uses > 5)
    read = stored.keep(token_use.may_carry_count(read), replan=True)
    riding = ride(read)
    assert riding is not None
    compiled = riding.statement.compile(dialect=_DIALECT)
    function = stored.function_of(riding.statement, compiled)
    assert function is not None
    values = compiled.construct_params(_check=False)
    read_part, _switch, count_part = function.code.split(";\n")
    (read_bind,) = re.findall(r"auth_tokens.uses > \$(\d+)", read_part)
    (count_bind,) = re.findall(r"auth_tokens.uses \+ \$(\d+)", count_part)
    assert values[function.params[int(read_bind) - 1]] == 5
    assert values[function.params[int(count_bind) - 1]] == 1


def test_given_a_read_writing_with_the_count_then_it_cannot_be_planned_per_call():
    from trustreg.db.repositories import events

    # The count would run twice: in the read, which writes only when the count allows it,
    # and after it.
    recorded = events.entry_riding_count("AUDIT", stmts.audit_root().cte("root"), true())
    read = stored.keep(token_use.may_carry_count(select(*recorded.c)), replan=True)
    with pytest.raises(ValueError, match="may not write with the count"):
        ride(read)


def test_given_a_boolean_postgresql_would_take_as_text_then_installing_refuses_it():
    function = stored.function_for("SELECT %(flag)s")
    binds = {"flag": bindparam("flag", type_=Boolean)}
    with pytest.raises(ValueError, match="bound as bool, but PostgreSQL takes it as text"):
        stored._check_parameters(function, ["text"], binds)
    stored._check_parameters(function, ["boolean"], binds)  # taken as it is sent: accepted


@pytest.mark.parametrize(
    ("bound", "taken_as", "refusal"),
    [
        (bindparam("n", type_=Integer), "smallint", "bound as int"),  # an int is sent as integer
        (bindparam("n"), "text", "has no type"),  # nothing says what is sent
    ],
)
def test_given_a_parameter_a_call_could_not_pass_then_installing_refuses_it(
    bound, taken_as, refusal
):
    with pytest.raises(ValueError, match=refusal):
        stored._check_parameters(stored.function_for("SELECT %(n)s"), [taken_as], {"n": bound})
