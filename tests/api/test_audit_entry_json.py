"""Each audit entry keeps its JSON, written once with it (`db/audit_text.py`, fix 23 in
docs/performance.md); a page is those texts joined. What a client reads must be what the
entry's columns say, whatever the name holds, on both databases and across migration 0009."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select, text

from tests.support.api_client import ApiClient
from tests.support.artifacts import make_user
from tests.support.database import migrate_to
from tests.support.packages import upload_model
from trustreg.config import DEFAULT_ADMIN_NAME
from trustreg.db.engine import get_engine
from trustreg.db.models import ArtifactEvent
from trustreg.timefmt import iso_utc

# JSON escapes (quote, backslash, tab, newline, a control character), non-ASCII and an emoji.
AWKWARD = 'Zoë "the \\ auditor"\t\n\x01 ☃ \U0001f917'


def _written(aid: str) -> list[tuple[str | None, dict]]:
    """Each of the artifact's entries as stored: its own JSON text (not the read's fallback)
    and what its columns say that text must be."""
    e = ArtifactEvent
    with get_engine().connect() as conn:
        rows = conn.execute(
            select(e.rendered, e.user_name, e.user_is_admin, e.action, e.at)
            .where(e.artifact_id == aid)
            .order_by(e.id)
        ).all()
    return [
        (own, {"user": {"name": name, "is_admin": admin}, "date": iso_utc(at), "action": act})
        for own, name, admin, act, at in rows
    ]


def _assert_each_entry_wrote_its_json(aid: str) -> list[dict]:
    written = _written(aid)
    assert [own for own, _ in written if own is None] == []
    assert [json.loads(own) for own, _ in written if own] == [want for _, want in written]
    return [want for _, want in written]


def _audit(client: ApiClient, aid: str, query: str = "") -> list[dict]:
    r = client.get(f"/artifact/model/{aid}/audit{query}")
    assert r.status == 200, r.body
    return r.body


def test_given_a_user_whose_name_needs_escaping_then_every_kind_of_entry_reads_back_exactly(
    api,
):
    aid = upload_model(api, "escaped-model")
    zoe = make_user(api, AWKWARD, ["search", "download"])
    assert zoe.get(f"/artifact/model/{aid}/rate").status == 200  # RATE, written by the read
    assert zoe.get(f"/artifacts/model/{aid}/download").status in (200, 302)  # DOWNLOAD
    _audit(zoe, aid)  # AUDIT, written by the first page's read

    entries = _audit(api, aid)

    mine = [e for e in entries if e["user"]["name"] == AWKWARD]
    assert [e["action"] for e in mine] == ["RATE", "DOWNLOAD", "AUDIT"]
    # Every writer (upload, rate's riding insert, download, audit) stored the text itself.
    stored = _assert_each_entry_wrote_its_json(aid)
    assert [w["action"] for w in stored] == ["CREATE", "RATE", "DOWNLOAD", "AUDIT", "AUDIT"]
    assert all(e["user"] == {"name": AWKWARD, "is_admin": False} for e in mine)
    meta = {"name": "escaped-model", "id": aid, "type": "model"}
    assert all(e["artifact"] == meta for e in entries)
    assert set(entries[0]) == {"user", "date", "artifact", "action"}


def test_given_any_entry_then_its_json_says_what_its_columns_say(api):
    aid = upload_model(api, "parity-model")
    admin_view = _audit(api, aid)  # CREATE by the admin, then this AUDIT
    ivy = make_user(api, "ivy", ["search"])
    _audit(ivy, aid)
    _audit(ivy, aid, "?limit=1")

    expected = _assert_each_entry_wrote_its_json(aid)

    read = [{k: v for k, v in entry.items() if k != "artifact"} for entry in _audit(api, aid)]
    assert read[: len(expected)] == expected
    assert [x["action"] for x in expected] == ["CREATE", "AUDIT", "AUDIT", "AUDIT"]
    assert admin_view[0]["user"]["is_admin"] is True


def test_given_a_renamed_artifact_then_its_old_entries_name_it_as_it_is_now(api):
    aid = upload_model(api, "before-rename")
    _audit(api, aid)
    with get_engine().begin() as conn:
        conn.execute(text("UPDATE artifacts SET name = 'after-rename' WHERE id = :a"), {"a": aid})

    entries = _audit(api, aid)

    assert {e["artifact"]["name"] for e in entries} == {"after-rename"}


def test_given_entries_from_before_0009_when_upgrading_then_they_read_as_new_ones_do(
    api: ApiClient,
):
    aid = upload_model(api, "old-trail")
    migrate_to("0008")
    try:
        with get_engine().begin() as conn:
            conn.execute(text("DELETE FROM artifact_events WHERE artifact_id = :a"), {"a": aid})
            for name, is_admin, action, at in (
                (AWKWARD, False, "DOWNLOAD", datetime(2024, 7, 11, 14, 22, 5, 987654, tzinfo=UTC)),
                ("root", True, "UPDATE", datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)),
            ):
                conn.execute(
                    ArtifactEvent.__table__.insert().values(
                        artifact_id=aid,
                        user_name=name,
                        user_is_admin=is_admin,
                        action=action,
                        at=at,
                    ),
                )
    finally:
        migrate_to("head")

    entries = _audit(api, aid)

    assert [(e["user"], e["action"], e["date"]) for e in entries[:2]] == [
        ({"name": AWKWARD, "is_admin": False}, "DOWNLOAD", "2024-07-11T14:22:05Z"),
        ({"name": "root", "is_admin": True}, "UPDATE", "1999-12-31T23:59:59Z"),
    ]
    assert entries[2]["action"] == "AUDIT"  # this reading, written the new way
    _assert_each_entry_wrote_its_json(aid)  # the old entries were filled by 0009 itself


def test_given_an_entry_written_without_its_json_then_it_reads_as_if_it_had_it(api):
    # What the code of the release before 0009 writes while a deploy rolls out.
    aid = upload_model(api, "old-writer")
    at = datetime(2025, 3, 4, 5, 6, 7, 890000, tzinfo=UTC)
    with get_engine().begin() as conn:
        conn.execute(
            ArtifactEvent.__table__.insert().values(
                artifact_id=aid, user_name=AWKWARD, user_is_admin=True, action="RATE", at=at
            )
        )

    entries = _audit(api, aid)

    assert [(e["user"], e["action"], e["date"]) for e in entries[1:3]] == [
        ({"name": AWKWARD, "is_admin": True}, "RATE", "2025-03-04T05:06:07Z"),
        ({"name": DEFAULT_ADMIN_NAME, "is_admin": True}, "AUDIT", entries[2]["date"]),
    ]
