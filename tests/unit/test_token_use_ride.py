"""A read carrying the token's count (`db.token_use`): what may carry it, and how its answer is
taken apart whatever order the database sent the rows in."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from trustreg.db.models import Artifact, table_of
from trustreg.db.repositories import artifact_statements as stmts
from trustreg.db.token_use import may_carry_count, ride


class _Use:
    jti, user_id, needs = "j", 1, "search"

    def __init__(self) -> None:
        self.role: object = "unsettled"

    def settle(self, role: object) -> None:
        self.role = role
        if role is None:
            raise PermissionError("refused")


def test_given_a_read_ordered_by_text_then_it_may_not_carry_the_count():
    a = table_of(Artifact).c
    # Python would put the rows back in code-point order, not in the database's collation.
    with pytest.raises(ValueError, match="integer columns"):
        may_carry_count(select(a.seq, a.name).order_by(a.name))


def test_given_rows_out_of_order_and_the_role_first_then_the_read_comes_back_in_its_order():
    riding = ride(stmts.by_name())  # seq, id, name, type, version ... ordered by seq
    assert riding is not None
    role = (None,) * 5 + (False, "search,upload")
    rows = [
        (3, "c", "n", "model", None, None, None),
        role,
        (1, "a", "n", "model", None, None, None),
    ]
    use = _Use()

    found = riding.unpack(rows, use).all()

    assert use.role == (False, frozenset({"search", "upload"}))
    assert [tuple(r) for r in found] == [(1, "a", "n", "model", None), (3, "c", "n", "model", None)]


def test_given_no_role_row_then_the_call_is_refused_before_any_row_is_given():
    riding = ride(stmts.by_name())
    assert riding is not None
    with pytest.raises(PermissionError):
        riding.unpack([(1, "a", "n", "model", None, None, None)], _Use())
