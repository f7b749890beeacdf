"""Counting a call's token use in the same round trip as the call's first read.

Every authenticated call counts one use of its token: a conditional UPDATE that also returns the
caller's role. On routes whose handler does nothing before its first database read (the route
table's `count_use_with_first_read`), that UPDATE need not be a round trip of its own: on
PostgreSQL it runs as a data-modifying CTE of the first read when that read is marked with
`may_carry_count`, and the statement answers with the role and the read's rows together (fix 16
in docs/performance.md). The use is settled before anybody sees the rows, so a refused token or
a missing permission still answers first; once refused, every later statement of the call
raises the refusal again.

The statement reads first and counts last (`_rewrite`): the token's row is locked from the
count until the statement commits, so a count taken first would make calls sharing a token queue
behind a slow read carrying it (a regex scan, a page with a rare filter). Everything else
(SQLite, a transaction, a write, the ORM, an unmarked read) counts the use on its own just
before, on the same connection.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from operator import itemgetter
from typing import Any, NamedTuple, Protocol, TypeVar
from typing import cast as cast_as

from sqlalchemy import (
    CTE,
    Boolean,
    ColumnElement,
    CompoundSelect,
    Executable,
    Result,
    Select,
    Text,
    Update,
    any_,
    bindparam,
    cast,
    func,
    null,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.engine.result import IteratorResult, SimpleResultMetaData
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.operators import asc_op, desc_op

from trustreg.auth.principal import Role
from trustreg.db import stored
from trustreg.db.direct import prebuilt
from trustreg.db.models import AuthToken, table_of, utcnow

S = TypeVar("S", bound=Select[Any] | CompoundSelect)


class PendingTokenUse(Protocol):
    """A call's token use that has not been counted yet."""

    jti: str
    user_id: int
    # The permission the call needs unless its caller is an admin; None when it needs none, or
    # an admin. A read that writes as well may carry the count only when this is known.
    needs: str | None

    @property
    def settled(self) -> bool:
        """True once the use was counted, or the count refused the call."""

    @property
    def refused(self) -> bool:
        """True when the count refused the call."""

    def settle(self, role: Role | None) -> None:
        """Take the count's answer (None: the token cannot be used); raise to refuse the call."""

    def settle_alone(self) -> None:
        """Count the use in a statement of its own, then settle."""


_pending: ContextVar[PendingTokenUse | None] = ContextVar("trustreg_token_use", default=None)


@contextmanager
def pending_use(use: PendingTokenUse | None) -> Iterator[None]:
    """While the block runs, `use` may ride on this context's first read (None: nothing may)."""
    token = _pending.set(use)
    try:
        yield
    finally:
        _pending.reset(token)


# The count of the autocommit unit of work open in this context, if any: a use counted on
# demand (a handler asked for the caller's role before reading) is counted on that unit's
# connection, not on a second one taken from the pool while the unit holds the first.
_open_unit_count: ContextVar[Callable[[PendingTokenUse], None] | None] = ContextVar(
    "trustreg_open_unit_count", default=None
)


@contextmanager
def counting_on(count: Callable[[PendingTokenUse], None]) -> Iterator[None]:
    """While the block runs, a use counted on demand is counted by `count`."""
    token = _open_unit_count.set(count)
    try:
        yield
    finally:
        _open_unit_count.reset(token)


def count_on_open_unit(use: PendingTokenUse) -> bool:
    """Count `use` on the open autocommit unit's connection; False when none is open."""
    count = _open_unit_count.get()
    if count is None:
        return False
    count(use)
    return True


def pending() -> PendingTokenUse | None:
    """The use the next statement must count, or the refusal it must raise; None when the call
    may go on."""
    use = _pending.get()
    return use if use is not None and (not use.settled or use.refused) else None


CARRIES = "carries_token_use"


def may_carry_count(statement: S) -> S:
    """Mark a read as one that may carry a call's count (it may write an audit entry of its own
    about what it read, `events.entry_riding_count`, as long as it answers with rows).

    Checked here, where the statement is built, rather than on PostgreSQL only, when a call
    first runs it: the rows of a read carrying the count are put back in the read's order in
    Python (`Riding.unpack`), so it may order only by its own integer columns.
    """
    _order_of(statement)
    return cast_as(S, statement.execution_options(**{CARRIES: True}))


@functools.cache
def spend_statement() -> Update:
    """Count one use of a live token and return its holder's (is_admin, permissions).

    Built once on the Core table: an ORM-enabled UPDATE runs bulk-update bookkeeping that costs
    more than the statement (fix 8). The role comes from the token row itself (fix 10).
    """
    tokens = table_of(AuthToken)
    return prebuilt(
        update(tokens)
        .where(
            tokens.c.jti == bindparam("spend_jti"),
            tokens.c.user_id == bindparam("spend_user"),
            tokens.c.revoked.is_(False),
            tokens.c.uses < tokens.c.max_uses,
            tokens.c.expires_at > bindparam("spend_now"),
        )
        .values(uses=tokens.c.uses + 1)
        .returning(tokens.c.is_admin, tokens.c.permissions)
    )


@functools.cache
def spend_cte() -> CTE:
    """The count as the WITH of a read carrying it: a read that writes as well refers to it."""
    return spend_statement().cte("token_spend")


def spender_may(spend: CTE) -> ColumnElement[bool]:
    """Whether the counted token's holder may make the call: `authorize`'s rule for a route
    that needs a permission (`spend_needs`), for a write riding with the count."""
    granted = func.string_to_array(spend.c.permissions, ",")
    return or_(spend.c.is_admin, bindparam("spend_needs", type_=Text) == any_(granted))


def spend_params(jti: str, user_id: int, needs: str | None = None) -> dict[str, Any]:
    params: dict[str, Any] = {"spend_jti": jti, "spend_user": user_id, "spend_now": utcnow()}
    if needs is not None:
        params["spend_needs"] = needs
    return params


def spend(execute: Callable[[Executable, Any], Result[Any]], jti: str, user_id: int) -> Role | None:
    """Count one use with its own statement; the holder's role, or None if the token is dead."""
    row = execute(spend_statement(), spend_params(jti, user_id)).first()
    return None if row is None else role_of(*row)


def role_of(is_admin: Any, permissions: Any) -> Role:
    """The role as the token row stores it: a flag and a comma-joined permission list."""
    return bool(is_admin), frozenset(permissions.split(",") if permissions else ())


class Riding(NamedTuple):
    """A first read rewritten to count the use as well; `unpack` gives back the read's rows."""

    statement: CompoundSelect
    width: int  # the read's own columns, which come first in each row
    keys: tuple[str, ...]
    order: tuple[tuple[int, bool], ...]  # the read's ORDER BY: (column index, descending)

    def unpack(self, rows: Sequence[Any], use: PendingTokenUse) -> Result[Any]:
        """Settle `use` from the answer (raising if refused), then the read's own result."""
        width = self.width
        own = [row[:width] for row in self.own_rows(rows, use)]
        return IteratorResult(SimpleResultMetaData(self.keys), iter(own))

    def own_rows(self, rows: Sequence[Any], use: PendingTokenUse) -> list[Any]:
        """Settle `use` from the answer (raising if refused), then the read's own rows, as the
        driver gave them: the read's columns first, then the count's two, NULL.

        The count adds one row of NULLs but for the role (none when the token cannot be used).
        """
        width = self.width
        found: list[Any] = []
        role: Role | None = None
        for row in rows:
            if row[width] is None:
                found.append(row)
            else:
                role = role_of(row[width], row[width + 1])
        use.settle(role)
        # The read's order holds through the UNION ALL in PostgreSQL's plans; sorted again here,
        # it is a guarantee rather than a property of the plan (a few us for a page of 100).
        for index, descending in reversed(self.order):
            found.sort(key=itemgetter(index), reverse=descending)
        return found


# The marked reads are built once and passed in as the same objects call after call; so is
# their rewriting (building a statement costs more than running it). Bounded all the same.
_RIDES: dict[int, tuple[Select[Any] | CompoundSelect, Riding]] = {}
_MAX_RIDES = 256


def ride(statement: Executable) -> Riding | None:
    """`statement` with the use counted in its round trip, or None when it may not carry it."""
    if not isinstance(statement, Select | CompoundSelect):
        return None
    if not statement.get_execution_options().get(CARRIES):
        return None
    cached = _RIDES.get(id(statement))
    if cached is not None and cached[0] is statement:
        return cached[1]
    riding = _rewrite(statement)
    if len(_RIDES) >= _MAX_RIDES:
        _RIDES.clear()
    _RIDES[id(statement)] = (statement, riding)  # holding the statement keeps its id unique
    return riding


def _rewrite(statement: Select[Any] | CompoundSelect) -> Riding:
    # The read first, then the count: PostgreSQL runs a UNION ALL's branches in order, and never
    # in parallel in a statement that writes, so the token's row is locked only once the read
    # is over, for the microseconds until the statement commits. (Counted first, a scan of a
    # thousand rows held it for 863 us, and calls sharing the token queued behind it.) A plain
    # SELECT from the read keeps the read's ORDER BY ... LIMIT order.
    read = statement.subquery("first_read")
    columns = list(read.c)
    spend = spend_cte()
    no_role = (
        cast(null(), Boolean).label("spender_is_admin"),
        cast(null(), Text).label("spender_permissions"),
    )
    replanned = stored.replanned(statement)  # kept too: `keep(read, replan=True)` marks both
    # A read planned per call runs apart from the count, in its function: its count's row has
    # a type in every column, as a statement of its own.
    nulls = (cast(null(), c.type) if replanned else null() for c in columns)
    read_part = select(*columns, *no_role)
    count_part = select(*nulls, spend.c.is_admin, spend.c.permissions)
    wrapped = union_all(read_part, count_part)
    if replanned:
        if any(element is spend for element in visitors.iterate(statement)):
            raise ValueError("a read planned per call may not write with the count")
        wrapped = stored.kept(wrapped, (read_part, count_part))
    elif stored.kept_when_riding(statement):
        wrapped = stored.kept(wrapped)
    keys = tuple(c.key for c in columns)
    return Riding(prebuilt(wrapped), len(columns), keys, tuple(_order_of(statement)))


def _order_of(statement: Select[Any] | CompoundSelect) -> list[tuple[int, bool]]:
    """The read's ORDER BY as (selected column index, descending), on integer columns only:
    Python orders integers as the database does, but not text, under the database's collation."""
    selected = list(statement.selected_columns)
    order: list[tuple[int, bool]] = []
    for clause in statement._order_by_clauses:
        column, descending = clause, False
        if isinstance(clause, UnaryExpression) and clause.modifier in (desc_op, asc_op):
            column, descending = clause.element, clause.modifier is desc_op
        index = next((i for i, c in enumerate(selected) if c is column), None)
        if index is None or not _is_integer(selected[index]):
            raise ValueError("a read that may carry a count orders by its integer columns only")
        order.append((index, descending))
    return order


def _is_integer(column: Any) -> bool:
    try:
        return column.type.python_type is int and not getattr(column, "nullable", False)
    except NotImplementedError:
        return False
