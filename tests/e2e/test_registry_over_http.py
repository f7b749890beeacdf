"""The registry as a user meets it: the local server as a process, driven over HTTP with urllib.

The server fetches from the in-process fake hub; nothing here imports the handlers.
"""

from __future__ import annotations

import hashlib
import json
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.artifacts import http, zip_bytes, zip_names
from tests.support.server_process import ServerProcess, start

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
ADMIN = json.loads((ROOT / "docs/examples/authenticate.json").read_text())


def start_server(data_dir: Path, hub: Any) -> ServerProcess:
    """`python -m trustreg.local.server` on a free port, pointed at the fake hub."""
    return start(
        data_dir,
        {
            "HF_ENDPOINT": hub.url,
            "GITHUB_API_URL": hub.github_api_url,
            "GITHUB_WEB_URL": hub.github_web_url,
            "ALLOWED_SOURCE_HOSTS": "127.0.0.1",
            "INGEST_MIN_SCORE": "0",
            "POWERTOOLS_LOG_LEVEL": "WARNING",
        },
    )


def stop(server: ServerProcess) -> int:
    """Ctrl-C the server; its exit code (killed after a generous wait if it hangs)."""
    server.proc.send_signal(signal.SIGINT)
    try:
        return server.proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait()
        return -999


@pytest.fixture
def server(fake_hub, tmp_path: Path) -> Iterator[ServerProcess]:
    srv = start_server(tmp_path / "data", fake_hub)
    yield srv
    if srv.proc.poll() is None:
        stop(srv)


class Client:
    """JSON over HTTP with an optional token."""

    def __init__(self, base: str, token: str | None = None) -> None:
        self.base, self.token = base, token

    def call(
        self, method: str, path: str, body: Any = None, raw: bytes | None = None
    ) -> tuple[int, dict[str, str], Any]:
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["X-Authorization"] = self.token
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        if raw is not None:
            headers["Content-Type"] = "application/zip"
        status, hdrs, payload = http(method, self.base + path, data, headers)
        parsed = (
            json.loads(payload)
            if payload and hdrs.get("Content-Type", "").startswith("application/json")
            else payload
        )
        return status, hdrs, parsed


def login(base: str, name: str, password: str, via_authenticate: bool = False) -> Client:
    c = Client(base)
    if via_authenticate:
        status, _, token = c.call(
            "PUT",
            "/authenticate",
            {"user": {"name": name, "is_admin": True}, "secret": {"password": password}},
        )
    else:
        status, _, token = c.call("POST", "/user/login", {"name": name, "password": password})
    assert status == 200, token
    assert isinstance(token, str) and token.lower().startswith("bearer ")
    return Client(base, token)


def test_given_a_running_server_when_a_team_uses_the_registry_then_every_step_works(
    server: ServerProcess, fake_hub
):
    hub = fake_hub
    admin = login(server.base, ADMIN["user"]["name"], ADMIN["secret"]["password"], True)

    # a limited user: search only
    st, _, body = admin.call(
        "POST",
        "/user/register",
        {
            "name": "viewer",
            "password": "viewer-password-1",
            "is_admin": False,
            "permissions": ["search"],
        },
    )
    assert st == 201, body
    viewer = login(server.base, "viewer", "viewer-password-1")
    st, _, body = viewer.call("POST", "/artifact/model", {"url": f"{hub.url}/acme/bare-model"})
    assert st == 403, body

    # ingest a model, its base, a dataset and a code repository
    ids: dict[str, str] = {}
    for key, kind, url in [
        ("bert", "model", f"{hub.url}/google-bert/bert-base-uncased"),
        ("squad", "dataset", f"{hub.url}/datasets/rajpurkar/squad"),
        ("code", "code", f"{hub.github_web_url}/acme/bert-finetune-code"),
        ("tune", "model", f"{hub.url}/acme/bert-finetune"),
    ]:
        st, _, body = admin.call("POST", f"/artifact/{kind}", {"url": url})
        assert st == 201, (key, body)
        assert body["data"]["download_url"].startswith(server.base)
        ids[key] = body["metadata"]["id"]

    # list, search, read
    st, _, listed = viewer.call("POST", "/artifacts", [{"name": "*"}])
    assert st == 200 and {a["id"] for a in listed} == set(ids.values())
    st, _, found = viewer.call("POST", "/artifact/byRegEx", {"regex": "(?i)SQUAD"})
    assert st == 200 and ids["squad"] in {a["id"] for a in found}
    st, _, got = viewer.call("GET", f"/artifacts/model/{ids['tune']}")
    assert st == 200 and got["metadata"]["name"] == "bert-finetune"
    st, _, rating = viewer.call("GET", f"/artifact/model/{ids['tune']}/rate")
    assert st == 200 and len(rating) == 26

    # the viewer may not download; the admin follows the redirect to the signed URL
    st, _, _ = viewer.call("GET", f"/artifacts/model/{ids['tune']}/download")
    assert st == 403
    st, _, grant = admin.call("GET", f"/artifacts/model/{ids['tune']}/download?format=json")
    assert st == 200, grant
    st, hdrs, _ = admin.call("GET", f"/artifacts/model/{ids['tune']}/download")
    assert st == 302 and "/_blobs/" in hdrs["Location"]
    st, hdrs, data = http("GET", hdrs["Location"])
    assert st == 200 and hdrs["Content-Type"] == "application/zip"
    assert hashlib.sha256(data).hexdigest() == grant["sha256"] and len(data) == grant["size"]
    st, _, weights = admin.call(
        "GET", f"/artifacts/model/{ids['tune']}/download?format=json&part=weights"
    )
    st, _, wdata = http("GET", weights["url"])
    assert st == 200 and {n.rsplit("/", 1)[-1] for n in zip_names(wdata)} == {"model.safetensors"}
    assert hashlib.sha256(wdata).hexdigest() == weights["sha256"]

    # lineage, cost, license, audit
    st, _, graph = viewer.call("GET", f"/artifact/model/{ids['tune']}/lineage")
    assert st == 200
    assert {ids["bert"], ids["squad"], ids["tune"]} <= {n["artifact_id"] for n in graph["nodes"]}
    st, _, cost = viewer.call("GET", f"/artifact/model/{ids['tune']}/cost?dependency=true")
    assert st == 200 and {ids["bert"], ids["squad"], ids["tune"]} <= set(cost)
    st, _, ok = viewer.call(
        "POST",
        f"/artifact/model/{ids['tune']}/license-check",
        {"github_url": f"{hub.github_web_url}/acme/bert-finetune-code"},
    )
    assert st == 200 and ok is True
    st, _, audit = viewer.call("GET", f"/artifact/model/{ids['tune']}/audit")
    assert st == 200
    actions = [e["action"] for e in audit]
    assert actions[:1] == ["CREATE"] and "DOWNLOAD" in actions and "RATE" in actions
    assert all(e["date"].endswith("Z") for e in audit)

    # a large upload through a signed slot
    st, _, slot = admin.call(
        "POST", "/artifact/model/upload-slot", {"name": "big-upload", "version": "1.0.0"}
    )
    assert st == 201, slot
    package = zip_bytes()
    st, _, _ = http("PUT", slot["upload_url"], package, {"Content-Type": "application/zip"})
    assert st == 200
    st, _, done = admin.call("POST", slot["finalize_path"])
    assert st == 201, done
    st, _, grant = admin.call(
        "GET", f"/artifacts/model/{done['metadata']['id']}/download?format=json"
    )
    st, _, data = http("GET", grant["url"])
    assert data == package

    # deleting the user kills their token at once
    st, _, _ = admin.call("DELETE", "/user/viewer")
    assert st == 200
    st, _, _ = viewer.call("POST", "/artifacts", [{"name": "*"}])
    assert st in (401, 403)

    # delete one artifact, then reset everything
    st, _, _ = admin.call("DELETE", f"/artifacts/code/{ids['code']}")
    assert st == 200
    st, _, _ = admin.call("GET", f"/artifacts/code/{ids['code']}")
    assert st == 404
    st, _, _ = admin.call("DELETE", "/reset")
    assert st == 200
    admin = login(server.base, ADMIN["user"]["name"], ADMIN["secret"]["password"], True)
    st, _, listed = admin.call("POST", "/artifacts", [{"name": "*"}])
    assert st == 200 and listed == []
    assert not [p for p in (server.data_dir / "blobs").rglob("*") if p.is_file()]


def test_given_a_running_server_when_interrupted_then_it_exits_0_promptly(server: ServerProcess):
    assert Client(server.base).call("GET", "/health")[0] == 200
    started = time.monotonic()
    code = stop(server)
    assert code == 0, server.output()
    assert time.monotonic() - started < 20
