"""API8: every response (successes, errors, the local server's own 404/405/413 and blob links,
the dashboard) carries the security headers; the dashboard's CSP allows only its nonce."""

from __future__ import annotations

import re

import pytest

from tests.security.conftest import upload_model
from tests.support.artifacts import http
from trustreg.http.responses import SECURITY_HEADERS
from trustreg.routes import ROUTES

BASELINE = {k: v for k, v in SECURITY_HEADERS.items() if k != "Content-Security-Policy"}


def _has_security_headers(headers: dict[str, str]) -> None:
    lowered = {k.lower(): v for k, v in headers.items()}
    for name, value in BASELINE.items():
        assert lowered.get(name.lower()) == value, name
    assert "frame-ancestors 'none'" in lowered.get("content-security-policy", "")


def _concrete(path: str, mid: str) -> str:
    return (
        path.replace("{artifact_type}", "model")
        .replace("{id}", mid)
        .replace("{username}", "nobody")
        .replace("{upload_id}", "0" * 24)
        .replace("{name}", "no-such-name")
    )


def test_given_every_route_when_called_as_admin_anonymous_or_with_junk_then_headers_are_set(api):
    mid = upload_model(api, "headers-model")
    statuses = set()
    for route in ROUTES:
        if route.function in {"registry_reset"}:
            continue
        path = _concrete(route.path, mid)
        for token, body in ((api.token, b"{}"), (None, b"{}"), (api.token, b"{not json")):
            r = api.call(route.method, path, raw=body, token=token)
            statuses.add(r.status)
            _has_security_headers(r.headers)
    assert {200, 400, 403, 404} <= statuses


def test_given_a_500_when_answered_then_it_has_the_security_headers(api, monkeypatch):
    from trustreg.services import catalog

    monkeypatch.setattr(catalog, "list_page", lambda *a, **k: 1 / 0)
    r = api.post("/artifacts", [{"name": "*"}])
    assert r.status == 500
    _has_security_headers(r.headers)


def test_given_the_dashboard_then_its_csp_allows_only_its_own_nonce(anon):
    first = anon.get("/dashboard", token=None)
    second = anon.get("/dashboard", token=None)
    assert first.status == 200 and first.headers["Content-Type"].startswith("text/html")
    csp = first.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "base-uri 'none'" in csp and "form-action 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "*" not in csp
    assert f'nonce="{nonce}"' in first.raw.decode()
    assert nonce not in second.headers["Content-Security-Policy"]
    for name, value in BASELINE.items():
        assert first.headers[name] == value
    html = first.raw.decode()
    assert not re.search(r"<script(?![^>]*nonce=)", html), "a script without the nonce"
    # Nothing loads from elsewhere (the SVG namespace string is not a load).
    assert not re.search(r"""(src|href|action)\s*=\s*["']?(https?:)?//""", html)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/no/such/route", 404),
        ("GET", "/", 404),
        ("PATCH", "/artifacts", 405),
        ("DELETE", "/health", 405),
        ("GET", "/_blobs/../../etc/passwd", 403),
        ("GET", "/_blobs/artifacts/x.zip?op=get&expires=1&sig=00", 403),
        ("GET", "/health", 200),
        ("POST", "/artifacts", 403),
    ],
)
def test_given_the_local_server_when_answering_anything_then_headers_are_set(
    api, blob_server, method, path, status
):
    code, headers, _body = http(
        method, blob_server + path, data=b"[]" if method == "POST" else None
    )
    assert code == status
    _has_security_headers(headers)


def test_given_the_local_server_when_a_body_is_over_10_mb_then_413_with_headers(api, blob_server):
    import http.client as httpclient
    from urllib.parse import urlsplit

    parts = urlsplit(blob_server)
    conn = httpclient.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:  # announce 10 MB + 1 and send nothing: the server must refuse before reading
        conn.putrequest("POST", "/artifact/model/upload?name=x")
        conn.putheader("Content-Length", str(10 * 1024 * 1024 + 1))
        conn.endheaders()
        resp = conn.getresponse()
        assert resp.status == 413
        _has_security_headers(dict(resp.getheaders()))
    finally:
        conn.close()


def test_given_a_signed_blob_download_when_served_then_headers_are_set(api, blob_server):
    mid = upload_model(api, "blob-headers")
    url = api.get(f"/artifacts/model/{mid}/download?format=json").body["url"]
    code, headers, body = http("GET", url)
    assert code == 200 and body.startswith(b"PK")
    _has_security_headers(headers)
    assert headers["Content-Disposition"].startswith("attachment;")


def test_given_the_public_log_tail_then_it_shows_only_public_fields(api, monkeypatch, tmp_path):
    from trustreg.local import logfile
    from trustreg.observability import logger

    monkeypatch.setenv("REGISTRY_DATA_DIR", str(tmp_path))
    from trustreg.config import reset_settings

    reset_settings()
    path = logfile.install_log_file(tmp_path)
    try:
        api.post(
            "/user/login", {"name": "ece30861defaultadminuser", "password": "wrong-pw"}, token=None
        )
        from trustreg.services import catalog

        monkeypatch.setattr(catalog, "list_page", lambda *a, **k: 1 / 0)
        api.post("/artifacts", [{"name": "*"}])
        r = api.get("/health/logs?lines=200", token=None)
        assert r.status == 200
        text = r.raw.decode()
        assert "Traceback" not in text and "ece30861defaultadminuser" not in text
        assert "wrong-pw" not in text
    finally:
        for handler in list(logger.handlers):
            if getattr(handler, "baseFilename", None) == str(path):
                logger.removeHandler(handler)
                handler.close()
        reset_settings()
