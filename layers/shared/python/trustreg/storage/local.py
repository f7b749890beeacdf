"""A folder that behaves like our S3 bucket, with HMAC-signed URLs served by the local server."""

from __future__ import annotations

import hashlib
import hmac
import os
import shutil
import time
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote, urlencode

from trustreg.errors import BadRequest, Forbidden, NotFound
from trustreg.storage.base import check_key

BLOB_ROUTE = "/_blobs/"


class LocalBlobStore:
    """Blobs as files under `root`; keys map to relative paths (checked, never `..`)."""

    def __init__(self, root: Path, signing_key: str, base_url: str | None) -> None:
        self.root = root
        self._key = signing_key.encode()
        self._base_url = base_url

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def put_file(self, key: str, path: str, content_type: str = "application/zip") -> None:
        """Copy a file in, atomically (a reader never sees half a blob)."""
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + f".tmp-{os.getpid()}-{time.monotonic_ns()}")
        shutil.copyfile(path, tmp)
        os.replace(tmp, target)

    def put_stream(self, key: str, stream: BinaryIO, max_bytes: int) -> int:
        """Write a stream in (the local presigned PUT); returns the size written."""
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + f".tmp-{os.getpid()}-{time.monotonic_ns()}")
        size = 0
        with open(tmp, "wb") as out:
            while chunk := stream.read(1024 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    out.close()
                    tmp.unlink(missing_ok=True)
                    raise Forbidden("upload exceeds the allowed size")
                out.write(chunk)
        os.replace(tmp, target)
        return size

    def get_to_file(self, key: str, fileobj: BinaryIO) -> None:
        """Copy the blob into an open file."""
        path = self._path(key)
        if not path.exists():
            raise NotFound("the stored package is missing")
        with open(path, "rb") as src:
            shutil.copyfileobj(src, fileobj, 1024 * 1024)

    def open(self, key: str) -> BinaryIO:
        """Open the blob for reading (the local server streams it)."""
        path = self._path(key)
        if not path.is_file():
            raise NotFound("no such blob")
        return open(path, "rb")

    def delete(self, key: str) -> None:
        """Remove a blob; a missing one is fine."""
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        """True when the blob is stored."""
        return self._path(key).is_file()

    def size(self, key: str) -> int:
        """The blob's size in bytes."""
        return self._path(key).stat().st_size

    def _sign(self, op: str, key: str, expires: int) -> str:
        msg = f"{op}\n{key}\n{expires}".encode()
        return hmac.new(self._key, msg, hashlib.sha256).hexdigest()

    def _url(self, op: str, key: str, ttl_s: int, extra: dict[str, str]) -> str:
        check_key(key)
        expires = int(time.time()) + ttl_s
        query = {"op": op, "expires": str(expires), "sig": self._sign(op, key, expires), **extra}
        base = self._base_url or os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
        return f"{base.rstrip('/')}{BLOB_ROUTE}{quote(key)}?{urlencode(query)}"

    def download_url(self, key: str, ttl_s: int, filename: str) -> str:
        """A signed GET URL valid for `ttl_s` seconds."""
        return self._url("get", key, ttl_s, {"filename": filename})

    def upload_url(self, key: str, ttl_s: int) -> str:
        """A signed PUT URL valid for `ttl_s` seconds."""
        return self._url("put", key, ttl_s, {})

    def verify(self, op: str, key: str, expires: str, sig: str) -> None:
        """Check a signed URL's operation, expiry and signature; Forbidden otherwise."""
        try:
            when = int(expires)
        except ValueError as exc:
            raise Forbidden("malformed signed URL") from exc
        if when < time.time():
            raise Forbidden("the signed URL has expired")
        try:
            check_key(key)
        except BadRequest as exc:  # a key no URL we sign could name: same answer as a bad sig
            raise Forbidden("the signed URL's signature does not match") from exc
        if not hmac.compare_digest(self._sign(op, key, when), sig):
            raise Forbidden("the signed URL's signature does not match")

    def delete_prefix(self, prefix: str) -> int:
        """Remove every blob under a prefix."""
        base = self.root / check_key(prefix.rstrip("/"))
        if not base.exists():
            return 0
        count = sum(1 for p in base.rglob("*") if p.is_file())
        shutil.rmtree(base, ignore_errors=True)
        return count

    def stats(self) -> tuple[int, int]:
        """(object count, total bytes)."""
        if not self.root.exists():
            return 0, 0
        files = [p for p in self.root.rglob("*") if p.is_file()]
        return len(files), sum(p.stat().st_size for p in files)
