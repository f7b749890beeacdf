"""Kept reads (`db/stored.py`): the SQL a function runs and the call that runs it, and which
statements are kept."""

from __future__ import annotations

import pytest
from sqlalchemy import Boolean, Integer, bindparam

from trustreg.db import stored
from trustreg.db.repositories import artifact_statements as stmts
from trustreg.db.token_use import ride


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
    lineage = ride(stmts.lineage_root())  # built from the same kept read, not marked
    assert lineage is not None and not stored.is_kept(lineage.statement)


def test_given_a_kept_read_then_only_its_form_carrying_the_count_runs_as_a_function():
    read = stmts.brief_by_id_and_type()
    riding = ride(read)
    assert riding is not None
    # The plain read runs only once the count was taken: it is not installed, so not called.
    assert not stored.is_kept(read) and stored.is_kept(riding.statement)


def test_given_a_read_that_is_not_kept_then_its_form_carrying_the_count_is_sent_as_text():
    riding = ride(stmts.scan(True, False))  # one plan for every pattern would not fit
    assert riding is not None and not stored.is_kept(riding.statement)


def test_given_the_registered_reads_then_each_is_kept_and_those_by_a_shared_value_are_not():
    reads = stored.kept_reads()
    assert reads and all(stored.kept_when_riding(r) for r in reads)
    assert stmts.page(((True, False),)) in reads  # every artifact: a range of the order
    # Looked up by a value many rows may share: one plan would fit only the average.
    for read in (stmts.by_name(), stmts.page(((False, False),)), stmts.lineage_root()):
        assert read not in reads and not stored.kept_when_riding(read)


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
