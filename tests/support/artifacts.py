"""Helpers for the artifact API tests: an open ingest gate, package zips, blobs, signed URLs.

Import the fixtures into a test module with
`from tests.support.artifacts import open_gate, blob_server  # noqa: F401`.
"""

from __future__ import annotations

import hashlib
import io
import stat
import threading
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from tests.support.api_client import ApiClient

CARD = b"""---
license: apache-2.0
base_model: google-bert/bert-base-uncased
datasets:
- rajpurkar/squad
---

# tiny-uploaded-model

An internal fine-tune used by the test suite. Say hello to the uploaded card text.

```python
from transformers import pipeline
qa = pipeline('question-answering', model='tiny-uploaded-model')
```
"""

HF_PACKAGE: dict[str, bytes] = {
    "tiny/README.md": CARD,
    "tiny/config.json": b'{"model_type": "bert", "architectures": ["BertForQuestionAnswering"]}',
    "tiny/model.safetensors": bytes(range(256)) * 16,
    "tiny/data/train.csv": b"question,answer\nwhat,that\n",
}


@pytest.fixture
def open_gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Ingest every fixture model whatever its score: these tests are not about the gate."""
    from trustreg.config import reset_settings

    monkeypatch.setenv("INGEST_MIN_SCORE", "0")
    reset_settings()
    yield
    monkeypatch.delenv("INGEST_MIN_SCORE", raising=False)
    reset_settings()


def zip_bytes(entries: dict[str, bytes] | None = None) -> bytes:
    """A deflated zip of `entries` (default: a small HuggingFace-style package)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (HF_PACKAGE if entries is None else entries).items():
            archive.writestr(name, data)
    return buf.getvalue()


def special_entry_zip(kind: int, name: str = "pkg/passwd", data: bytes = b"/etc/passwd") -> bytes:
    """A package whose second entry's unix mode is `kind` (stat.S_IFLNK, S_IFBLK...)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("pkg/README.md", b"# pkg\n")
        entry = zipfile.ZipInfo(name)
        entry.external_attr = (kind | 0o777) << 16
        archive.writestr(entry, data)
    return buf.getvalue()


def symlink_zip() -> bytes:
    """A package whose second entry is a symbolic link to /etc/passwd."""
    return special_entry_zip(stat.S_IFLNK)


def bomb_zip() -> bytes:
    """One 20 MiB entry of zeros: ~1000x expansion, far beyond the 100x limit."""
    return zip_bytes({"pkg/README.md": b"# pkg\n", "pkg/zeros.bin": bytes(20 * 1024 * 1024)})


def files_under(root: Path) -> list[Path]:
    """Every file below `root` (none when it does not exist)."""
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def blob_root() -> Path:
    """The local blob folder the registry currently writes to."""
    from trustreg.config import get_settings

    return Path(get_settings().blob_dir)


def artifact_blob_dir(artifact_type: str, artifact_id: str) -> Path:
    """Where an artifact's package and cut parts live in the local blob folder."""
    return blob_root() / "artifacts" / artifact_type / artifact_id


def read_signed_blob(url: str) -> bytes:
    """In-process stand-in for GET on a local signed URL: verify it as the server does, read."""
    from trustreg.storage import get_blob_store
    from trustreg.storage.local import BLOB_ROUTE

    parts = urlsplit(url)
    assert BLOB_ROUTE in parts.path, url
    key = unquote(parts.path.split(BLOB_ROUTE, 1)[1])
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    store: Any = get_blob_store()
    store.verify("get", key, query["expires"], query["sig"])
    with store.open(key) as fh:
        return fh.read()


def sha256(data: bytes) -> str:
    """Hex SHA-256."""
    return hashlib.sha256(data).hexdigest()


def zip_names(data: bytes) -> set[str]:
    """Names of the files inside a zip."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {i.filename for i in archive.infolist() if not i.is_dir()}


def make_user(
    admin: ApiClient, name: str, permissions: list[str], is_admin: bool = False
) -> ApiClient:
    """Register a user through the API and return a client logged in as them."""
    password = "correct horse battery staple 1"
    r = admin.post(
        "/user/register",
        {"name": name, "password": password, "is_admin": is_admin, "permissions": permissions},
    )
    assert r.status == 201, r.body
    client = ApiClient()
    client.login(name, password)
    return client


def list_all(client: ApiClient) -> list[dict[str, str]]:
    """Every artifact in the registry (following pages)."""
    out: list[dict[str, str]] = []
    offset = ""
    while True:
        r = client.post(f"/artifacts?limit=1000&offset={offset}", [{"name": "*"}])
        assert r.status == 200, r.body
        out += r.body
        offset = r.headers.get("offset", "")
        if not offset:
            return out


@pytest.fixture
def blob_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The local server in a thread, so signed `/_blobs/` URLs can be fetched and PUT over HTTP.

    PUBLIC_BASE_URL points the signed URLs at it; the in-process ApiClient keeps calling the
    handlers directly, and both share this process's settings, database and blob folder.
    """
    from trustreg.config import reset_settings
    from trustreg.local.server import serve
    from trustreg.storage import reset_blob_store

    httpd = serve("127.0.0.1", 0)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("PUBLIC_BASE_URL", base)
    reset_settings()
    reset_blob_store()
    yield base
    httpd.shutdown()
    httpd.server_close()
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    reset_settings()
    reset_blob_store()


def http(
    method: str, url: str, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One plain HTTP request (no redirects followed); (status, headers, body)."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(_NoRedirect)
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})  # noqa: S310
    try:
        with opener.open(req, timeout=60) as resp:
            return resp.status, dict(resp.headers.items()), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers.items()), err.read()


__all__ = [
    "HF_PACKAGE",
    "artifact_blob_dir",
    "blob_root",
    "blob_server",
    "bomb_zip",
    "files_under",
    "http",
    "list_all",
    "make_user",
    "open_gate",
    "read_signed_blob",
    "sha256",
    "special_entry_zip",
    "symlink_zip",
    "zip_bytes",
    "zip_names",
]
