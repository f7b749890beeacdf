"""Accounts: admins register users with permissions; users delete themselves; tokens die."""

from __future__ import annotations

from tests.support.api_client import ApiClient


def register(api: ApiClient, name: str, perms: list[str], is_admin: bool = False):
    return api.post(
        "/user/register",
        {"name": name, "password": f"{name}-password", "is_admin": is_admin, "permissions": perms},
    )


def login_as(name: str) -> ApiClient:
    c = ApiClient()
    r = c.post("/user/login", {"name": name, "password": f"{name}-password"}, token=None)
    assert r.status == 200, r.body
    c.token = r.body
    return c


def test_given_admin_when_registering_a_user_then_201_and_the_user_can_log_in(api):
    r = register(api, "alice", ["search"])
    assert r.status == 201
    assert r.body == {**r.body, "name": "alice", "is_admin": False, "permissions": ["search"]}
    assert "password" not in r.text if hasattr(r, "text") else "password_hash" not in r.body
    alice = login_as("alice")
    assert alice.post("/artifacts", [{"name": "*"}]).status == 200


def test_given_a_taken_name_when_registering_then_409(api):
    assert register(api, "bob", []).status == 201
    assert register(api, "bob", []).status == 409


def test_given_bad_register_bodies_then_400(api):
    for body in (
        {"name": "x"},
        {"name": "", "password": "longenough"},
        {"name": "x", "password": "longenough", "permissions": ["fly"]},
        {"name": "x", "password": "short"},
        {"name": "x", "password": "longenough", "permissions": "search"},
    ):
        assert api.post("/user/register", body).status == 400, body


def test_given_a_non_admin_when_registering_a_user_then_403(api):
    register(api, "carol", ["upload", "search", "download"])
    carol = login_as("carol")
    r = register(carol, "mallory", ["upload"], is_admin=True)
    assert r.status == 403 and "administrator" in r.message


def test_given_search_only_user_when_ingesting_then_403_naming_upload(api):
    register(api, "sam", ["search"])
    sam = login_as("sam")
    r = sam.post("/artifact/model", {"url": "https://huggingface.co/google-bert/bert-base-uncased"})
    assert r.status == 403 and "upload" in r.message


def test_given_a_user_without_search_when_listing_then_403_naming_search(api):
    register(api, "uma", ["upload"])
    r = login_as("uma").post("/artifacts", [{"name": "*"}])
    assert r.status == 403 and "search" in r.message


def test_given_a_user_when_deleting_themselves_then_their_token_dies_at_once(api):
    register(api, "dave", ["search"])
    dave = login_as("dave")
    assert dave.delete("/user/dave").status == 200
    r = dave.post("/artifacts", [{"name": "*"}])
    assert r.status == 403
    assert (
        dave.post("/user/login", {"name": "dave", "password": "dave-password"}, token=None).status
        == 401
    )


def test_given_a_user_when_deleting_someone_else_then_403(api):
    register(api, "erin", ["search"])
    register(api, "frank", ["search"])
    assert login_as("erin").delete("/user/frank").status == 403


def test_given_admin_when_deleting_any_user_then_200_and_404_after(api):
    register(api, "gina", [])
    assert api.delete("/user/gina").status == 200
    assert api.delete("/user/gina").status == 404


def test_given_the_default_admin_when_deleting_it_then_400(api):
    r = api.delete("/user/ece30861defaultadminuser")
    assert r.status == 400 and "default admin" in r.message


def test_given_admin_when_changing_permissions_then_the_user_gains_them(api):
    register(api, "hank", [])
    hank = login_as("hank")
    assert hank.post("/artifacts", [{"name": "*"}]).status == 403
    r = api.put("/user/hank/permissions", {"permissions": ["search"]})
    assert r.status == 200 and r.body["permissions"] == ["search"]
    assert hank.post("/artifacts", [{"name": "*"}]).status == 200


def test_given_a_logged_in_user_when_their_rights_are_taken_then_their_token_loses_them(api):
    # A token carries a copy of its holder's role; taking rights away must reach it at once.
    register(api, "jill", ["search"], is_admin=True)
    jill = login_as("jill")
    assert jill.post("/artifacts", [{"name": "*"}]).status == 200
    assert jill.get("/users").status == 200
    r = api.put("/user/jill/permissions", {"permissions": [], "is_admin": False})
    assert r.status == 200 and r.body["permissions"] == [] and r.body["is_admin"] is False
    assert jill.post("/artifacts", [{"name": "*"}]).status == 403
    assert jill.get("/users").status == 403  # no longer an admin


def test_given_a_role_change_while_the_user_logs_in_then_the_new_token_has_the_new_role(
    api, monkeypatch
):
    # The password check is slow on purpose (bcrypt): an admin may change the role meanwhile,
    # and the token being issued must carry the role as changed, not as first read.
    from trustreg.services import accounts, sessions

    register(api, "rita", ["search"], is_admin=True)
    real_verify = sessions.verify_password

    def verify_while_an_admin_demotes(password, hashed):
        accounts.set_permissions("rita", [], False)
        return real_verify(password, hashed)

    monkeypatch.setattr(sessions, "verify_password", verify_while_an_admin_demotes)
    rita = login_as("rita")
    monkeypatch.undo()
    assert rita.get("/users").status == 403
    assert rita.post("/artifacts", [{"name": "*"}]).status == 403


def test_given_users_list_then_admin_sees_everyone_and_users_only_themselves(api):
    register(api, "ivy", ["search"])
    names = [u["name"] for u in api.get("/users").body]
    assert names == sorted(["ivy", "ece30861defaultadminuser"])
    ivy = login_as("ivy")
    assert ivy.get("/users").status == 403
    assert ivy.get("/user/ivy").body["name"] == "ivy"
    assert ivy.get("/user/ece30861defaultadminuser").status == 403
    assert all("hash" not in k for u in api.get("/users").body for k in u)
