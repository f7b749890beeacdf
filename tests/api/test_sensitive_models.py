"""Sensitive models: the uploader's JavaScript check runs before every download."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import text

from tests.api.test_accounts import login_as, register
from tests.support.packages import upload_model
from trustreg.db.engine import get_engine

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")

REFUSE = 'console.log("blocked for " + process.argv[4]); process.exit(3);'
ALLOW = (
    'const fs = require("fs");'
    'if (!fs.existsSync(process.argv[5])) { console.log("no zip"); process.exit(1); }'
    'if (process.argv[2] !== "secret-model") { console.log("wrong name"); process.exit(1); }'
    "process.exit(0);"
)


def test_given_a_refusing_program_when_downloading_then_403_with_its_output(api):
    model_id = upload_model(api, "secret-model")
    r = api.call(
        "PUT",
        f"/artifact/model/{model_id}/sensitive",
        raw=REFUSE.encode(),
        content_type="application/javascript",
    )
    assert r.status == 200 and r.body["sensitive"] is True
    r = api.get(f"/artifacts/model/{model_id}/download?format=json")
    assert r.status == 403
    assert "blocked for ece30861defaultadminuser" in r.message


def test_given_an_allowing_program_then_the_download_proceeds_and_history_shows_both(api):
    model_id = upload_model(api, "secret-model")
    api.put(f"/artifact/model/{model_id}/sensitive", {"program": REFUSE})
    assert api.get(f"/artifacts/model/{model_id}/download?format=json").status == 403
    assert api.put(f"/artifact/model/{model_id}/sensitive", {"program": ALLOW}).status == 200
    r = api.get(f"/artifacts/model/{model_id}/download?format=json")
    assert r.status == 200, r.body
    history = api.get(f"/artifacts/model/{model_id}/downloads").body
    assert [h["allowed"] for h in history] == [True, False]
    assert "blocked for" in history[1]["verdict"]
    audit = api.get(f"/artifact/model/{model_id}/audit").body
    outcomes = [e.get("outcome") for e in audit if e["action"] == "DOWNLOAD"]
    assert outcomes == ["refused", "allowed"]


def test_given_a_paged_audit_then_each_download_entry_keeps_its_own_outcome(api):
    model_id = upload_model(api, "secret-model")
    for program in (REFUSE, ALLOW, REFUSE, ALLOW):
        assert api.put(f"/artifact/model/{model_id}/sensitive", {"program": program}).status == 200
        api.get(f"/artifacts/model/{model_id}/download?format=json")
    outcomes, offset = [], ""
    while True:
        r = api.get(f"/artifact/model/{model_id}/audit?limit=1&offset={offset}")
        assert r.status == 200, r.body
        outcomes += [e.get("outcome") for e in r.body if e["action"] == "DOWNLOAD"]
        offset = r.headers.get("offset", "")
        if not offset:
            break
    assert outcomes == ["refused", "allowed", "refused", "allowed"]


def test_given_attempts_recorded_out_of_order_then_each_entry_shows_its_own_outcome(api):
    """Concurrent downloads can commit their entries in either order; the link decides."""
    from trustreg.db.uow import unit_of_work

    model_id = upload_model(api, "secret-model")
    assert api.put(f"/artifact/model/{model_id}/sensitive", {"program": ALLOW}).status == 200
    with unit_of_work() as uow:
        fields = {"artifact_id": model_id, "user_id": None, "user_name": "x", "part": "full"}
        refused = uow.artifacts.record_download(**fields, allowed=False, verdict="no")
        allowed = uow.artifacts.record_download(**fields, allowed=True, verdict="")
        uow.events.add(model_id, "DOWNLOAD", "x", False, allowed)
        uow.events.add(model_id, "DOWNLOAD", "x", False, refused)
    audit = api.get(f"/artifact/model/{model_id}/audit").body
    got = [(e["outcome"], e["verdict"]) for e in audit if e["action"] == "DOWNLOAD"]
    assert got == [("allowed", ""), ("refused", "no")]


def test_given_a_sensitive_model_then_its_uploader_sees_outcomes_in_the_audit_and_others_do_not(
    api,
):
    register(api, "una", ["upload", "search", "download"])
    register(api, "vic", ["upload", "search", "download"])
    una, vic = login_as("una"), login_as("vic")
    model_id = upload_model(una, "secret-model")
    assert una.put(f"/artifact/model/{model_id}/sensitive", {"program": REFUSE}).status == 200
    assert vic.get(f"/artifacts/model/{model_id}/download?format=json").status == 403

    def downloads(client):
        audit = client.get(f"/artifact/model/{model_id}/audit").body
        return [e for e in audit if e["action"] == "DOWNLOAD"]

    assert [e.get("outcome") for e in downloads(una)] == ["refused"]
    assert "blocked for vic" in downloads(una)[0]["verdict"]
    assert [sorted(e) for e in downloads(vic)] == [["action", "artifact", "date", "user"]]


def test_given_another_user_when_attaching_a_program_then_403(api):
    model_id = upload_model(api, "secret-model")
    register(api, "eve", ["upload", "search", "download"])
    eve = login_as("eve")
    r = eve.put(f"/artifact/model/{model_id}/sensitive", {"program": ALLOW})
    assert r.status == 403
    assert eve.get(f"/artifacts/model/{model_id}/downloads").status == 403


def test_given_a_program_when_removed_then_downloads_are_unchecked_again(api):
    model_id = upload_model(api, "secret-model")
    api.put(f"/artifact/model/{model_id}/sensitive", {"program": REFUSE})
    assert api.get(f"/artifacts/model/{model_id}/download?format=json").status == 403
    assert api.delete(f"/artifact/model/{model_id}/sensitive").status == 200
    assert api.get(f"/artifacts/model/{model_id}/download?format=json").status == 200
    assert api.delete(f"/artifact/model/{model_id}/sensitive").status == 404
    # No longer sensitive: the audit tells no outcomes, not even of the refused attempt.
    audit = api.get(f"/artifact/model/{model_id}/audit").body
    assert [sorted(e) for e in audit if e["action"] == "DOWNLOAD"] == [
        ["action", "artifact", "date", "user"]
    ] * 2


def test_given_details_written_without_the_orm_then_the_audit_still_knows_it_is_sensitive(api):
    # The flag is set by the database (migration 0010) whatever writes the details: the
    # release before it, during a deploy, writes them without knowing of the flag.
    model_id = upload_model(api, "secret-model")
    api.put(f"/artifact/model/{model_id}/sensitive", {"program": REFUSE})
    assert api.get(f"/artifacts/model/{model_id}/download?format=json").status == 403

    def outcomes() -> list[str | None]:
        audit = api.get(f"/artifact/model/{model_id}/audit").body
        return [e.get("outcome") for e in audit if e["action"] == "DOWNLOAD"]

    def set_program(program: str) -> None:
        postgres = get_engine().dialect.name == "postgresql"
        new = (
            "jsonb_set(details, '{sensitive_program}', to_jsonb(CAST(:p AS text)))"
            if postgres
            else ("json_set(details, '$.sensitive_program', :p)")
        )
        with get_engine().begin() as conn:
            conn.execute(
                text(f"UPDATE artifacts SET details = {new} WHERE id = :id"),  # noqa: S608
                {"p": program, "id": model_id},
            )

    assert outcomes() == ["refused"]
    set_program("")  # an empty program is none
    assert outcomes() == [None]
    with get_engine().begin() as conn:  # only the details say what the flag holds
        conn.execute(text("UPDATE artifacts SET sensitive = true WHERE id = :id"), {"id": model_id})
    assert outcomes() == [None]
    set_program(REFUSE)
    assert outcomes() == ["refused"]


def test_given_bad_programs_when_attaching_then_400(api):
    model_id = upload_model(api, "secret-model")
    assert api.put(f"/artifact/model/{model_id}/sensitive", {"program": ""}).status == 400
    big = "x" * (70 * 1024)
    assert api.put(f"/artifact/model/{model_id}/sensitive", {"program": big}).status in (400, 413)
    assert api.put(f"/artifact/model/{model_id}/sensitive", {"nope": 1}).status == 400
