"""The artifact reads every request makes, built once.

SQLAlchemy memoizes a statement's cache key on the statement object, so a statement rebuilt per
call costs more than the query it runs (docs/performance.md, fixes 8 and 10). These are built on
the first call and reused with bound values. They select from the Core tables: an ORM-enabled
select of plain columns still pays the ORM's per-statement setup.
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Row,
    Select,
    and_,
    bindparam,
    func,
    or_,
    select,
)

from trustreg.db.models import Artifact, ArtifactLineage, table_of


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


@functools.cache
def brief_by_id_and_type() -> Select[tuple[str, str, str, str | None, int | None]]:
    a = table_of(Artifact).c
    return brief().where(a.id == bindparam("aid"), a.type == bindparam("atype"))


# Listings need five columns, not whole rows with cards and details: plain rows of these
# load several times faster than mapped objects (docs/performance.md, fix 8).
Listed = Row[tuple[int, str, str, str, str | None]]


def listed() -> Select[tuple[int, str, str, str, str | None]]:
    a = table_of(Artifact).c
    return select(a.seq, a.id, a.name, a.type, a.version)


# Lineage walks read edges and their ends' brief rows, never mapped objects: one graph
# call used to decode every node's details (docs/performance.md, fix 10).
class Edge(NamedTuple):
    id: int
    child_id: str
    parent_id: str
    relationship: str
    source: str


class LineageRoot(NamedTuple):
    id: str
    name: str
    type: str
    source_url: str | None
    size_bytes: int | None
    card_malformed: bool | None
    config_malformed: bool | None


@functools.cache
def edges_touching() -> Select[tuple[int, str, str, str, str]]:
    e = table_of(ArtifactLineage).c
    ids: BindParameter[list[str]] = bindparam("ids", expanding=True)
    return select(e.id, e.child_id, e.parent_id, e.relationship, e.source).where(
        e.parent_id.isnot(None), or_(e.child_id.in_(ids), e.parent_id.in_(ids))
    )


@functools.cache
def lineage_start() -> Select[Any]:
    # The root's brief row and flags with its own edges, one row per edge (or one row with no
    # edge): a graph call costs one round trip fewer than reading them one after the other.
    a = table_of(Artifact).c
    e = table_of(ArtifactLineage).c
    flags = (
        a.details["card_malformed"].as_boolean().label("card_malformed"),
        a.details["config_malformed"].as_boolean().label("config_malformed"),
    )
    touches = and_(e.parent_id.isnot(None), or_(e.child_id == a.id, e.parent_id == a.id))
    return (
        brief_by_id_and_type()
        .add_columns(*flags, e.id.label("edge_id"), e.child_id, e.parent_id)
        .add_columns(e.relationship, e.source)
        .select_from(table_of(Artifact).outerjoin(table_of(ArtifactLineage), touches))
        .order_by(e.id)
    )


# The audit trail's artifact: its brief row, who uploaded it, and whether it is sensitive (a
# download check program is stored in its details), without decoding those details.
AuditRoot = Row[tuple[str, str, str, str | None, int | None, int | None, bool]]


@functools.cache
def audit_root() -> Select[Any]:
    a = table_of(Artifact).c
    program = func.coalesce(a.details["sensitive_program"].as_string(), "")
    return brief_by_id_and_type().add_columns(a.created_by, (program != "").label("sensitive"))


@functools.cache
def by_name() -> Select[tuple[int, str, str, str, str | None]]:
    a = table_of(Artifact).c
    return listed().where(a.name == bindparam("name")).order_by(a.seq).limit(bindparam("limit"))


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
    return stmt.where(a.seq > bindparam("after")).order_by(a.seq).limit(bindparam("limit"))


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
    return (
        listed()
        .where(or_(*clauses), a.seq > bindparam("after"))
        .order_by(a.seq)
        .limit(bindparam("limit"))
    )
