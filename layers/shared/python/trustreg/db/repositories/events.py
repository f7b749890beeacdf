"""The audit trail of artifacts."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    Insert,
    Row,
    Select,
    String,
    bindparam,
    delete,
    insert,
    literal,
    select,
)

from trustreg.db.direct import prebuilt
from trustreg.db.models import ArtifactEvent, table_of, utcnow
from trustreg.db.repositories.base import Repository
from trustreg.db.timestamps import utc_text
from trustreg.db.token_use import spend_cte, spender_may


@functools.cache
def _insert_event() -> Insert:
    events = table_of(ArtifactEvent)
    # RETURNING of its own, so the insert runs on the driver's cursor (db/direct.py).
    return prebuilt(insert(events).returning(events.c.id))


def entry_riding_count(action: str, found: CTE, when: ColumnElement[bool]) -> CTE:
    """The call's `action` entry about the artifact a read `found` (its `id`), written by the
    read's own statement with the call's count riding on it (`UnitDb.writes_ride`): only when
    the token's holder may make the call and `when` holds. Bound: `entry_params`.

    A read recorded this way costs one round trip instead of two (docs/performance.md, fix 20).
    """
    events = table_of(ArtifactEvent).c
    spend = spend_cte()
    who = bindparam("entry_user", type_=String)
    entry = select(found.c.id, who, spend.c.is_admin, literal(action), bindparam("entry_at"))
    columns = [events.artifact_id, events.user_name, events.user_is_admin, events.action, events.at]
    written = insert(table_of(ArtifactEvent)).from_select(
        columns, entry.where(spender_may(spend), when)
    )
    return written.returning(events.id).cte(f"recorded_{action.lower()}")


def entry_params(user_name: str) -> dict[str, Any]:
    return {"entry_user": user_name, "entry_at": utcnow()}


# (id, user_name, user_is_admin, action, date, download_id), the date already written as the
# contract writes it: an audit page is rows, not mapped objects, read by one statement built
# once (docs/performance.md, fixes 10 and 18).
Entry = Row[tuple[int, str, bool, str, str, int | None]]


@functools.cache
def _entries() -> Select[tuple[int, str, bool, str, str, int | None]]:
    e = table_of(ArtifactEvent).c
    return prebuilt(
        select(
            e.id,
            e.user_name,
            e.user_is_admin,
            e.action,
            utc_text(e.at).label("date"),
            e.download_id,
        )
        .where(e.artifact_id == bindparam("aid"), e.id > bindparam("after"))
        .order_by(e.id)
        .limit(bindparam("limit"))
    )


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
        return self._db.run(_entries(), params).all()

    def delete_all(self) -> None:
        """Drop the whole trail (registry reset)."""
        self._s.execute(delete(ArtifactEvent))
