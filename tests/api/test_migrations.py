"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select, table, text

from tests.support.api_client import ApiClient
from tests.support.database import migrate_to
from tests.support.packages import upload_model
from trustreg.db.engine import get_engine
from trustreg.db.migrate import include_object
from trustreg.db.models import Base


def test_given_a_migrated_database_then_it_matches_the_models(database):
    with get_engine().connect() as conn:
        opts = {"compare_type": True, "include_object": include_object}
        context = MigrationContext.configure(conn, opts=opts)
        differences = compare_metadata(context, Base.metadata)
    assert differences == [], f"models and migrations disagree: {differences}"


def test_given_a_migrated_database_then_every_table_and_the_alembic_head_exist(database):
    tables = set(inspect(get_engine()).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_given_tokens_issued_before_0004_when_upgrading_then_they_keep_their_holders_rights(
    api: ApiClient,
):
    migrate_to("0003")
    try:
        with get_engine().begin() as conn:
            uid = conn.execute(
                text(
                    "INSERT INTO users (name, password_hash, is_admin, created_at)"
                    " VALUES ('old', 'x', false, CURRENT_TIMESTAMP) RETURNING id"
                )
            ).scalar_one()
            conn.execute(
                text(
                    "INSERT INTO permissions (user_id, permission) VALUES (:u, 'search'),"
                    " (:u, 'upload')"
                ),
                {"u": uid},
            )
            conn.execute(
                text(
                    "INSERT INTO auth_tokens (jti, user_id, issued_at, expires_at, uses,"
                    " max_uses, revoked) VALUES ('old-jti', :u, CURRENT_TIMESTAMP,"
                    " CURRENT_TIMESTAMP, 0, 10, false)"
                ),
                {"u": uid},
            )
    finally:
        migrate_to("head")
    with get_engine().connect() as conn:
        rows = dict(conn.execute(text("SELECT jti, permissions FROM auth_tokens")).all())
        admin = conn.execute(
            text("SELECT is_admin FROM auth_tokens WHERE jti <> 'old-jti'")
        ).scalar_one()
    assert sorted(rows["old-jti"].split(",")) == ["search", "upload"]
    assert admin  # the default admin's token, issued before the downgrade, stays an admin's
    assert api.get("/users").status == 200


@pytest.mark.parametrize("database", ["postgres"], indirect=True)
def test_given_documents_holding_nul_or_lone_surrogates_when_upgrading_to_jsonb_then_kept(
    database,
):
    # json stored what jsonb refuses: 0006 must rewrite such rows, not fail the deploy on them.
    migrate_to("0005")
    try:
        with get_engine().begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO artifacts (id, name, type, source_kind, readme, details,"
                    " size_bytes, created_at, updated_at) VALUES ('odd', 'odd', 'model',"
                    " 'upload', '', CAST(:d AS json), 0, now(), now())"
                ),
                {
                    "d": '{"category": "a\\u0000b", "tags": ["\\ud800", "\\\\u0000 kept",'
                    ' "\\ud83e\\udd17", "\\\\ud83e\\udd17"]}'
                },
            )
    finally:
        migrate_to("head")
    with get_engine().connect() as conn:
        details = conn.execute(text("SELECT details FROM artifacts WHERE id = 'odd'")).scalar_one()
    tags = ["\ufffd", "\\u0000 kept", "\U0001f917", "\\ud83e\ufffd"]
    assert details == {"category": "a\ufffdb", "tags": tags}


def test_given_models_from_before_0007_when_upgrading_then_unreadable_lineage_still_answers_400(
    api: ApiClient,
):
    migrate_to("0006")
    try:
        with get_engine().begin() as conn:
            for aid, card_bad, config_bad in (
                ("bothbad", "true", "true"),
                ("cardbad", "true", "false"),
                ("notjson", '"true"', "1"),  # only JSON true counts, as in the model
            ):
                flags = f'{{"card_malformed": {card_bad}, "config_malformed": {config_bad}}}'
                conn.execute(
                    text(
                        "INSERT INTO artifacts (id, name, type, source_kind, readme, details,"
                        " size_bytes, created_at, updated_at) VALUES (:id, :id, 'model',"
                        " 'upload', '', :d, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                    ),
                    {"id": aid, "d": flags},
                )
    finally:
        migrate_to("head")
    assert api.get("/artifact/model/bothbad/lineage").status == 400
    for aid in ("cardbad", "notjson"):
        r = api.get(f"/artifact/model/{aid}/lineage")
        assert r.status == 200 and [n["artifact_id"] for n in r.body["nodes"]] == [aid]


def test_given_models_from_before_0010_when_upgrading_then_their_sensitive_flag_is_computed(
    database,
):
    migrate_to("0009")
    try:
        with get_engine().begin() as conn:
            for aid, details in (
                ("checked", '{"sensitive_program": "process.exit(0)"}'),
                ("emptyprogram", '{"sensitive_program": ""}'),
                ("plain", '{"card_malformed": false}'),
            ):
                conn.execute(
                    text(
                        "INSERT INTO artifacts (id, name, type, source_kind, readme, details,"
                        " size_bytes, created_at, updated_at) VALUES (:id, :id, 'model',"
                        " 'upload', '', :d, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                    ),
                    {"id": aid, "d": details},
                )
    finally:
        migrate_to("head")
    with get_engine().connect() as conn:
        rows = conn.execute(text("SELECT id, sensitive FROM artifacts ORDER BY id")).all()
    assert [(aid, bool(flag)) for aid, flag in rows] == [
        ("checked", True),
        ("emptyprogram", False),
        ("plain", False),
    ]


def _sensitive(aid: str) -> bool:
    with get_engine().connect() as conn:
        flag = conn.scalar(text("SELECT sensitive FROM artifacts WHERE id = :id"), {"id": aid})
    return bool(flag)


def test_given_details_written_by_any_means_then_the_sensitive_flag_follows_them(database):
    from sqlalchemy.orm import Session

    from trustreg.db.models import Artifact

    program = {"sensitive_program": "process.exit(0)"}
    with Session(get_engine()) as session, session.begin():  # as the services write
        session.add(Artifact(id="orm", name="orm", type="model", source_kind="upload"))
        session.add(
            Artifact(id="ormchecked", name="o", type="model", source_kind="upload", details=program)
        )
    assert (_sensitive("orm"), _sensitive("ormchecked")) == (False, True)
    with Session(get_engine()) as session, session.begin():
        artifact = session.scalars(select(Artifact).where(Artifact.id == "orm")).one()
        artifact.details = {**artifact.details, **program}
    assert _sensitive("orm")
    with get_engine().begin() as conn:  # as plain SQL, or the release before 0010, writes
        conn.execute(
            text(
                "INSERT INTO artifacts (id, name, type, source_kind, readme, details,"
                " size_bytes, created_at, updated_at) VALUES ('raw', 'raw', 'model',"
                " 'upload', '', :d, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {"d": '{"sensitive_program": "process.exit(1)"}'},
        )
        conn.execute(text("UPDATE artifacts SET details = :d WHERE id = 'orm'"), {"d": "{}"})
        conn.execute(text("UPDATE artifacts SET sensitive = true WHERE id = 'ormchecked'"))
        conn.execute(text("UPDATE artifacts SET sensitive = false WHERE id = 'raw'"))
    # Only the details say what it holds, however the column itself is written.
    assert [_sensitive(a) for a in ("raw", "orm", "ormchecked")] == [True, False, True]


def test_given_a_migrated_database_then_the_sensitive_flags_triggers_are_there(database):
    # A table rebuilt by a later migration (SQLite's batch mode) would lose them silently.
    query = {
        "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        " AND tbl_name = 'artifacts'",
        "postgres": "SELECT tgname FROM pg_trigger WHERE tgrelid = 'artifacts'::regclass"
        " AND NOT tgisinternal",
    }[database]
    with get_engine().connect() as conn:
        names = set(conn.scalars(text(query)))
    expected = {
        "sqlite": {"artifacts_sensitive_insert", "artifacts_sensitive_update"},
        "postgres": {"artifacts_sensitive"},
    }[database]
    assert names == expected


def _related_rows() -> dict[str, int]:
    tables = ("artifact_scores", "artifact_lineage", "artifact_events", "artifacts")
    with get_engine().connect() as conn:
        return {
            t: conn.execute(select(func.count()).select_from(table(t))).scalar_one() for t in tables
        }


def test_given_ratings_edges_and_events_when_migrating_down_and_up_again_then_none_is_lost(
    api: ApiClient,
):
    # SQLite rebuilds a table to alter it; with foreign keys on, dropping the old copy deleted
    # every row pointing at it (ON DELETE CASCADE).
    parent, child = upload_model(api, "kept-parent"), upload_model(api, "kept-child")
    with get_engine().begin() as conn:
        conn.execute(
            text(
                "INSERT INTO artifact_lineage (child_id, parent_id, parent_ref, relationship,"
                " source) VALUES (:c, :p, 'kept-parent', 'base_model', 'card')"
            ),
            {"c": child, "p": parent},
        )
    before = _related_rows()
    assert all(before.values()), before
    migrate_to("0006")
    try:
        assert _related_rows() == before
    finally:
        migrate_to("head")
    assert _related_rows() == before
    r = api.get(f"/artifact/model/{child}/lineage")
    assert {n["artifact_id"] for n in r.body["nodes"]} == {parent, child}


def test_given_a_schema_newer_than_the_code_when_migrating_then_it_is_left_as_it_is(
    database, caplog: pytest.LogCaptureFixture
):
    # A deploy that rolls back after its migration committed runs the previous release's
    # migration step on the newer schema: it must succeed and change nothing.
    from trustreg.db.migrate import upgrade_to_head

    with get_engine().begin() as conn:
        head = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    try:
        with caplog.at_level("WARNING", logger="trustreg.db.migrate"):
            upgrade_to_head()
        with get_engine().connect() as conn:
            now = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    finally:
        with get_engine().begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
    assert now == "9999_from_the_future"
    assert "9999_from_the_future" in caplog.text and "newer than this code" in caplog.text
