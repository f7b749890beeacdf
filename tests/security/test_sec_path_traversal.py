"""Path traversal: hostile zip entry names and links are refused; blob keys cannot leave the
store; the local signed-URL server refuses traversal, tampering, expiry and the wrong operation."""

from __future__ import annotations

import http.client as httpclient
import io
import stat
import time
import zipfile
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from tests.security.conftest import upload_model
from tests.support.artifacts import blob_root, files_under, http, special_entry_zip, symlink_zip
from trustreg.errors import BadRequest
from trustreg.storage import get_blob_store
from trustreg.storage.base import check_key


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("pkg/README.md", b"# pkg\n")
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name), data)
    return buf.getvalue()


@pytest.mark.parametrize(
    "package",
    [
        _zip({"../x": b"x"}),
        _zip({"pkg/../../x": b"x"}),
        _zip({"/etc/passwd": b"x"}),
        _zip({"..\\x": b"x"}),
        _zip({"pkg\\..\\..\\x": b"x"}),
        _zip({"C:\\x": b"x"}),
        _zip({"C:/Windows/x": b"x"}),
        _zip({"pkg/./x": b"x"}),
        symlink_zip(),
        special_entry_zip(stat.S_IFBLK, "pkg/dev", b""),
    ],
    ids=[
        "dotdot",
        "nested-dotdot",
        "absolute",
        "backslash",
        "nested-backslash",
        "drive",
        "drive-slash",
        "dot-segment",
        "symlink",
        "device",
    ],
)
def test_given_a_package_with_a_hostile_entry_when_uploading_then_400_and_nothing_stored(
    api, package
):
    r = api.call(
        "POST", "/artifact/model/upload?name=evil", raw=package, content_type="application/zip"
    )
    assert r.status == 400, r.body
    assert files_under(blob_root() / "artifacts") == []
    assert api.post("/artifacts", [{"name": "*"}]).body == []


@pytest.mark.parametrize(
    "key",
    [
        "../x",
        "a/../../x",
        "/etc/passwd",
        "a//b",
        "..",
        "a/..",
        "a\\..\\x",
        "%2e%2e/x",
        "a/\x00",
        ".hidden/../x",
        "C:/x",
        "",
        "x" * 600,
    ],
)
def test_given_a_blob_key_that_could_escape_the_store_when_checked_then_refused(key):
    with pytest.raises(BadRequest):
        check_key(key)


def test_given_normal_blob_keys_when_checked_then_accepted():
    for key in ("artifacts/model/abc/package-1234.zip", "uploads/abc.zip"):
        assert check_key(key) == key


def _raw_get(base: str, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """Send `path` exactly as written (no client-side normalisation of `..`)."""
    parts = urlsplit(base)
    conn = httpclient.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        conn.putheader("Content-Length", "0")
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


@pytest.fixture
def signed(api, blob_server):
    """A model and the genuine signed GET URL for its package."""
    mid = upload_model(api, "signed-model")
    r = api.get(f"/artifacts/model/{mid}/download?format=json")
    assert r.status == 200, r.body
    url = r.body["url"]
    assert url.startswith(blob_server)
    return url


def test_given_a_genuine_signed_url_then_it_serves_the_package(signed):
    status, _headers, body = http("GET", signed)
    assert status == 200 and body.startswith(b"PK")


@pytest.mark.parametrize(
    "path",
    [
        "/_blobs/../../etc/passwd",
        "/_blobs/..%2F..%2Fetc%2Fpasswd",
        "/_blobs/%2e%2e/%2e%2e/etc/passwd",
        "/_blobs//etc/passwd",
        "/_blobs/artifacts/../../../etc/passwd",
        "/_blobs/..\\..\\etc\\passwd",
    ],
)
def test_given_a_traversal_path_on_the_local_blob_server_then_403_and_no_file_content(
    signed, blob_server, path
):
    query = {k: v[-1] for k, v in parse_qs(urlsplit(signed).query).items()}
    status, _h, body = _raw_get(blob_server, f"{path}?{urlencode(query)}")
    assert status == 403
    assert b"root:" not in body


def test_given_a_tampered_expired_or_wrong_op_signed_url_then_403(signed, blob_server, api):
    parts = urlsplit(signed)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    key_path = parts.path

    def variant(path: str = key_path, **changes: str) -> str:
        return f"{blob_server}{path}?{urlencode({**query, **changes})}"

    flipped = ("0" if query["sig"][0] != "0" else "1") + query["sig"][1:]
    store = get_blob_store()
    key = key_path.split("/_blobs/", 1)[1]
    past = int(time.time()) - 10
    cases = {
        "tampered sig": variant(sig=flipped),
        "no sig": variant(sig=""),
        "later expiry, same sig": variant(expires=str(int(query["expires"]) + 3600)),
        "expired (validly signed)": variant(expires=str(past), sig=store._sign("get", key, past)),
        "garbage expiry": variant(expires="tomorrow"),
        "other key, same sig": variant(path="/_blobs/artifacts/model/other/package.zip"),
        "op says put": variant(op="put"),
    }
    for label, url in cases.items():
        status, _h, body = http("GET", url)
        assert status == 403, label
        assert not body.startswith(b"PK"), label
    # A GET URL cannot be used to overwrite the blob.
    status, _h, _b = http("PUT", signed, data=b"overwritten")
    assert status == 403
    assert http("GET", signed)[2].startswith(b"PK")


def test_given_an_upload_slot_put_url_when_used_to_read_then_403(api, blob_server):
    slot = api.post("/artifact/model/upload-slot", {"name": "slot-model"}).body
    status, _h, _b = http("GET", slot["upload_url"])
    assert status == 403


def test_given_a_filename_with_crlf_on_a_signed_url_then_no_header_is_injected(signed):
    url = signed + "&" + urlencode({"filename": "x.zip\r\nSet-Cookie: pwned=1\r\nX-Evil: 1"})
    status, headers, _b = http("GET", url)
    assert status == 200
    lowered = {k.lower(): v for k, v in headers.items()}
    assert "set-cookie" not in lowered and "x-evil" not in lowered
    assert "\n" not in lowered.get("content-disposition", "")
