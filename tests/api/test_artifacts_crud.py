"""Read, replace and delete one artifact; the audit trail those actions leave."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import DateTime, literal, select, update

from tests.api.conftest import ingest
from tests.support.artifacts import (  # noqa: F401 - fixtures
    artifact_blob_dir,
    files_under,
    list_all,
    make_user,
    open_gate,
)
from tests.support.packages import upload_model
from trustreg.db.audit_text import entry_json
from trustreg.db.engine import get_engine
from trustreg.db.models import ArtifactEvent
from trustreg.db.timestamps import utc_text
from trustreg.db.uow import unit_of_work
from trustreg.timefmt import iso_utc

BERT = "google-bert/bert-base-uncased"
FINETUNE = "acme/bert-finetune"
UTC_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


@pytest.fixture
def bert(hub_api, hub_env, open_gate):
    r = ingest(hub_api, hub_env, "model", BERT)
    assert r.status == 201, r.body
    return r.body["metadata"]


# --- GET --------------------------------------------------------------------------------------
def test_given_an_unknown_id_when_read_then_404(hub_api, bert):
    assert hub_api.get("/artifacts/model/0123456789abcdef01234567").status == 404


def test_given_a_malformed_id_when_read_then_400(hub_api, bert):
    r = hub_api.get("/artifacts/model/bad_id!")
    assert r.status == 400
    assert "id" in r.message


def test_given_the_wrong_type_in_the_path_when_read_then_404(hub_api, bert):
    assert hub_api.get(f"/artifacts/dataset/{bert['id']}").status == 404
    assert hub_api.get(f"/artifacts/code/{bert['id']}").status == 404


def test_given_an_unknown_type_in_the_path_when_read_then_400(hub_api, bert):
    assert hub_api.get(f"/artifacts/weights/{bert['id']}").status == 400


# --- PUT --------------------------------------------------------------------------------------
def _put(client, meta, url):
    return client.put(
        f"/artifacts/{meta['type']}/{meta['id']}", {"metadata": meta, "data": {"url": url}}
    )


def test_given_a_mismatching_name_or_id_when_updating_then_400_and_nothing_changes(
    hub_api, hub_env, bert
):
    new_url = f"{hub_env.url}/distilbert/distilbert-base-uncased"
    assert _put(hub_api, {**bert, "name": "other"}, new_url).status == 400
    r = hub_api.put(
        f"/artifacts/model/{bert['id']}",
        {"metadata": {**bert, "id": "0123456789abcdef01234567"}, "data": {"url": new_url}},
    )
    assert r.status == 400
    assert hub_api.get(f"/artifacts/model/{bert['id']}").body["data"]["url"].endswith(BERT)


def test_given_a_body_without_metadata_when_updating_then_400(hub_api, bert):
    assert hub_api.put(f"/artifacts/model/{bert['id']}", {"data": {"url": "x"}}).status == 400


def test_given_an_unknown_id_when_updating_then_404(hub_api, hub_env, bert):
    ghost = {**bert, "id": "0123456789abcdef01234567"}
    assert _put(hub_api, ghost, f"{hub_env.url}/{BERT}").status == 404


def test_given_a_new_url_when_updating_then_contents_are_replaced_and_audited(
    hub_api, hub_env, bert
):
    before = hub_api.get(f"/artifacts/model/{bert['id']}/download?format=json").body
    new_url = f"{hub_env.url}/distilbert/distilbert-base-uncased"

    r = _put(hub_api, bert, new_url)

    assert r.status == 200, r.body
    assert r.body["metadata"] == bert
    assert r.body["data"]["url"] == new_url
    after = hub_api.get(f"/artifacts/model/{bert['id']}/download?format=json").body
    assert after["sha256"] != before["sha256"]
    # the old package is gone: only the new one (plus cut parts) remains
    packages = [
        p for p in files_under(artifact_blob_dir("model", bert["id"])) if "package" in p.name
    ]
    assert len(packages) == 1
    actions = [e["action"] for e in hub_api.get(f"/artifact/model/{bert['id']}/audit").body]
    assert actions[0] == "CREATE" and "UPDATE" in actions
    assert hub_api.get(f"/artifact/model/{bert['id']}/rate").status == 200


def test_given_a_url_another_artifact_uses_when_updating_then_409(hub_api, hub_env, bert):
    other = ingest(hub_api, hub_env, "model", "distilbert/distilbert-base-uncased")
    assert other.status == 201
    r = _put(hub_api, bert, f"{hub_env.url}/distilbert/distilbert-base-uncased")
    assert r.status == 409, r.body
    assert hub_api.get(f"/artifacts/model/{bert['id']}").body["data"]["url"].endswith(BERT)


def test_given_a_searcher_without_upload_when_updating_then_403(hub_api, hub_env, bert):
    reader = make_user(hub_api, "reader", ["search"])
    assert _put(reader, bert, f"{hub_env.url}/{BERT}").status == 403


# --- DELETE -----------------------------------------------------------------------------------
def test_given_an_artifact_when_deleted_then_row_blobs_ratings_and_history_are_gone(hub_api, bert):
    from trustreg.db.uow import unit_of_work

    aid = bert["id"]
    assert hub_api.get(f"/artifacts/model/{aid}/download?format=json&part=weights").status == 200
    assert hub_api.get(f"/artifact/model/{aid}/audit").status == 200
    assert files_under(artifact_blob_dir("model", aid))

    r = hub_api.delete(f"/artifacts/model/{aid}")

    assert r.status == 200, r.body
    assert hub_api.get(f"/artifacts/model/{aid}").status == 404
    assert hub_api.get(f"/artifact/model/{aid}/rate").status == 404
    assert list_all(hub_api) == []
    assert not artifact_blob_dir("model", aid).exists()
    with unit_of_work() as uow:
        assert uow.scores.history(aid) == []
        assert uow.events.for_artifact(aid) == []
        assert uow.artifacts.downloads(aid) == []
    assert hub_api.delete(f"/artifacts/model/{aid}").status == 404


def test_given_a_parent_when_deleted_then_the_childs_lineage_no_longer_shows_it(
    hub_api, hub_env, bert
):
    child = ingest(hub_api, hub_env, "model", FINETUNE).body["metadata"]
    before = hub_api.get(f"/artifact/model/{child['id']}/lineage").body
    assert bert["id"] in {n["artifact_id"] for n in before["nodes"]}

    assert hub_api.delete(f"/artifacts/model/{bert['id']}").status == 200

    after = hub_api.get(f"/artifact/model/{child['id']}/lineage")
    assert after.status == 200
    assert {n["artifact_id"] for n in after.body["nodes"]} == {child["id"]}
    assert after.body["edges"] == []


def test_given_a_child_when_deleted_then_the_parents_lineage_no_longer_shows_it(
    hub_api, hub_env, bert
):
    child = ingest(hub_api, hub_env, "model", FINETUNE).body["metadata"]
    assert hub_api.delete(f"/artifacts/model/{child['id']}").status == 200
    after = hub_api.get(f"/artifact/model/{bert['id']}/lineage").body
    assert {n["artifact_id"] for n in after["nodes"]} == {bert["id"]}


def test_given_another_users_artifact_when_an_uploader_deletes_it_then_403_and_it_stays(
    hub_api, bert
):
    uploader = make_user(hub_api, "uploader", ["upload", "search"])
    r = uploader.delete(f"/artifacts/model/{bert['id']}")
    assert r.status == 403
    assert hub_api.get(f"/artifacts/model/{bert['id']}").status == 200


def test_given_an_uploader_when_deleting_their_own_artifact_then_it_is_gone(hub_api):
    uploader = make_user(hub_api, "uploader", ["upload", "search"])
    mine = uploader.post("/artifact/dataset", {"url": "https://data.example.org/mine.csv"})
    assert mine.status == 201
    assert uploader.delete(f"/artifacts/dataset/{mine.body['metadata']['id']}").status == 200
    assert list_all(hub_api) == []


def test_given_a_searcher_without_upload_when_deleting_then_403(hub_api, bert):
    reader = make_user(hub_api, "reader", ["search"])
    assert reader.delete(f"/artifacts/model/{bert['id']}").status == 403


def test_given_a_malformed_id_when_deleting_then_400(hub_api):
    assert hub_api.delete("/artifacts/model/bad_id!").status == 400


# --- audit ------------------------------------------------------------------------------------
def test_given_a_created_read_downloaded_rated_and_updated_model_then_the_audit_lists_each(
    hub_api, hub_env, bert
):
    aid = bert["id"]
    user = make_user(hub_api, "auditor", ["search", "download"])
    assert user.get(f"/artifacts/model/{aid}/download?format=json").status == 200
    assert user.get(f"/artifact/model/{aid}/rate").status == 200
    assert _put(hub_api, bert, f"{hub_env.url}/distilbert/distilbert-base-uncased").status == 200

    r = user.get(f"/artifact/model/{aid}/audit")

    assert r.status == 200, r.body
    entries = r.body
    actions = [e["action"] for e in entries]
    assert actions == ["CREATE", "DOWNLOAD", "RATE", "UPDATE", "AUDIT"], actions
    by_action = {e["action"]: e for e in entries}
    assert by_action["CREATE"]["user"] == {"name": "ece30861defaultadminuser", "is_admin": True}
    assert by_action["DOWNLOAD"]["user"] == {"name": "auditor", "is_admin": False}
    assert by_action["AUDIT"]["user"]["name"] == "auditor"
    assert all(UTC_Z.match(e["date"]) for e in entries), [e["date"] for e in entries]
    assert all(e["artifact"] == bert for e in entries)
    # reading the audit is itself audited
    again = [e["action"] for e in user.get(f"/artifact/model/{aid}/audit").body]
    assert again.count("AUDIT") == 2


def _audit_pages(client, aid: str, limit: int) -> tuple[list[dict], int]:
    entries, calls, offset = [], 0, ""
    while True:
        r = client.get(f"/artifact/model/{aid}/audit?limit={limit}&offset={offset}")
        assert r.status == 200, r.body
        calls += 1
        entries += r.body
        offset = r.headers.get("offset", "")
        if not offset:
            return entries, calls
        assert len(r.body) == limit


def test_given_a_trail_longer_than_a_page_then_the_offset_header_walks_it_once_in_order(api):
    aid = upload_model(api, "audited")
    for _ in range(4):
        assert api.get(f"/artifact/model/{aid}/audit").status == 200

    entries, calls = _audit_pages(api, aid, limit=2)

    actions = [e["action"] for e in entries]
    # CREATE, the four reads, and the walk itself (recorded once, on its first page)
    assert actions == ["CREATE"] + ["AUDIT"] * 5
    assert calls > 2
    dates = [e["date"] for e in entries]
    assert dates == sorted(dates)


def test_given_entries_recorded_at_known_instants_then_the_audit_dates_them_in_utc_seconds(api):
    # The database writes the dates, once, with the entry's JSON (fixes 18 and 23): they must
    # read as timefmt.iso_utc writes them, seconds truncated, never rounded up.
    aid = upload_model(api, "dated")
    instants = [
        datetime(2024, 7, 11, 14, 22, 5, 987654, tzinfo=UTC),
        datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    ]
    assert api.get(f"/artifact/model/{aid}/audit").status == 200  # CREATE, AUDIT
    with unit_of_work() as uow:
        ids = [e.id for e in uow.events.for_artifact(aid)]
    e = ArtifactEvent
    with get_engine().begin() as conn:
        for event_id, at in zip(ids, instants, strict=True):
            # As if written at that instant: the entry's JSON is written from its columns by
            # the one rule every writer and migration 0009 use.
            conn.execute(update(e).where(e.id == event_id).values(at=at))
            again = entry_json(e.user_name, e.user_is_admin, e.action, e.at)
            conn.execute(update(e).where(e.id == event_id).values(rendered=again))

    dates = [e["date"] for e in api.get(f"/artifact/model/{aid}/audit").body]

    assert dates[:2] == ["2024-07-11T14:22:05Z", "1999-12-31T23:59:59Z"]
    assert dates[:2] == [iso_utc(at) for at in instants]


@pytest.mark.parametrize("database", ["postgres"], indirect=True)  # SQLite has no session zone
def test_given_a_postgres_session_in_another_time_zone_then_dates_are_still_utc(database):
    at = datetime(2024, 7, 11, 14, 22, 5, tzinfo=UTC)
    with get_engine().connect() as conn:
        conn.exec_driver_sql("SET LOCAL timezone TO 'Asia/Kolkata'")
        written = conn.scalar(select(utc_text(literal(at, DateTime(timezone=True)))))

    assert written == "2024-07-11T14:22:05Z"


def test_given_bad_audit_paging_then_400_or_413(api):
    aid = upload_model(api, "audited")
    assert api.get(f"/artifact/model/{aid}/audit?limit=0").status == 400
    assert api.get(f"/artifact/model/{aid}/audit?limit=ten").status == 400
    assert api.get(f"/artifact/model/{aid}/audit?offset=-1").status == 400
    big = api.get(f"/artifact/model/{aid}/audit?limit=1001")
    assert big.status == 413
    assert "entries per page" in big.message


def test_given_an_unknown_artifact_when_auditing_then_404(hub_api, bert):
    assert hub_api.get("/artifact/model/0123456789abcdef01234567/audit").status == 404
    assert hub_api.get(f"/artifact/dataset/{bert['id']}/audit").status == 404


def test_given_a_trail_of_exactly_one_page_when_auditing_then_the_new_entry_opens_page_two(api):
    aid = upload_model(api, "one-page-trail")  # its trail: CREATE
    for _ in range(2):
        assert api.get(f"/artifact/model/{aid}/rate").status == 200  # RATE, RATE
    first = api.get(f"/artifact/model/{aid}/audit?limit=3")
    assert [e["action"] for e in first.body] == ["CREATE", "RATE", "RATE"]
    offset = first.headers.get("offset")
    assert offset  # this reading's own AUDIT entry did not fit
    second = api.get(f"/artifact/model/{aid}/audit?limit=3&offset={offset}")
    assert [e["action"] for e in second.body] == ["AUDIT"]
    assert not second.headers.get("offset")


def test_given_a_model_without_a_rating_when_rated_then_404_and_no_rate_entry(api):
    from trustreg.db.models import ArtifactScore

    aid = upload_model(api, "never-rated")
    with unit_of_work() as uow:  # as a model would be if its rating had never been stored
        uow.artifacts.get(aid).rating_summary = None
    with get_engine().begin() as conn:
        conn.execute(ArtifactScore.__table__.delete().where(ArtifactScore.artifact_id == aid))
    assert api.get(f"/artifact/model/{aid}/rate").status == 404
    trail = api.get(f"/artifact/model/{aid}/audit").body
    assert [e["action"] for e in trail] == ["CREATE", "AUDIT"]
