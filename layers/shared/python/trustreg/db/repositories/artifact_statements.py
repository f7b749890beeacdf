"""The artifact reads every request makes, built once.

SQLAlchemy memoizes a statement's cache key on the statement object, so a statement rebuilt per
call costs more than the query it runs (docs/performance.md, fixes 8 and 10). These are built on
the first call and reused with bound values. They select from the Core tables: an ORM-enabled
select of plain columns still pays the ORM's per-statement setup. Each is marked `prebuilt`, so
on PostgreSQL it runs on the driver's cursor (`db/direct.py`, fix 19).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NamedTuple, Protocol

from sqlalchemy import (
    BindParameter,
    Column,
    ColumnElement,
    CompoundSelect,
    Integer,
    Row,
    Select,
    and_,
    bindparam,
    or_,
    select,
    union_all,
)

from trustreg.db.direct import prebuilt
from trustreg.db.models import Artifact, ArtifactLineage, table_of
from trustreg.db.stored import keep, kept_read
from trustreg.db.token_use import may_carry_count


@functools.cache
def by_id() -> Select[tuple[Artifact]]:
    return select(Artifact).where(Artifact.id == bindparam("aid"))


@functools.cache
def by_id_and_type() -> Select[tuple[Artifact]]:
    return by_id().where(Artifact.type == bindparam("atype"))


# Reads that answer with an artifact's identity and size skip its card and details, which
# for an ingested model hold kilobytes of JSON evidence to decode.
Brief = Row[tuple[str, str, str, str | None, int | None]]


@functools.cache
def brief() -> Select[tuple[str, str, str, str | None, int | None]]:
    a = table_of(Artifact).c
    return select(a.id, a.name, a.type, a.source_url, a.size_bytes)


def _limit() -> BindParameter[int]:
    # Typed: a kept read's parameters must say what they send (db/stored.py).
    return bindparam("limit", type_=Integer)


@kept_read
@functools.cache
def brief_by_id_and_type() -> Select[tuple[str, str, str, str | None, int | None]]:
    a = table_of(Artifact).c
    # The call's token count may ride on it (and on audit_root and lineage_root, built from
    # it). Looked up by a unique key, it is a read one plan fits (db/stored.py): kept.
    read = brief().where(a.id == bindparam("aid"), a.type == bindparam("atype"))
    return prebuilt(keep(may_carry_count(read)))


# Listings need five columns, not whole rows with cards and details: plain rows of these
# load several times faster than mapped objects (docs/performance.md, fix 8).
Listed = Row[tuple[int, str, str, str, str | None]]


def listed() -> Select[tuple[int, str, str, str, str | None]]:
    a = table_of(Artifact).c
    return select(a.seq, a.id, a.name, a.type, a.version)


# Lineage walks read edges and their ends' brief rows, never mapped objects: one graph
# call used to decode every node's details (docs/performance.md, fix 10).
class Edge(Protocol):
    """A resolved lineage edge: a row of `edges_touching`."""

    @property
    def id(self) -> int: ...
    @property
    def child_id(self) -> str: ...
    @property
    def parent_id(self) -> str: ...
    @property
    def relationship(self) -> str: ...
    @property
    def source(self) -> str: ...


def _resolved_edge_ends(
    match: Callable[[Column[Any]], ColumnElement[bool]],
) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """A resolved edge (both ends registered) whose child, or whose parent, is matched: one
    condition per end, each on its own index. SQLite scanned the table for their OR, and on
    PostgreSQL a base model with 3,000 fine-tunes took 6.1 ms with it against 2.6 ms (fix 14)."""
    e = table_of(ArtifactLineage).c
    return and_(e.parent_id.isnot(None), match(e.child_id)), match(e.parent_id)


@functools.cache
def edges_touching() -> CompoundSelect:
    e = table_of(ArtifactLineage).c
    ids: BindParameter[list[str]] = bindparam("ids", expanding=True)
    edge = select(e.id, e.child_id, e.parent_id, e.relationship, e.source)
    as_child, as_parent = _resolved_edge_ends(lambda end: end.in_(ids))
    # An edge with both ends among `ids` comes twice; the walk keeps edges by id.
    return union_all(edge.where(as_child), edge.where(as_parent))


class LineageRoot(NamedTuple):
    id: str
    name: str
    type: str
    source_url: str | None
    size_bytes: int | None
    lineage_unreadable: bool
    has_edges: bool


@kept_read
@functools.cache
def lineage_root() -> Select[Any]:
    # The root's brief row, its lineage flag and whether any resolved edge touches it, as one plain
    # SELECT: the call's token use rides on it (fix 16), and a model without relatives is
    # answered by this statement alone. Its edges are read next only when it has some.
    a = table_of(Artifact).c
    e = table_of(ArtifactLineage).c
    aid: BindParameter[str] = bindparam("aid")
    # On the bound id rather than correlated with the row: planned as two init plans, 17 us
    # less to plan (fix 17).
    as_child, as_parent = _resolved_edge_ends(lambda end: end == aid)
    has_edges = or_(select(e.id).where(as_child).exists(), select(e.id).where(as_parent).exists())
    columns = (a.lineage_unreadable, has_edges.label("has_edges"))
    # Planned per call: one plan for every model would choose how to look for edges by how many
    # a model has on average, and where one base model has most of them, it would scan them all
    # for each model that has none.
    return prebuilt(keep(brief_by_id_and_type().add_columns(*columns), replan=True))


# The audit trail's artifact: its brief row, who uploaded it, and whether it is sensitive (a
# download check program is stored in its details), without decoding those details.
class AuditRoot(NamedTuple):
    id: str
    name: str
    type: str
    source_url: str | None
    size_bytes: int | None
    created_by: int | None
    sensitive: bool


@kept_read
@functools.cache
def audit_root() -> Select[Any]:
    a = table_of(Artifact).c
    return prebuilt(keep(brief_by_id_and_type().add_columns(a.created_by, a.sensitive)))


@kept_read
@functools.cache
def by_name() -> Select[tuple[int, str, str, str, str | None]]:
    a = table_of(Artifact).c
    by = listed().where(a.name == bindparam("name"))
    # Planned per call, seeing the name: one plan for every name would choose by how many rows
    # a name has on average, and where a few names hold most rows it walks the registry in
    # order for a rare one (tests/api/test_stored_reads.py measures it).
    return prebuilt(keep(may_carry_count(by.order_by(a.seq).limit(_limit())), replan=True))


# Planned per call when filtered: one plan for every pattern would be wrong for some (fix 11);
# one plan for every literal was 86 us slower than planning for the literal. Unfiltered, it
# reads a range of the registry's order, which one plan fits.
@functools.cache
def scan(filtered: bool, ignore_case: bool) -> Select[tuple[int, str, str, str, str]]:
    a = table_of(Artifact).c
    stmt = select(a.seq, a.id, a.name, a.type, a.readme)
    if filtered:
        like: BindParameter[str] = bindparam("like")
        text = searchable()
        stmt = stmt.where(
            text.ilike(like, escape="\\") if ignore_case else text.like(like, escape="\\")
        )
    stmt = stmt.where(a.seq > bindparam("after")).order_by(a.seq).limit(_limit())
    return prebuilt(keep(may_carry_count(stmt), replan=filtered))


# (Unfiltered, the case does not matter: `scan_text` asks for the one form.)
for _filtered, _ignore_case in ((False, False), (True, False), (True, True)):
    kept_read(functools.partial(scan, _filtered, _ignore_case))


def searchable() -> ColumnElement[str]:
    """Name and card as one text: the expression migration 0005 indexes with pg_trgm.

    A literal found in the name or the card is found here, so the prefilter loses no match;
    one that only spans the two is a false candidate that the regex itself then rejects.
    """
    a = table_of(Artifact).c
    return a.name.concat("\n").concat(a.readme)


@functools.lru_cache(maxsize=256)
def page(shape: tuple[tuple[bool, bool], ...]) -> Select[Any]:
    # One statement per shape of query list ((any name?, types given?) per query), with the
    # values bound: a listing call then reuses a built statement (docs/performance.md, fix 10).
    a = table_of(Artifact).c
    clauses = []
    for i, (any_name, typed) in enumerate(shape):
        parts = []
        if not any_name:
            parts.append(a.name == bindparam(f"name{i}"))
        if typed:
            parts.append(a.type.in_(bindparam(f"types{i}", expanding=True)))
        clauses.append(and_(*parts) if parts else a.seq.isnot(None))
    read = listed().where(or_(*clauses), a.seq > bindparam("after"))
    read = may_carry_count(read.order_by(a.seq).limit(_limit()))
    if shape in KEPT_PAGE_SHAPES:
        return prebuilt(keep(read, replan=shape not in ONE_PLAN_PAGE_SHAPES))
    return prebuilt(read)


# The listing asked most, every artifact of any type ("*"), is a range of the registry's order,
# which one plan fits whatever the values. One name is planned per call (see by_name). Other
# shapes (several queries, types) are sent as text.
ONE_PLAN_PAGE_SHAPES = (((True, False),),)
KEPT_PAGE_SHAPES = (*ONE_PLAN_PAGE_SHAPES, ((False, False),))
for _shape in KEPT_PAGE_SHAPES:
    kept_read(functools.partial(page, _shape))
