"""Logging in through the contract's PUT /authenticate and our POST /user/login."""

from __future__ import annotations

import base64
import json

from trustreg.config import DEFAULT_ADMIN_NAME, DEFAULT_ADMIN_PASSWORD


def auth_body(name: str = DEFAULT_ADMIN_NAME, password: str = DEFAULT_ADMIN_PASSWORD) -> dict:
    return {"user": {"name": name, "is_admin": True}, "secret": {"password": password}}


def test_given_default_admin_when_authenticating_then_a_bearer_json_string_comes_back(anon):
    r = anon.put("/authenticate", auth_body())
    assert r.status == 200
    assert isinstance(r.body, str) and r.body.startswith("bearer ")
    anon.token = r.body
    assert anon.post("/artifacts", [{"name": "*"}]).status == 200


def test_given_wrong_password_when_authenticating_then_401_with_a_message(anon):
    r = anon.put("/authenticate", auth_body(password="nope"))
    assert r.status == 401
    assert "invalid" in r.message


def test_given_unknown_user_when_authenticating_then_401(anon):
    assert anon.put("/authenticate", auth_body(name="ghost")).status == 401


def test_given_malformed_bodies_when_authenticating_then_400(anon):
    for body in (
        {},
        {"user": {"name": "x"}},
        {"user": "x", "secret": {}},
        [1, 2],
        {"user": {"name": DEFAULT_ADMIN_NAME}, "secret": {"password": 5}},
    ):
        r = anon.put("/authenticate", body)
        assert r.status == 400, body
        assert r.body["error"]["message"]
    r = anon.call("PUT", "/authenticate", raw=b"{not json")
    assert r.status == 400 and "JSON" in r.message


def test_given_a_password_over_72_bytes_when_logging_in_then_400_not_truncated(anon):
    r = anon.put("/authenticate", auth_body(password=DEFAULT_ADMIN_PASSWORD + "x" * 80))
    assert r.status == 400 and "72" in r.message


def test_given_user_login_route_when_logging_in_then_same_token_shape(anon):
    r = anon.post("/user/login", {"name": DEFAULT_ADMIN_NAME, "password": DEFAULT_ADMIN_PASSWORD})
    assert r.status == 200 and r.body.startswith("bearer ")


def test_given_no_token_when_calling_a_protected_route_then_403(anon):
    r = anon.post("/artifacts", [{"name": "*"}])
    assert r.status == 403 and "X-Authorization" in r.message


def test_given_a_forged_signature_when_calling_then_403(api):
    header, payload, _sig = api.token.split(" ")[1].split(".")
    forged = f"bearer {header}.{payload}.{base64.urlsafe_b64encode(b'x' * 32).decode().rstrip('=')}"
    assert api.post("/artifacts", [{"name": "*"}], token=forged).status == 403


def test_given_an_alg_none_token_when_calling_then_403(api):
    _h, payload, _s = api.token.split(" ")[1].split(".")
    none_header = base64.urlsafe_b64encode(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    token = f"bearer {none_header.decode().rstrip('=')}.{payload}."
    r = api.post("/artifacts", [{"name": "*"}], token=token)
    assert r.status == 403 and "invalid" in r.message


def test_given_a_token_without_scheme_or_garbage_when_calling_then_403(api):
    for tok in ("bearer", "basic abc", "bearer not.a.jwt", "   "):
        assert api.post("/artifacts", [{"name": "*"}], token=tok).status == 403


def test_given_the_token_sent_verbatim_with_quotes_when_calling_then_accepted(api):
    assert api.post("/artifacts", [{"name": "*"}], token=f'"{api.token}"').status == 200


def test_given_ten_failed_logins_when_logging_in_again_then_429_even_with_the_right_password(anon):
    for _ in range(10):
        assert anon.put("/authenticate", auth_body(password="wrong")).status == 401
    r = anon.put("/authenticate", auth_body())
    assert r.status == 429
    assert r.headers.get("Retry-After")
