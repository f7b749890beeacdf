"""The audit trail of artifacts."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    CompoundSelect,
    Insert,
    Integer,
    Select,
    String,
    bindparam,
    cast,
    delete,
    func,
    insert,
    literal,
    null,
    select,
    true,
    tuple_,
    union_all,
)

from trustreg.db.audit_text import entry_json
from trustreg.db.direct import prebuilt
from trustreg.db.models import ArtifactEvent, table_of, utcnow
from trustreg.db.repositories.artifact_statements import AuditRoot, audit_root
from trustreg.db.repositories.base import Repository
from trustreg.db.stored import keep, kept_read
from trustreg.db.token_use import may_carry_count, spend_cte, spender_may

_WRITTEN = ("artifact_id", "user_name", "user_is_admin", "action", "at", "download_id")
_RENDERED_FROM = ("user_name", "user_is_admin", "action", "at")  # entry_json's arguments


@functools.cache
def _insert_event() -> Insert:
    events = table_of(ArtifactEvent)
    written = {c: bindparam(c, type_=events.c[c].type) for c in _WRITTEN}
    rendered = entry_json(*(written[c] for c in _RENDERED_FROM))
    # RETURNING of its own, so the insert runs on the driver's cursor (db/direct.py).
    return prebuilt(insert(events).values(**written, rendered=rendered).returning(events.c.id))


def entry_riding_count(
    action: str,
    found: CTE,
    when: ColumnElement[bool],
    returning: Sequence[ColumnElement[Any]] = (),
) -> CTE:
    """The call's `action` entry about the artifact a read `found` (its `id`), written by the
    read's own statement with the call's count riding on it (`UnitDb.writes_ride`): only when
    the token's holder may make the call and `when` holds. Bound: `entry_params`.

    A read recorded this way costs one round trip instead of two (docs/performance.md, fix 20).
    """
    events = table_of(ArtifactEvent).c
    spend = spend_cte()
    # Each value is used twice (its column and the entry's JSON): cast to its column's type,
    # PostgreSQL deduces one type for it, which a stored read's parameters need (db/stored.py).
    who = cast(bindparam("entry_user", type_=String), events.user_name.type)
    at = cast(bindparam("entry_at", type_=events.at.type), events.at.type)
    what = cast(literal(action), events.action.type)
    rendered = entry_json(who, spend.c.is_admin, what, at)
    entry = select(found.c.id, who, spend.c.is_admin, what, at, rendered)
    columns = [
        events.artifact_id,
        events.user_name,
        events.user_is_admin,
        events.action,
        events.at,
        events.rendered,
    ]
    # Both sides hold one row at most.
    entry = entry.select_from(found.join(spend, true())).where(spender_may(spend), when)
    written = insert(table_of(ArtifactEvent)).from_select(columns, entry)
    return written.returning(*(returning or (events.id,))).cte(f"recorded_{action.lower()}")


def entry_params(user_name: str) -> dict[str, Any]:
    return {"entry_user": user_name, "entry_at": utcnow()}


# (id, rendered, download_id): the entry's JSON as written with it (`audit_text`), so an audit
# page is texts to join, read by one statement built once (docs/performance.md, fixes 10, 18
# and 23).
Entry = tuple[int, str, int | None]


def _entry_columns() -> tuple[ColumnElement[Any], ...]:
    e = table_of(ArtifactEvent).c
    # An entry written by code from before migration 0009 (still running while a deploy rolls
    # out) has no text: it is rendered here, by the same rule, only for those rows.
    missing = entry_json(e.user_name, e.user_is_admin, e.action, e.at)
    return (e.id, func.coalesce(e.rendered, missing).label("rendered"), e.download_id)


@functools.cache
def _entries() -> Select[tuple[int, str, int | None]]:
    e = table_of(ArtifactEvent).c
    # The artifact's entries after `after`, written as a range of ix_events_artifact_id's keys
    # and read in its order, so that index is the only one that reads the page in order. With
    # `artifact_id = :aid`, a plan made for any artifact (a kept read's, db/stored.py) may walk
    # every entry by id and filter instead: every entry in the registry, for an artifact with a
    # short trail among busy ones.
    key = tuple_(e.artifact_id, e.id)
    after = tuple_(bindparam("aid"), bindparam("after", type_=Integer))
    return prebuilt(
        select(*_entry_columns())
        .where(key > after, e.artifact_id <= bindparam("aid"))
        .order_by(e.artifact_id, e.id)
        .limit(bindparam("limit", type_=Integer))
    )


_ROOT_WIDTH = len(AuditRoot._fields)
_TRAIL_WIDTH = _ROOT_WIDTH + len(_entry_columns())


@kept_read
@functools.cache
def _first_page_recording() -> CompoundSelect:
    # The first page of a trail in one statement with the call's count riding on it (fix 20):
    # the artifact's row, its entries, and the AUDIT entry this reading writes, which lists
    # itself. Rows of each kind leave the other kind's columns NULL.
    root = audit_root().cte("audit_root")
    recorded = entry_riding_count("AUDIT", root, true(), returning=_entry_columns())
    page = _entries().subquery("page")
    typed = [cast(null(), c.type).label(f"entry_{c.key}") for c in page.c]
    empty = [null() for _ in root.c]
    trail = union_all(
        select(*root.c, *typed),
        select(*empty, *page.c),
        select(*empty, *recorded.c),
    )
    return prebuilt(keep(may_carry_count(trail)))


class EventRepository(Repository):
    """Reads and writes `artifact_events`."""

    def add(
        self,
        artifact_id: str,
        action: str,
        user_name: str,
        user_is_admin: bool,
        download_id: int | None = None,
    ) -> None:
        """Append one audit entry.

        A plain INSERT rather than a mapped object: reads such as rate and audit write an
        entry on every call, and the ORM's flush cost more than the statement (fix 8 in
        docs/performance.md); `run` flushes pending ORM changes first, so order stays as written.
        """
        self._db.run(
            _insert_event(),
            {
                "artifact_id": artifact_id,
                "action": action,
                "user_name": user_name,
                "user_is_admin": user_is_admin,
                "at": utcnow(),
                "download_id": download_id,
            },
        )

    def for_artifact(
        self, artifact_id: str, after_id: int = 0, limit: int = 1000
    ) -> Sequence[Entry]:
        """The artifact's audit entries recorded after entry `after_id`, in recording order."""
        params = {"aid": artifact_id, "after": after_id, "limit": limit}
        return self._db.run(_entries(), params).tuples().all()

    def records_with_read(self) -> bool:
        """Whether this call's first read can write its audit entry too (`UnitDb.writes_ride`)."""
        return self._db.writes_ride()

    def first_page_recorded(
        self, artifact_id: str, artifact_type: str, limit: int, auditor: str
    ) -> tuple[AuditRoot, list[Entry]] | None:
        """The artifact's row and the first `limit` entries of its trail, with the AUDIT entry
        of `auditor` written and listed, in one statement; None when there is no such artifact.
        Only when `records_with_read()`."""
        params = {"aid": artifact_id, "atype": artifact_type, "after": 0, "limit": limit}
        root: AuditRoot | None = None
        entries: list[Entry] = []
        for row in self._db.rows(_first_page_recording(), params | entry_params(auditor)):
            if row[0] is None:
                entries.append(row[_ROOT_WIDTH:_TRAIL_WIDTH])
            else:
                root = AuditRoot(*row[:_ROOT_WIDTH])
        if root is None:
            return None
        # The entry written here has the highest id the statement could see: it sorts last.
        entries.sort(key=itemgetter(0))
        return root, entries[:limit]

    def delete_all(self) -> None:
        """Drop the whole trail (registry reset)."""
        self._s.execute(delete(ArtifactEvent))
