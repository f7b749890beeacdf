"""Reset, health and tracks."""

from __future__ import annotations

from tests.api.test_accounts import login_as, register
from tests.support.api_client import ApiClient


def test_given_users_when_reset_then_only_the_default_admin_remains_and_caller_token_works(api):
    register(api, "zoe", ["search"])
    zoe = login_as("zoe")
    r = api.delete("/reset")
    assert r.status == 200
    assert [u["name"] for u in api.get("/users").body] == ["ece30861defaultadminuser"]
    assert zoe.post("/artifacts", [{"name": "*"}]).status == 403
    assert api.post("/artifacts", [{"name": "*"}]).body == []


def test_given_a_non_admin_when_resetting_then_401(api):
    register(api, "yan", ["upload", "search", "download"])
    assert login_as("yan").delete("/reset").status == 401


def test_given_no_token_when_resetting_then_403(anon):
    assert anon.delete("/reset").status == 403


def test_given_a_changed_admin_password_in_config_when_reset_then_the_configured_one_works(api):
    # The default admin's password is whatever configuration says; reset restores it.
    assert api.delete("/reset").status == 200
    assert ApiClient().login()


def test_given_health_then_200_fast_without_a_token(anon):
    r = anon.get("/health")
    assert r.status == 200 and r.body["status"] == "ok"


def test_given_tracks_then_only_working_tracks_are_named(anon):
    r = anon.get("/tracks")
    assert r.status == 200
    assert r.body["plannedTracks"] == [
        "Access control track",
        "Other Security track",
        "High assurance track",
    ]
    allowed = {
        "Performance track",
        "Access control track",
        "High assurance track",
        "Other Security track",
    }
    assert set(r.body["plannedTracks"]) <= allowed


def test_given_any_response_then_security_headers_are_present(anon):
    r = anon.get("/health")
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "max-age" in r.headers["Strict-Transport-Security"]
