"""Every status code docs/openapi.yaml documents is reachable, shown by one request each.

A table maps (method, path, status) to a scenario; a few codes are documented for the
reference contract's sake and cannot happen here, each with the reason. A first test checks the
table covers the document exactly, so a status added to the document needs a scenario here.
Runs against the local server process, once on SQLite and once on PostgreSQL.
"""

from __future__ import annotations

import http.client
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
import yaml

from tests.contract.live_server import ADMIN_LOGIN, LiveServer
from trustreg.routes import ROUTES

pytestmark = pytest.mark.contract

ROOT = Path(__file__).resolve().parents[2]
DOC = yaml.safe_load((ROOT / "docs/openapi.yaml").read_text(encoding="utf-8"))
METHODS = ("get", "put", "post", "delete", "patch")
MISSING = "ffffffffffffffffffffffff"
BIG = 10 * 1024 * 1024 + 1  # one byte over API Gateway's (and the local server's) body limit


def documented() -> list[tuple[str, str, int]]:
    found = []
    for path, item in DOC["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                found += [(method.upper(), path, int(code)) for code in op["responses"]]
    return found


ROUTED = {(r.method, r.path) for r in ROUTES}
PUBLIC = {(r.method, r.path) for r in ROUTES if r.access.value == "public"}

UNREACHABLE = {
    500: "only on an unexpected failure; the fuzzer asserts it never happens",
    ("PUT", "/authenticate", 501): "documented as never returned (authentication is implemented)",
    ("POST", "/artifact/{artifact_type}", 202): "ingest is synchronous; kept from the contract",
    ("PUT", "/artifacts/{artifact_type}/{id}", 202): "updates are synchronous; from the contract",
}


def unreachable_reason(key: tuple[str, str, int]) -> str | None:
    return UNREACHABLE.get(key) or UNREACHABLE.get(key[2])  # type: ignore[call-overload]


# --- a tiny client --------------------------------------------------------------------------


@dataclass
class World:
    """The server plus what the scenarios need: seeded ids, a second user, the fake hub."""

    server: LiveServer
    hub: Any
    http: requests.Session

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = "admin",
        data: bytes | None = None,
        content_type: str = "application/json",
        **kw: Any,
    ) -> requests.Response:
        headers = {"Content-Type": content_type, **kw.pop("headers", {})}
        if token == "admin":
            token = self.server.token
        if token:
            headers["X-Authorization"] = token
        return self.http.request(
            method,
            self.server.base_url + path,
            data=data if data is not None else (None if body is None else json.dumps(body)),
            headers=headers,
            allow_redirects=False,
            timeout=60,
            **kw,
        )

    def id_of(self, artifact_type: str) -> str:
        return self.server.seeded[artifact_type][0]  # type: ignore[attr-defined]

    def user_token(self, name: str, permissions: list[str], is_admin: bool = False) -> str:
        secret = "correct horse battery staple 42!"
        self.call(
            "POST",
            "/user/register",
            {"name": name, "password": secret, "is_admin": is_admin, "permissions": permissions},
        )
        r = self.call(
            "PUT",
            "/authenticate",
            {"user": {"name": name}, "secret": {"password": secret}},
            token=None,
        )
        assert r.status_code == 200, r.text
        return str(r.json())

    def oversized(self, method: str, path: str) -> int:
        """Announce a body over the limit (never sent: the server refuses on the header)."""
        url = urlsplit(self.server.base_url)
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        try:
            conn.putrequest(method, path)
            conn.putheader("Content-Type", "application/json")
            conn.putheader("X-Authorization", self.server.token)
            conn.putheader("Content-Length", str(BIG))
            conn.endheaders()
            return conn.getresponse().status
        finally:
            conn.close()


def package_zip(name: str = "tiny-bert") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{name}/README.md", f"# {name}\nA model card. License: apache-2.0\n")
        archive.writestr(f"{name}/config.json", '{"model_type": "bert"}')
        archive.writestr(f"{name}/model.safetensors", bytes(range(256)) * 16)
    return buf.getvalue()


def concrete(path: str, w: World, **over: str) -> str:
    values = {
        "artifact_type": "model",
        "id": w.id_of("model"),
        "name": "bert-base-uncased",
        "username": ADMIN_LOGIN["user"]["name"],
        "upload_id": MISSING,
    } | over
    for key, value in values.items():
        path = path.replace("{" + key + "}", value)
    return path


# --- scenarios: (method, path, status) -> fn(world) -> response status ----------------------

Scenario = Callable[[World], int]
SCENARIOS: dict[tuple[str, str, int], Scenario] = {}


def scenario(method: str, path: str, status: int) -> Callable[[Scenario], Scenario]:
    def register(fn: Scenario) -> Scenario:
        SCENARIOS[(method, path, status)] = fn
        return fn

    return register


def _generic(key: tuple[str, str, int]) -> Scenario | None:
    """Codes every operation of a kind reaches the same way."""
    method, path, status = key
    op = DOC["paths"][path][method.lower()]
    if status == 403 and (method, path) not in PUBLIC:
        return lambda w: w.call(method, concrete(path, w), {}, token=None).status_code
    if status == 413 and "requestBody" in op:
        return lambda w: w.oversized(method, concrete(path, w))
    if status == 404 and "{id}" in path:
        return lambda w: w.call(method, concrete(path, w, id=MISSING), {}).status_code
    if status == 400 and "{artifact_type}" in path:
        return lambda w: w.call(method, concrete(path, w, artifact_type="widget"), {}).status_code
    return None


def _status(r: requests.Response) -> int:
    return r.status_code


S = scenario
# operations
S("GET", "/health", 200)(lambda w: _status(w.call("GET", "/health", token=None)))
S("GET", "/dashboard", 200)(lambda w: _status(w.call("GET", "/dashboard", token=None)))
S("GET", "/tracks", 200)(lambda w: _status(w.call("GET", "/tracks", token=None)))
S("GET", "/openapi.json", 200)(lambda w: _status(w.call("GET", "/openapi.json", token=None)))
S("GET", "/health/components", 200)(lambda w: _status(w.call("GET", "/health/components")))
S("GET", "/health/components", 400)(
    lambda w: _status(w.call("GET", "/health/components?windowMinutes=0"))
)
S("GET", "/health/logs", 200)(lambda w: _status(w.call("GET", "/health/logs?lines=5")))
S("GET", "/health/logs", 400)(lambda w: _status(w.call("GET", "/health/logs?lines=0")))
S("GET", "/admin/package-confusion", 200)(
    lambda w: _status(w.call("GET", "/admin/package-confusion"))
)
# authentication
S("PUT", "/authenticate", 200)(lambda w: _status(w.call("PUT", "/authenticate", ADMIN_LOGIN)))
S("PUT", "/authenticate", 400)(lambda w: _status(w.call("PUT", "/authenticate", {"user": {}})))
S("PUT", "/authenticate", 401)(
    lambda w: _status(
        w.call("PUT", "/authenticate", {"user": {"name": "nobody"}, "secret": {"password": "x"}})
    )
)
S("POST", "/user/login", 200)(
    lambda w: _status(
        w.call(
            "POST",
            "/user/login",
            {"name": ADMIN_LOGIN["user"]["name"], "password": ADMIN_LOGIN["secret"]["password"]},
        )
    )
)
S("POST", "/user/login", 400)(lambda w: _status(w.call("POST", "/user/login", {"name": 1})))
S("POST", "/user/login", 401)(
    lambda w: _status(w.call("POST", "/user/login", {"name": "nobody", "password": "wrong"}))
)


def _locked_out(w: World, method: str, path: str, body: Callable[[str], dict]) -> int:
    name = f"locked-{method.lower()}"
    w.user_token(name, ["search"])
    last = 0
    for _ in range(11):
        last = w.call(method, path, body(name), token=None).status_code
    return last


S("PUT", "/authenticate", 429)(
    lambda w: _locked_out(
        w, "PUT", "/authenticate", lambda n: {"user": {"name": n}, "secret": {"password": "no"}}
    )
)
S("POST", "/user/login", 429)(
    lambda w: _locked_out(w, "POST", "/user/login", lambda n: {"name": n, "password": "no"})
)
# search
S("POST", "/artifacts", 200)(lambda w: _status(w.call("POST", "/artifacts", [{"name": "*"}])))
S("POST", "/artifacts", 400)(lambda w: _status(w.call("POST", "/artifacts", {"name": "*"})))
S("GET", "/artifact/byName/{name}", 200)(
    lambda w: _status(w.call("GET", "/artifact/byName/bert-base-uncased"))
)
S("GET", "/artifact/byName/{name}", 400)(
    lambda w: _status(w.call("GET", "/artifact/byName/" + "n" * 513))
)
S("GET", "/artifact/byName/{name}", 404)(
    lambda w: _status(w.call("GET", "/artifact/byName/no-such-artifact"))
)
S("POST", "/artifact/byRegEx", 200)(
    lambda w: _status(w.call("POST", "/artifact/byRegEx", {"regex": "bert"}))
)
S("POST", "/artifact/byRegEx", 400)(
    lambda w: _status(w.call("POST", "/artifact/byRegEx", {"regex": "("}))
)
S("POST", "/artifact/byRegEx", 404)(
    lambda w: _status(w.call("POST", "/artifact/byRegEx", {"regex": "^no-such-thing$"}))
)
# reads of one artifact
for _path in (
    "/artifacts/{artifact_type}/{id}",
    "/artifact/{artifact_type}/{id}/cost",
    "/artifact/{artifact_type}/{id}/audit",
    "/artifacts/{artifact_type}/{id}/downloads",
    "/artifact/model/{id}/rate",
    "/artifact/model/{id}/lineage",
):
    S("GET", _path, 200)(lambda w, p=_path: _status(w.call("GET", concrete(p, w))))
S("GET", "/artifact/{artifact_type}/{id}/audit", 413)(
    lambda w: _status(
        w.call("GET", concrete("/artifact/{artifact_type}/{id}/audit", w) + "?limit=1001")
    )
)
for _path in ("/artifact/model/{id}/rate", "/artifact/model/{id}/lineage"):
    S("GET", _path, 400)(lambda w, p=_path: _status(w.call("GET", concrete(p, w, id="%20"))))
S("POST", "/artifact/model/{id}/rate", 200)(
    lambda w: _status(w.call("POST", concrete("/artifact/model/{id}/rate", w)))
)
S("POST", "/artifact/model/{id}/rate", 400)(
    lambda w: _status(w.call("POST", concrete("/artifact/model/{id}/rate", w, id="%20")))
)
S("POST", "/artifact/model/{id}/license-check", 200)(
    lambda w: _status(
        w.call(
            "POST",
            concrete("/artifact/model/{id}/license-check", w),
            {"github_url": f"{w.hub.github_web_url}/google-research/bert"},
        )
    )
)
S("POST", "/artifact/model/{id}/license-check", 400)(
    lambda w: _status(w.call("POST", concrete("/artifact/model/{id}/license-check", w), {}))
)


def _license_upstream_down(w: World) -> int:
    w.hub.fail("/github-api/", 503, times=None)
    try:
        return w.call(
            "POST",
            concrete("/artifact/model/{id}/license-check", w),
            {"github_url": f"{w.hub.github_web_url}/google-research/bert"},
        ).status_code
    finally:
        w.hub.reset()


S("POST", "/artifact/model/{id}/license-check", 502)(_license_upstream_down)
# downloads
S("GET", "/artifacts/{artifact_type}/{id}/download", 200)(
    lambda w: _status(
        w.call("GET", concrete("/artifacts/{artifact_type}/{id}/download", w) + "?format=json")
    )
)
S("GET", "/artifacts/{artifact_type}/{id}/download", 302)(
    lambda w: _status(w.call("GET", concrete("/artifacts/{artifact_type}/{id}/download", w)))
)
# ingest, update, delete
S("POST", "/artifact/{artifact_type}", 201)(
    lambda w: _status(
        w.call(
            "POST", "/artifact/model", {"url": f"{w.hub.url}/distilbert/distilbert-base-uncased"}
        )
    )
)
S("POST", "/artifact/{artifact_type}", 400)(
    lambda w: _status(w.call("POST", "/artifact/model", {}))
)
S("POST", "/artifact/{artifact_type}", 404)(
    lambda w: _status(w.call("POST", "/artifact/model", {"url": f"{w.hub.url}/acme/no-such-model"}))
)
S("POST", "/artifact/{artifact_type}", 409)(
    lambda w: _status(
        w.call("POST", "/artifact/model", {"url": f"{w.hub.url}/google-bert/bert-base-uncased"})
    )
)
S("POST", "/artifact/{artifact_type}", 424)(
    lambda w: _status(w.call("POST", "/artifact/model", {"url": f"{w.hub.url}/acme/bare-model"}))
)


def _ingest_upstream_down(w: World) -> int:
    w.hub.fail("/api/models/microsoft", 503, times=None)
    try:
        return w.call(
            "POST", "/artifact/model", {"url": f"{w.hub.url}/microsoft/resnet-50"}
        ).status_code
    finally:
        w.hub.reset()


S("POST", "/artifact/{artifact_type}", 502)(_ingest_upstream_down)
_UPDATE = "/artifacts/{artifact_type}/{id}"


def _update(w: World, url: str) -> int:
    r = w.call("GET", concrete(_UPDATE, w))
    body = r.json()
    body["data"] = {"url": url}
    return w.call("PUT", concrete(_UPDATE, w), body).status_code


S("PUT", _UPDATE, 200)(lambda w: _update(w, f"{w.hub.url}/google-bert/bert-base-uncased"))
S("PUT", _UPDATE, 400)(lambda w: _status(w.call("PUT", concrete(_UPDATE, w), {})))
S("PUT", _UPDATE, 424)(lambda w: _update(w, f"{w.hub.url}/acme/bare-model"))


def _update_upstream_down(w: World) -> int:
    w.hub.fail("/api/models/google-bert", 503, times=None)
    try:
        return _update(w, f"{w.hub.url}/google-bert/bert-base-uncased")
    finally:
        w.hub.reset()


S("PUT", _UPDATE, 502)(_update_upstream_down)
S("DELETE", _UPDATE, 200)(
    lambda w: _status(
        w.call("DELETE", concrete(_UPDATE, w, artifact_type="code", id=w.id_of("code")))
    )
)
# uploads
S("POST", "/artifact/{artifact_type}/upload", 201)(
    lambda w: _status(
        w.call(
            "POST",
            "/artifact/model/upload?name=tiny-bert&version=1.0.0",
            data=package_zip(),
            content_type="application/zip",
        )
    )
)
S("POST", "/artifact/{artifact_type}/upload-slot", 201)(
    lambda w: _status(w.call("POST", "/artifact/model/upload-slot", {"name": "tiny-slot"}))
)


def _finalize(w: World) -> int:
    slot = w.call("POST", "/artifact/model/upload-slot", {"name": "tiny-final"}).json()
    put = w.http.put(
        slot["upload_url"], data=package_zip("tiny-final"), headers=slot["headers"], timeout=30
    )
    assert put.status_code < 300, put.text
    return w.call("POST", slot["finalize_path"]).status_code


S("POST", "/artifact/{artifact_type}/upload-slot/{upload_id}/finalize", 201)(_finalize)


def _finalize_too_big(w: World) -> int:
    import os as _os

    slot = w.call("POST", "/artifact/model/upload-slot", {"name": "too-big"}).json()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("too-big/README.md", "# too big\n")
        archive.writestr("too-big/model.safetensors", _os.urandom(BUNDLE_LIMIT + 1))
    put = w.http.put(slot["upload_url"], data=buf.getvalue(), headers=slot["headers"], timeout=30)
    assert put.status_code < 300, put.text
    return w.call("POST", slot["finalize_path"]).status_code


KNOWN_BUGS: dict[tuple[str, str, int], str] = {}
S("POST", "/artifact/{artifact_type}/upload-slot/{upload_id}/finalize", 413)(_finalize_too_big)
S("POST", "/artifact/{artifact_type}/upload-slot/{upload_id}/finalize", 404)(
    lambda w: _status(w.call("POST", f"/artifact/model/upload-slot/{MISSING}/finalize"))
)
# sensitive models
_SENSITIVE = "/artifact/model/{id}/sensitive"
_PROGRAM = "function check(ctx) { return true; }"
S("PUT", _SENSITIVE, 200)(
    lambda w: _status(
        w.call(
            "PUT", concrete(_SENSITIVE, w), data=_PROGRAM.encode(), content_type="text/javascript"
        )
    )
)
S("PUT", _SENSITIVE, 400)(
    lambda w: _status(w.call("PUT", concrete(_SENSITIVE, w), data=b"", content_type="text/plain"))
)


def _attach(w: World, id_: str | None = None) -> requests.Response:
    path = concrete(_SENSITIVE, w, **({"id": id_} if id_ else {}))
    return w.call("PUT", path, data=_PROGRAM.encode(), content_type="text/javascript")


S("PUT", _SENSITIVE, 404)(lambda w: _status(_attach(w, MISSING)))
S("GET", _SENSITIVE, 200)(lambda w: _status(_attach(w) and w.call("GET", concrete(_SENSITIVE, w))))
S("DELETE", _SENSITIVE, 200)(
    lambda w: _status(_attach(w) and w.call("DELETE", concrete(_SENSITIVE, w)))
)
S("POST", "/artifact/model/{id}/license-check", 404)(
    lambda w: _status(
        w.call(
            "POST",
            concrete("/artifact/model/{id}/license-check", w, id=MISSING),
            {"github_url": f"{w.hub.github_web_url}/google-research/bert"},
        )
    )
)


def _update_missing(w: World) -> int:
    body = w.call("GET", concrete(_UPDATE, w)).json()
    body["metadata"]["id"] = MISSING
    return w.call("PUT", concrete(_UPDATE, w, id=MISSING), body).status_code


S("PUT", _UPDATE, 404)(_update_missing)
for _m in ("GET", "DELETE", "PUT"):
    if (_m, _SENSITIVE, 400) not in SCENARIOS:
        S(_m, _SENSITIVE, 400)(
            lambda w, m=_m: _status(w.call(m, concrete(_SENSITIVE, w, id="%20")))
        )
# users
S("POST", "/user/register", 201)(
    lambda w: _status(
        w.call(
            "POST",
            "/user/register",
            {"name": "newbie", "password": "long enough password 1!", "permissions": ["search"]},
        )
    )
)
S("POST", "/user/register", 400)(lambda w: _status(w.call("POST", "/user/register", {})))


def _register_twice(w: World) -> int:
    body = {"name": "twice", "password": "long enough password 1!", "permissions": []}
    w.call("POST", "/user/register", body)
    return w.call("POST", "/user/register", body).status_code


S("POST", "/user/register", 409)(_register_twice)
S("GET", "/users", 200)(lambda w: _status(w.call("GET", "/users")))
S("GET", "/user/{username}", 200)(lambda w: _status(w.call("GET", concrete("/user/{username}", w))))
S("GET", "/user/{username}", 404)(lambda w: _status(w.call("GET", "/user/nobody-here")))
S("PUT", "/user/{username}/permissions", 200)(
    lambda w: _status(
        w.user_token("perm-user", ["search"])
        and w.call("PUT", "/user/perm-user/permissions", {"permissions": ["search", "upload"]})
    )
)
S("PUT", "/user/{username}/permissions", 400)(
    lambda w: _status(w.call("PUT", "/user/nobody-here/permissions", {"permissions": "x"}))
)
S("PUT", "/user/{username}/permissions", 404)(
    lambda w: _status(w.call("PUT", "/user/nobody-here/permissions", {"permissions": []}))
)
S("DELETE", "/user/{username}", 200)(
    lambda w: _status(w.user_token("leaver", []) and w.call("DELETE", "/user/leaver"))
)
S("DELETE", "/user/{username}", 400)(
    lambda w: _status(w.call("DELETE", concrete("/user/{username}", w)))
)
S("DELETE", "/user/{username}", 404)(lambda w: _status(w.call("DELETE", "/user/nobody-here")))
# reset: last, since it empties the registry (the admin's token stays valid)
S("DELETE", "/reset", 401)(
    lambda w: _status(w.call("DELETE", "/reset", token=w.user_token("not-admin", ["search"])))
)
S("DELETE", "/reset", 200)(lambda w: _status(w.call("DELETE", "/reset")))


def _order(key: tuple[str, str, int]) -> tuple[int, str, str, int]:
    method, path, status = key
    return (1 if path == "/reset" else 0, path, method, status)


CASES = sorted((k for k in documented() if (k[0], k[1]) in ROUTED), key=_order)


def test_given_the_document_when_tabled_then_every_status_has_a_scenario_or_a_reason():
    missing = [
        k for k in CASES if k not in SCENARIOS and not _generic(k) and not unreachable_reason(k)
    ]
    assert not missing, f"documented statuses with no scenario and no reason: {missing}"
    stale = [k for k in SCENARIOS if k not in documented()]
    assert not stale, f"scenarios for statuses the document does not list: {stale}"


BUNDLE_LIMIT = 1024 * 1024  # small, so an over-limit upload is cheap to make


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def live_server(request, tmp_path_factory, fake_hub_server):
    """This module's server accepts bundles of at most BUNDLE_LIMIT bytes."""
    from tests.contract.conftest import run_live_server

    env = {"MAX_BUNDLE_BYTES": str(BUNDLE_LIMIT)}
    yield from run_live_server(request, tmp_path_factory, fake_hub_server, env)


@pytest.fixture(scope="module")
def world(live_server: LiveServer, fake_hub_server) -> World:
    with requests.Session() as session:
        yield World(live_server, fake_hub_server, session)


@pytest.mark.parametrize("key", CASES, ids=lambda k: f"{k[0]} {k[1]} {k[2]}")
def test_given_a_documented_status_when_its_scenario_runs_then_the_server_answers_it(world, key):
    reason = unreachable_reason(key)
    if reason:
        pytest.skip(f"not reachable by design: {reason}")
    run = SCENARIOS.get(key) or _generic(key)
    assert run is not None
    if key in KNOWN_BUGS:
        request_status = run(world)
        if request_status != key[2]:
            pytest.xfail(KNOWN_BUGS[key])
        pytest.fail(f"fixed? {key} now answers {key[2]}: remove it from KNOWN_BUGS")
    assert run(world) == key[2]
