"""API3/API5: clients cannot set fields the server owns (ids, scores, owners, admin flags,
blob keys); admin-only account routes refuse non-admins."""

from __future__ import annotations

import pytest

from tests.api.test_accounts import login_as, register
from tests.security.conftest import Accounts, make_account
from tests.support.api_client import ApiClient
from tests.support.packages import upload_model

SERVER_OWNED = {
    "id": "chosen-id",
    "created_by": 1,
    "created_by_name": "ece30861defaultadminuser",
    "scores": {"net_score": 1.0},
    "net_score": 1,
    "blob_key": "../../etc/passwd",
    "blob_sha256": "0" * 64,
    "seq": 1,
}


def test_given_a_non_admin_when_registering_or_promoting_itself_then_403_and_still_not_admin(
    accounts: Accounts,
):
    attacker = accounts.attacker
    r = register(attacker, "sockpuppet", ["upload", "search", "download"], is_admin=True)
    assert r.status == 403
    r = attacker.put("/user/attacker/permissions", {"permissions": ["upload"], "is_admin": True})
    assert r.status == 403
    me = accounts.admin.get("/user/attacker").body
    assert me["is_admin"] is False
    assert accounts.admin.get("/user/sockpuppet").status == 404


def test_given_authenticate_claiming_is_admin_when_a_user_logs_in_then_the_token_is_not_admin(api):
    register(api, "claimant", ["search"])
    anon = ApiClient()
    body = {
        "user": {"name": "claimant", "is_admin": True},
        "secret": {"password": "claimant-password"},
    }
    r = anon.put("/authenticate", body, token=None)
    assert r.status == 200
    anon.token = r.body
    assert anon.get("/users").status == 403
    assert anon.get("/user/claimant").body["is_admin"] is False


def test_given_extra_fields_when_an_admin_registers_a_user_then_they_are_ignored_or_refused(api):
    body = {
        "name": "extra",
        "password": "extra-password",
        "permissions": ["search"],
        "id": 1,
        "password_hash": "$2b$04$abcdefghijklmnopqrstuuF7kKQxL6S5b6j0mW5xUj3c1Z1pQy0e",
        "created_at": "1970-01-01T00:00:00Z",
        "tokens": ["forged"],
    }
    r = api.post("/user/register", body)
    assert r.status == 201
    assert set(r.body) == {"name", "is_admin", "permissions", "created_at"}
    assert r.body["created_at"] != "1970-01-01T00:00:00Z"
    assert login_as("extra").get("/user/extra").status == 200  # the password, not the hash, counts
    # A truthy string is not an admin flag.
    r = api.post("/user/register", {"name": "x2", "password": "longenough", "is_admin": "true"})
    assert r.status == 400
    assert api.get("/user/x2").status == 404


def test_given_server_owned_fields_in_an_ingest_body_when_ingesting_then_they_are_not_applied(
    hub_api, hub_env, open_gate
):
    url = f"{hub_env.url}/google-bert/bert-base-uncased"
    uploader = make_account(hub_api, "uploader")
    r = uploader.post("/artifact/model", {"url": url, **SERVER_OWNED})
    assert r.status == 201, r.body
    meta = r.body["metadata"]
    assert meta["id"] != "chosen-id"
    assert "blob_key" not in r.body["data"] and "../../etc/passwd" not in str(r.body)
    rating = hub_api.get(f"/artifact/model/{meta['id']}/rate").body
    assert rating["net_score"] != 1  # the computed score, not the one sent
    created = [
        e
        for e in hub_api.get(f"/artifact/model/{meta['id']}/audit").body
        if e["action"] == "CREATE"
    ]
    assert created[0]["user"] == {"name": "uploader", "is_admin": False}
    assert hub_api.get("/artifacts/model/chosen-id").status == 404


def test_given_server_owned_query_parameters_when_uploading_then_they_are_not_applied(api):
    query = "&".join(f"{k}={v}" for k, v in SERVER_OWNED.items() if not isinstance(v, dict))
    model_id = upload_model(api, "plain", extra_query=query)  # asserts the 201
    assert model_id != "chosen-id"
    assert api.get(f"/artifacts/model/{model_id}/download?format=json").status == 200


def test_given_put_artifact_with_a_different_metadata_id_or_type_when_updating_then_400(
    accounts: Accounts,
):
    mid, victim = accounts.model_id, accounts.victim
    url = "https://huggingface.co/google-bert/bert-base-uncased"
    for metadata in (
        {"id": "another-id", "name": "victim-model", "type": "model"},
        {"id": mid, "name": "renamed", "type": "model"},
        {"id": mid, "name": "victim-model", "type": "dataset"},
    ):
        r = victim.put(f"/artifacts/model/{mid}", {"metadata": metadata, "data": {"url": url}})
        assert r.status == 400, metadata
    assert accounts.admin.get(f"/artifacts/model/{mid}").body["metadata"]["name"] == "victim-model"


@pytest.mark.parametrize("field", ["is_admin", "permissions"])
def test_given_a_user_when_setting_admin_fields_through_login_bodies_then_nothing_changes(
    accounts: Accounts, field
):
    extra = {"is_admin": True, "permissions": ["upload", "search", "download"]}[field]
    body = {"name": "attacker", "password": "attacker-password", field: extra}
    r = ApiClient().post("/user/login", body, token=None)
    assert r.status == 200
    assert accounts.admin.get("/user/attacker").body["is_admin"] is False
