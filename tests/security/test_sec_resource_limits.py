"""API4: oversized bodies, zip bombs, huge or catastrophic regexes, deep pages, large pages and
too many queries are refused cheaply (413/400) or answered promptly, never with a 5xx or a hang."""

from __future__ import annotations

import json
import time

import pytest

from tests.security.conftest import upload_model
from tests.support.api_client import ApiClient
from tests.support.artifacts import blob_root, bomb_zip, files_under

HANG_CEILING_S = 30  # generous: only catches a hang, not a slow machine
BIG = json.dumps({"pad": "x" * (1024 * 1024 + 1)}).encode()


@pytest.mark.parametrize(
    ("method", "path", "needs_token"),
    [
        ("PUT", "/authenticate", False),
        ("POST", "/user/login", False),
        ("POST", "/user/register", True),
        ("POST", "/artifacts", True),
        ("POST", "/artifact/byRegEx", True),
        ("POST", "/artifact/model", True),
    ],
)
def test_given_a_json_body_over_1_mb_when_posting_then_413_before_any_work(
    api, method, path, needs_token
):
    r = api.call(method, path, raw=BIG, token=api.token if needs_token else None)
    assert r.status == 413
    assert r.body["error"]["code"] == "payload_too_large"


def test_given_a_zip_bomb_when_uploading_then_400_and_nothing_is_stored(api):
    r = api.call(
        "POST", "/artifact/model/upload?name=bomb", raw=bomb_zip(), content_type="application/zip"
    )
    assert r.status == 400
    assert "bomb" in r.message or "expands" in r.message
    assert files_under(blob_root() / "artifacts") == []
    assert api.post("/artifacts", [{"name": "*"}]).body == []


def test_given_a_regex_over_1000_characters_when_searching_then_400(api):
    r = api.post("/artifact/byRegEx", {"regex": "a" * 1001})
    assert r.status == 400 and "1000" in r.message


@pytest.mark.parametrize(
    "pattern",
    [
        "(a+)+$",
        "(a|aa)+$",
        "(a|a?)+b",
        "(.*a){20}$",
        "^(([a-z])+.)+[A-Z]([a-z])+$",
        "(a{1,99999}){1,99999}$",
        "((a{1,1000}){1,1000}){1,1000}",
        "(?:a*)*b",
        "(\\w+\\s?)*$",
    ],
)
def test_given_a_catastrophic_regex_when_searching_then_answered_promptly_without_5xx(api, pattern):
    upload_model(api, "a" * 60 + "!")
    started = time.monotonic()
    r = api.post("/artifact/byRegEx", {"regex": pattern})
    assert time.monotonic() - started < HANG_CEILING_S
    assert r.status in (200, 400, 404), r.body


def test_given_a_huge_offset_when_listing_then_200_and_an_empty_page(api):
    upload_model(api, "only-one")
    r = api.post("/artifacts?offset=999999999999999999", [{"name": "*"}])
    assert r.status == 200 and r.body == []
    assert not r.headers.get("offset")


@pytest.mark.parametrize("offset", ["-1", "1e9", "9" * 40, "0x10", "1;DROP TABLE artifacts"])
def test_given_a_malformed_offset_when_listing_then_400_not_5xx(api, offset):
    from urllib.parse import quote

    r = api.post(f"/artifacts?offset={quote(offset)}", [{"name": "*"}])
    assert r.status == 400


@pytest.mark.parametrize("limit", ["1001", "1000000", "9" * 40])
def test_given_a_limit_above_the_maximum_when_listing_then_413(api, limit):
    r = api.post(f"/artifacts?limit={limit}", [{"name": "*"}])
    assert r.status == 413


def test_given_more_than_100_queries_when_listing_then_413(api):
    r = api.post("/artifacts", [{"name": f"n{i}"} for i in range(101)])
    assert r.status == 413
    assert api.post("/artifacts", [{"name": f"n{i}"} for i in range(100)]).status == 200


def test_given_a_login_name_wider_than_any_account_when_logging_in_then_401_not_500(api):
    # PostgreSQL used to fail inserting the failed-login row for a 256..4096-character name.
    anon = ApiClient()
    for n in (256, 300, 4096):
        r = anon.post("/user/login", {"name": "x" * n, "password": "wrong-password"}, token=None)
        assert r.status == 401, (n, r.body)
        body = {"user": {"name": "y" * n}, "secret": {"password": "wrong-password"}}
        assert anon.put("/authenticate", body, token=None).status == 401
    assert anon.post("/user/login", {"name": "x" * 5000, "password": "p"}, token=None).status == 400


def test_given_oversized_names_and_programs_when_sent_then_400_or_413(api):
    mid = upload_model(api, "limits-model")
    assert api.get("/artifact/byName/" + "z" * 600).status == 400
    assert api.post("/user/register", {"name": "n" * 256, "password": "longenough"}).status == 400
    r = api.call(
        "POST",
        f"/artifact/model/upload?name={'m' * 513}",
        raw=b"PK",
        content_type="application/zip",
    )
    assert r.status == 400
    big = api.put(f"/artifact/model/{mid}/sensitive", {"program": "x" * (65 * 1024)})
    assert big.status in (400, 413)


@pytest.mark.parametrize("path", ["/artifacts", "/artifact/byRegEx"])
def test_given_json_nested_deeper_than_the_parser_stack_when_posting_then_400_not_500(api, path):
    depth = 200_000  # 400 KB: under the 1 MB cap, far over Python's recursion limit
    r = api.call("POST", path, raw=b"[" * depth + b"]" * depth)
    assert r.status == 400
    r = api.call("PUT", "/authenticate", raw=b'{"a":' * 100_000 + b"1" + b"}" * 100_000, token=None)
    assert r.status == 400
