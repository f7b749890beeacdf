"""API3/API8: no password, token, signing secret, bcrypt hash, upstream token or storage path
appears in any response body or log line; a 500 names a request id and carries no traceback."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from tests.api.conftest import ingest
from tests.security.conftest import upload_model
from tests.support.api_client import ApiClient, ApiResponse
from tests.support.artifacts import blob_root
from trustreg.config import DEFAULT_ADMIN_PASSWORD, get_settings, reset_settings
from trustreg.db.engine import get_engine
from trustreg.db.models import Artifact, User
from trustreg.observability import logger
from trustreg.services import catalog

USER_PASSWORD = "s3cret-Pa55word-for-leak-test"
HF_TOKEN = "hf_leaktest_token_0123456789abcdef"


@pytest.fixture
def log_lines(capsys: pytest.CaptureFixture[str]) -> Iterator[io.StringIO]:
    """Every Powertools log record at DEBUG, formatted as in Lambda, plus whatever hits stdout."""
    sink = io.StringIO()
    handler = logging.StreamHandler(sink)
    handler.setFormatter(logger.registered_formatter)
    level = logger.log_level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield sink
    logger.removeHandler(handler)
    logger.setLevel(level)


class Recorder(ApiClient):
    """An ApiClient that keeps every raw response body it received."""

    seen: list[bytes] = []

    def call(self, *args, **kwargs) -> ApiResponse:  # type: ignore[override]
        r = super().call(*args, **kwargs)
        Recorder.seen.append(r.raw)
        return r


def _secrets() -> dict[str, str]:
    with get_engine().connect() as conn:
        hashes = list(conn.scalars(select(User.password_hash)))
        keys = [k for k in conn.scalars(select(Artifact.blob_key)) if k]
    found = {f"hash{i}": h for i, h in enumerate(hashes)}
    found |= {f"blob_key{i}": k for i, k in enumerate(keys)}
    found |= {
        "admin password": DEFAULT_ADMIN_PASSWORD,
        "user password": USER_PASSWORD,
        "jwt secret": get_settings().jwt_secret,
        "hf token": HF_TOKEN,
        "blob dir": str(blob_root()),
    }
    return found


def test_given_a_session_of_logins_register_ingest_download_and_a_500_then_no_secret_leaks(
    hub_env, database, open_gate, monkeypatch, log_lines, capsys
):
    monkeypatch.setenv("HF_TOKEN", HF_TOKEN)
    reset_settings()
    Recorder.seen = []
    admin = Recorder()
    admin.login()
    tokens = [admin.token]
    anon = Recorder()
    assert (
        anon.put(
            "/authenticate",
            {
                "user": {"name": "ece30861defaultadminuser"},
                "secret": {"password": "wrong-" + USER_PASSWORD},
            },
            token=None,
        ).status
        == 401
    )
    r = admin.post(
        "/user/register",
        {
            "name": "leaky",
            "password": USER_PASSWORD,
            "permissions": ["upload", "search", "download"],
        },
    )
    assert r.status == 201
    user = Recorder()
    assert (
        user.post("/user/login", {"name": "leaky", "password": USER_PASSWORD}, token=None).status
        == 200
    )
    user.token = user.seen[-1].decode().strip('"')
    tokens.append(user.token)
    assert (
        user.post(
            "/user/login", {"name": "leaky", "password": "nope" + USER_PASSWORD}, token=None
        ).status
        == 401
    )
    assert ingest(user, hub_env, "model", "google-bert/bert-base-uncased").status == 201
    mid = upload_model(user, "leak-model")
    grant = user.get(f"/artifacts/model/{mid}/download?format=json")
    assert grant.status == 200
    assert user.get(f"/artifacts/model/{mid}/download").status == 302

    def boom(*_a, **_k):
        raise RuntimeError("boom")

    monkeypatch.setattr(catalog, "list_page", boom)
    failed = user.post("/artifacts", [{"name": "*"}])
    assert failed.status == 500
    error = failed.body["error"]
    assert error["request_id"] and error["code"] == "internal_error"
    assert "Traceback" not in failed.raw.decode() and "boom" not in failed.raw.decode()
    assert ".py" not in failed.raw.decode()

    captured = capsys.readouterr()
    logs = log_lines.getvalue() + captured.out + captured.err
    assert '"unhandled error"' in logs and "boom" in logs  # the 500 is in the log, by request id
    # The id quoted in the 500 finds its log lines (Lambda's id, not only API Gateway's).
    unhandled = [json.loads(x) for x in log_lines.getvalue().splitlines() if "unhandled error" in x]
    assert unhandled and unhandled[-1]["request_id"] == error["request_id"]
    secrets = _secrets() | {f"token{i}": t.split(" ", 1)[1] for i, t in enumerate(tokens)}
    secrets |= {f"sig{i}": t.rsplit(".", 1)[1] for i, t in enumerate(tokens)}
    bodies = [b.decode("utf-8", "replace") for b in Recorder.seen]
    # The login answers are the tokens themselves, and the download grant is the signed URL:
    # those two are the intended disclosures to their own caller.
    bodies = [b for b in bodies if not b.startswith('"bearer ') and '"expires_in"' not in b]
    for label, value in secrets.items():
        assert value not in logs, f"{label} is in the logs"
        for body in bodies:
            assert value not in body, f"{label} is in a response body"
    for line in log_lines.getvalue().splitlines():
        json.loads(line)  # structured: one JSON object a line, nothing free-form
    reset_settings()


def test_given_user_views_when_listing_or_reading_accounts_then_no_hash_field_exists(api):
    api.post("/user/register", {"name": "viewed", "password": USER_PASSWORD, "permissions": []})
    for body in (api.get("/users").body, [api.get("/user/viewed").body]):
        for user in body:
            assert set(user) == {"name", "is_admin", "permissions", "created_at"}
            assert not any(str(v).startswith("$2") for v in user.values())


def test_given_an_artifact_when_read_then_no_internal_storage_fields_are_exposed(api):
    mid = upload_model(api, "shape-model")
    body = api.get(f"/artifacts/model/{mid}").body
    text = json.dumps(body)
    for field in ("blob_key", "blob_sha256", "created_by", "seq", "sensitive_program", "uploads/"):
        assert field not in text
    assert str(blob_root()) not in text


def test_given_a_500_when_answered_then_the_body_has_only_the_error_shape(api, monkeypatch):
    monkeypatch.setattr(
        catalog,
        "list_page",
        lambda *a, **k: (_ for _ in ()).throw(
            RuntimeError(f"db password={DEFAULT_ADMIN_PASSWORD}")
        ),
    )
    r = api.post("/artifacts", [{"name": "*"}])
    assert r.status == 500
    assert set(r.body) == {"error"}
    assert set(r.body["error"]) == {"code", "message", "status", "request_id"}
    assert DEFAULT_ADMIN_PASSWORD not in r.raw.decode()
    assert r.headers["Cache-Control"] == "no-store"
